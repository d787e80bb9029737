// nojctl's showing of server values: codes outside the protocol and odd times never crash it and
// read as what they are.

#include "cli/format.h"

#include <gtest/gtest.h>

namespace noj::cli {
namespace {

TEST(CliFormat, VerdictsAndLanguagesOutsideTheProtocolAreShownAsCodes) {
  EXPECT_EQ(VerdictText(-2), "NO_CODE");
  EXPECT_EQ(VerdictText(0), "AC");
  EXPECT_EQ(VerdictText(7), "OLE");
  EXPECT_EQ(VerdictText(8), "?(8)");
  EXPECT_EQ(VerdictText(-3), "?(-3)");
  EXPECT_EQ(LanguageText(2), "Python 3");
  EXPECT_EQ(LanguageText(-1), "?(-1)");
  EXPECT_EQ(LanguageText(1000), "?(1000)");
}

TEST(CliFormat, LanguagesByNameCodeOrFileName) {
  EXPECT_EQ(ParseLanguage("CPP"), 1);
  EXPECT_EQ(ParseLanguage("java"), 5);
  EXPECT_EQ(ParseLanguage("pypy3"), 8);
  EXPECT_EQ(ParseLanguage("12"), 12);  // an operator's own code (judging.md §5)
  EXPECT_EQ(ParseLanguage("3"), std::nullopt);
  EXPECT_EQ(ParseLanguage("64"), std::nullopt);
  EXPECT_EQ(ParseLanguage("kotlin"), std::nullopt);
  EXPECT_EQ(LanguageFromPath("Main.java"), 5);
  EXPECT_EQ(LanguageFromPath("src/main.rs"), 6);
  EXPECT_EQ(LanguageFromPath("a.go"), 7);
  EXPECT_EQ(LanguageFromPath("a.js"), 9);
  EXPECT_EQ(LanguageFromPath("a.py"), 2);  // CPython unless --lang pypy3
  EXPECT_EQ(LanguageFromPath("a.kt"), std::nullopt);
  EXPECT_EQ(LanguageText(5), "Java");
}

TEST(CliFormat, ParsesVerdictsByNameOrCode) {
  EXPECT_EQ(ParseVerdict("wa"), 1);
  EXPECT_EQ(ParseVerdict("-2"), -2);
  EXPECT_EQ(ParseVerdict("8"), std::nullopt);
  EXPECT_EQ(ParseVerdict("7x"), std::nullopt);
}

TEST(CliFormat, DurationsSizesAndAges) {
  EXPECT_EQ(FormatMs(12), "12 ms");
  EXPECT_EQ(FormatMs(1250), "1.25 s");
  EXPECT_EQ(FormatKiB(812), "812 KiB");
  EXPECT_EQ(FormatKiB(131072), "128.0 MiB");
  EXPECT_EQ(FormatAgo(10000, 0), "-");
  EXPECT_EQ(FormatAgo(10000, 20000), "0s ago");  // a time ahead of ours is not negative
  EXPECT_EQ(FormatAgo(3 * 3600 * 1000, 1), "2h ago");
}

}  // namespace
}  // namespace noj::cli

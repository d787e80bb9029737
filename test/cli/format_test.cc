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

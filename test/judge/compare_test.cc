#include "judge/compare.h"

#include <gtest/gtest.h>

#include <string>

namespace noj::judge {
namespace {

TEST(OutputsMatch, IdenticalOutputsMatch) {
  EXPECT_TRUE(OutputsMatch("3\n", "3\n"));
  EXPECT_TRUE(OutputsMatch("1 2\n3 4\n", "1 2\n3 4\n"));
}

TEST(OutputsMatch, DifferentOutputsDoNotMatch) {
  EXPECT_FALSE(OutputsMatch("3\n", "4\n"));
  EXPECT_FALSE(OutputsMatch("1 2\n", "1  2\n"));
  EXPECT_FALSE(OutputsMatch("1\n2\n", "1\n"));
  EXPECT_FALSE(OutputsMatch("1\n", "1\n2\n"));
  EXPECT_FALSE(OutputsMatch("abc", "ab"));
}

TEST(OutputsMatch, TrailingSpacesAreIgnored) {
  EXPECT_TRUE(OutputsMatch("1 2\n3\n", "1 2   \n3\t\n"));
  EXPECT_TRUE(OutputsMatch("1 2 \n", "1 2\n"));
}

TEST(OutputsMatch, MissingFinalNewlineIsAccepted) {
  EXPECT_TRUE(OutputsMatch("3\n", "3"));
  EXPECT_TRUE(OutputsMatch("3", "3\n"));
}

TEST(OutputsMatch, CrlfIsALineBreak) {
  EXPECT_TRUE(OutputsMatch("1\n2\n", "1\r\n2\r\n"));
  EXPECT_TRUE(OutputsMatch("1\r\n2", "1\n2\n"));
  EXPECT_FALSE(OutputsMatch("1\n2\n", "1\r\n3\r\n"));
}

TEST(OutputsMatch, TrailingBlankLinesAreIgnored) {
  EXPECT_TRUE(OutputsMatch("3\n", "3\n\n\n"));
  EXPECT_TRUE(OutputsMatch("3\n\n", "3"));
  EXPECT_TRUE(OutputsMatch("3\n", "3\n  \n\t\n"));
}

TEST(OutputsMatch, LeadingSpacesMatter) {
  EXPECT_FALSE(OutputsMatch("3\n", " 3\n"));
  EXPECT_FALSE(OutputsMatch("1\n2\n", "1\n 2\n"));
}

TEST(OutputsMatch, InnerBlankLinesMatter) {
  EXPECT_FALSE(OutputsMatch("1\n2\n", "1\n\n2\n"));
  EXPECT_TRUE(OutputsMatch("1\n\n2\n", "1\n\n2"));
  EXPECT_TRUE(OutputsMatch("1\n\n2\n", "1\n   \n2\n"));  // a blank line is blank however spelled
}

TEST(OutputsMatch, LeadingBlankLinesMatter) { EXPECT_FALSE(OutputsMatch("1\n", "\n1\n")); }

TEST(OutputsMatch, EmptyAndNewlineOnlyAreTheSame) {
  EXPECT_TRUE(OutputsMatch("", ""));
  EXPECT_TRUE(OutputsMatch("", "\n"));
  EXPECT_TRUE(OutputsMatch("\n", ""));
  EXPECT_TRUE(OutputsMatch("", "  \n\r\n"));
  EXPECT_FALSE(OutputsMatch("", "0"));
  EXPECT_FALSE(OutputsMatch("0\n", ""));
}

TEST(OutputsMatch, CarriageReturnInsideALineMatters) {
  EXPECT_FALSE(OutputsMatch("ab\n", "a\rb\n"));
}

TEST(OutputsMatch, HandlesEmbeddedNulBytes) {
  EXPECT_FALSE(OutputsMatch(std::string("a\0b", 3), "a"));
  EXPECT_TRUE(OutputsMatch(std::string("a\0b\n", 4), std::string("a\0b", 3)));
}

}  // namespace
}  // namespace noj::judge

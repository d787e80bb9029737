#include "judge/builtin_checker.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace noj::judge {
namespace {

bool Accepts(BuiltinChecker c, std::string_view expected, std::string_view actual,
             CheckerTolerance t = {1e-6, 1e-6}) {
  return Check(c, t, expected, actual).accepted;
}

constexpr auto kExact = BuiltinChecker::kExact;
constexpr auto kTokens = BuiltinChecker::kTokens;
constexpr auto kFloat = BuiltinChecker::kFloat;
constexpr auto kDefault = BuiltinChecker::kDefault;

TEST(BuiltinChecker, DefaultIsProtocolRule) {
  EXPECT_TRUE(Accepts(kDefault, "1 2\n3\n", "1 2  \n3"));
  EXPECT_FALSE(Accepts(kDefault, "1 2\n", "1  2\n"));
  EXPECT_FALSE(Accepts(kDefault, "1 2\n", " 1 2\n"));
}

TEST(BuiltinChecker, ExactIsByteForByte) {
  EXPECT_TRUE(Accepts(kExact, "3\n", "3\n"));
  EXPECT_FALSE(Accepts(kExact, "3\n", "3"));
  EXPECT_FALSE(Accepts(kExact, "3\n", "3\r\n"));
  EXPECT_FALSE(Accepts(kExact, "3\n", "3 \n"));
  EXPECT_TRUE(Accepts(kExact, "", ""));
  EXPECT_EQ(Check(kExact, {}, "abc", "abd").message, "wrong answer differs at byte 3");
  EXPECT_EQ(Check(kExact, {}, "ab", "abc").message, "wrong answer extra output after byte 2");
}

TEST(BuiltinChecker, TokensIgnoreAllWhitespaceButNotCase) {
  EXPECT_TRUE(Accepts(kTokens, "1 2\n3\n", "1\n2 3"));
  EXPECT_TRUE(Accepts(kTokens, "1 2\n", "  1\t\t2\r\n\r\n"));  // CRLF, tabs, leading spaces
  EXPECT_TRUE(Accepts(kTokens, "YES\n", "YES"));               // no trailing newline
  EXPECT_FALSE(Accepts(kTokens, "YES\n", "yes\n"));
  EXPECT_FALSE(Accepts(kTokens, "1 2\n", "12\n"));
  EXPECT_FALSE(Accepts(kTokens, "1.0\n", "1\n"));  // text, not numbers
  EXPECT_TRUE(Accepts(kTokens, "", "\n \n"));      // empty output, empty answer
  EXPECT_FALSE(Accepts(kTokens, "1\n", ""));
  EXPECT_FALSE(Accepts(kTokens, "", "1"));
}

TEST(BuiltinChecker, TokenMessagesSayWhereAndWhat) {
  EXPECT_EQ(Check(kTokens, {}, "1 2 3", "1 2 3").message, "ok 3 tokens");
  EXPECT_EQ(Check(kTokens, {}, "1 2 3", "1 5 3").message,
            "wrong answer 2nd token: expected '2', found '5'");
  EXPECT_EQ(Check(kTokens, {}, "1 2 3", "1 2").message,
            "wrong answer unexpected end of output: expected 3rd token '3'");
  EXPECT_EQ(Check(kTokens, {}, "1", "1 x").message, "wrong answer extra output: 2nd token 'x'");
  std::string longtok(100, 'a');
  EXPECT_EQ(Check(kTokens, {}, "b", longtok).message,
            "wrong answer 1st token: expected 'b', found '" + std::string(32, 'a') + "...'");
  EXPECT_NE(Check(kTokens, {}, std::string(11, '1') + " 2", "x").message.find("1st"),
            std::string::npos);
}

TEST(BuiltinChecker, FloatToleranceAbsoluteOrRelative) {
  EXPECT_TRUE(Accepts(kFloat, "1\n", "1.000001\n"));         // |diff| <= 1e-6
  EXPECT_FALSE(Accepts(kFloat, "1\n", "1.0000021\n"));       // > abs and > rel * 1
  EXPECT_TRUE(Accepts(kFloat, "1000000\n", "1000000.9\n"));  // rel: 1e-6 * 1e6 = 1
  EXPECT_FALSE(Accepts(kFloat, "1000000\n", "1000001.1\n"));
  EXPECT_TRUE(Accepts(kFloat, "0\n", "1e-7\n"));
  EXPECT_TRUE(Accepts(kFloat, "0\n", "-0\n"));
  EXPECT_TRUE(Accepts(kFloat, "-0.0\n", "0\n"));
  EXPECT_TRUE(Accepts(kFloat, "3.14159\n", "3.141590\n"));
  EXPECT_TRUE(Accepts(kFloat, "1\n", "+1.0e0\n"));
  EXPECT_TRUE(Accepts(kFloat, "1\n", ".1e1\n"));
  // The tolerance is the problem's: exact when both are 0.
  EXPECT_FALSE(Accepts(kFloat, "1\n", "1.0000001\n", {0, 0}));
  EXPECT_TRUE(Accepts(kFloat, "1\n", "1.0\n", {0, 0}));
}

TEST(BuiltinChecker, FloatNeverMatchesNanOrInfAgainstAFiniteNumber) {
  for (const char* bad : {"nan", "NaN", "inf", "-inf", "infinity", "1e400", "-1e999999"}) {
    EXPECT_FALSE(Accepts(kFloat, "1\n", bad)) << bad;
    EXPECT_FALSE(Accepts(kFloat, "0\n", bad)) << bad;
  }
  // Not numbers on both sides: the texts must be equal.
  EXPECT_TRUE(Accepts(kFloat, "inf\n", "inf\n"));
  EXPECT_FALSE(Accepts(kFloat, "inf\n", "Inf\n"));
  EXPECT_TRUE(Accepts(kFloat, "1e400\n", "1e400\n"));
  EXPECT_FALSE(Accepts(kFloat, "1e400\n", "1e401\n"));
}

TEST(BuiltinChecker, FloatHugeAndTinyExponents) {
  EXPECT_TRUE(Accepts(kFloat, "1e300\n", "1.0000001e300\n"));  // rel
  EXPECT_FALSE(Accepts(kFloat, "1e300\n", "1.1e300\n"));
  EXPECT_TRUE(Accepts(kFloat, "0\n", "1e-400\n"));  // underflows to 0: finite
  EXPECT_TRUE(Accepts(kFloat, "0\n", "0.000000000000000000000000000000000000001e-999999999999\n"));
  EXPECT_FALSE(Accepts(kFloat, "1\n", "1e99999999999999999999999\n"));
}

TEST(BuiltinChecker, FloatNumbersGluedToTextAreText) {
  EXPECT_FALSE(Accepts(kFloat, "3\n", "3abc\n"));
  EXPECT_FALSE(Accepts(kFloat, "3\n", "3.0.0\n"));
  EXPECT_FALSE(Accepts(kFloat, "1.5\n", "1,5\n"));
  EXPECT_FALSE(Accepts(kFloat, "16\n", "0x10\n"));
  EXPECT_TRUE(Accepts(kFloat, "x=3\n", "x=3\n"));
  EXPECT_FALSE(Accepts(kFloat, "x=3\n", "x=3.0000001\n"));
  EXPECT_TRUE(Accepts(kFloat, "Case #1: 2.5\n", "Case #1: 2.5000001\r\n"));
}

TEST(BuiltinChecker, FloatOnVeryLongLinesAndEmptyOutput) {
  std::string want, got;
  for (int i = 0; i < 200000; ++i) {
    want += std::to_string(i) + " ";
    got += std::to_string(i) + ".0000001 ";
  }
  EXPECT_TRUE(Accepts(kFloat, want, got));
  std::string off = got;
  off.replace(off.find(" 123456.0000001 "), 16, " 123456.5 ");  // rel allows 0.12
  EXPECT_EQ(Check(kFloat, {1e-6, 1e-6}, want, off).message,
            "wrong answer 123457th token: expected '123456', found '123456.5'");
  EXPECT_FALSE(Accepts(kFloat, "1\n", ""));
  EXPECT_TRUE(Accepts(kFloat, "", ""));
}

TEST(ParseFiniteNumber, TheGrammar) {
  double v = 0;
  EXPECT_TRUE(ParseFiniteNumber("-12.5e-1", &v));
  EXPECT_DOUBLE_EQ(v, -1.25);
  EXPECT_TRUE(ParseFiniteNumber("5.", &v));
  EXPECT_DOUBLE_EQ(v, 5);
  EXPECT_TRUE(ParseFiniteNumber("-0", &v));
  EXPECT_TRUE(std::signbit(v));
  for (const char* bad : {"", "+", "-", ".", "e5", "1e", "1e+", "--1", "+-1", " 1", "1 ", "0x1p3",
                          "nan", "inf", "1e309"}) {
    EXPECT_FALSE(ParseFiniteNumber(bad, &v)) << bad;
  }
}

}  // namespace
}  // namespace noj::judge

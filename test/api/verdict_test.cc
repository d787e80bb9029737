#include "api/verdict.h"

#include <gtest/gtest.h>

namespace noj::api {
namespace {

TEST(Verdict, CodesMatchTheProtocol) {
  EXPECT_EQ(VerdictCode(Verdict::kNoCode), -2);
  EXPECT_EQ(VerdictCode(Verdict::kPending), -1);
  EXPECT_EQ(VerdictCode(Verdict::kAC), 0);
  EXPECT_EQ(VerdictCode(Verdict::kWA), 1);
  EXPECT_EQ(VerdictCode(Verdict::kCE), 2);
  EXPECT_EQ(VerdictCode(Verdict::kTLE), 3);
  EXPECT_EQ(VerdictCode(Verdict::kMLE), 4);
  EXPECT_EQ(VerdictCode(Verdict::kRE), 5);
  EXPECT_EQ(VerdictCode(Verdict::kJE), 6);
  EXPECT_EQ(VerdictCode(Verdict::kOLE), 7);
}

TEST(Verdict, NamesRoundTripThroughParseCaseVerdict) {
  for (int code = 0; code <= 7; ++code) {
    Verdict v = *VerdictFromCode(code);
    std::optional<Verdict> parsed = ParseCaseVerdict(VerdictName(v));
    ASSERT_TRUE(parsed.has_value()) << VerdictName(v);
    EXPECT_EQ(*parsed, v);
  }
  EXPECT_EQ(VerdictName(Verdict::kTLE), "TLE");
  EXPECT_EQ(VerdictName(Verdict::kOLE), "OLE");
  EXPECT_EQ(VerdictName(Verdict::kPending), "PENDING");
  EXPECT_EQ(VerdictName(Verdict::kNoCode), "NO_CODE");
}

TEST(Verdict, ParseCaseVerdictRejectsEverythingElse) {
  for (std::string_view s : {"", "ac", "Ac", "AC ", " AC", "PENDING", "NO_CODE", "XX", "ACC", "0"})
    EXPECT_FALSE(ParseCaseVerdict(s).has_value()) << "'" << s << "'";
}

TEST(Verdict, FromCodeAcceptsOnlyTheProtocolRange) {
  EXPECT_EQ(VerdictFromCode(-2), Verdict::kNoCode);
  EXPECT_EQ(VerdictFromCode(-1), Verdict::kPending);
  EXPECT_EQ(VerdictFromCode(7), Verdict::kOLE);
  EXPECT_FALSE(VerdictFromCode(-3).has_value());
  EXPECT_FALSE(VerdictFromCode(8).has_value());
  EXPECT_FALSE(VerdictFromCode(1 << 30).has_value());
}

TEST(Verdict, WorseVerdictsHaveLargerCodes) {
  EXPECT_LT(VerdictCode(Verdict::kAC), VerdictCode(Verdict::kWA));
  EXPECT_LT(VerdictCode(Verdict::kRE), VerdictCode(Verdict::kJE));
  EXPECT_LT(VerdictCode(Verdict::kJE), VerdictCode(Verdict::kOLE));
}

}  // namespace
}  // namespace noj::api

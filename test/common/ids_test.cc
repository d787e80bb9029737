#include "common/ids.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace noj::ids {
namespace {

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

TEST(Ids, UlidHasTwentySixCrockfordChars) {
  std::string u = Ulid(1'700'000'000'000);
  ASSERT_EQ(u.size(), 26u);
  for (char c : u) EXPECT_NE(kCrockford.find(c), std::string_view::npos) << c;
}

TEST(Ids, UlidEncodesTimeLikeTheSpec) {
  // Example from the ULID specification: 1469918176385 ms -> "01ARYZ6S41".
  EXPECT_EQ(Ulid(1469918176385).substr(0, 10), "01ARYZ6S41");
  EXPECT_EQ(Ulid(0).substr(0, 10), "0000000000");
}

TEST(Ids, UlidsSortByTime) {
  std::string prev = Ulid(1);
  for (int64_t t : {2LL, 1000LL, 1'600'000'000'000LL, 1'700'000'000'000LL, 1'700'000'000'001LL}) {
    std::string cur = Ulid(t);
    EXPECT_LT(prev, cur) << "t=" << t;
    prev = cur;
  }
}

TEST(Ids, UlidsAreUniqueWithinOneMillisecond) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) seen.insert(Ulid(1'700'000'000'000));
  EXPECT_EQ(seen.size(), 2000u);
}

TEST(Ids, PrefixedIdsAreWellFormed) {
  EXPECT_TRUE(IsRunnerId(NewRunnerId(5)));
  EXPECT_TRUE(IsJobId(NewJobId(5)));
  EXPECT_TRUE(IsSubmissionId(NewSubmissionId(5)));
  EXPECT_EQ(NewJobId(5).substr(0, 3), "jb_");
  EXPECT_FALSE(IsJobId(NewRunnerId(5)));
  EXPECT_FALSE(IsRunnerId(NewSubmissionId(5)));
}

TEST(Ids, IsWellFormedRejectsMalformedIds) {
  std::string good = NewJobId(1'700'000'000'000);
  ASSERT_TRUE(IsJobId(good));
  EXPECT_FALSE(IsJobId(""));
  EXPECT_FALSE(IsJobId("jb_"));
  EXPECT_FALSE(IsJobId(good.substr(0, good.size() - 1)));  // too short
  EXPECT_FALSE(IsJobId(good + "0"));                       // too long
  EXPECT_FALSE(IsJobId("JB_" + good.substr(3)));           // prefix is case-sensitive
  for (char bad : {'I', 'L', 'O', 'U', 'a', '/', '.', '\0'}) {
    std::string id = good;
    id[10] = bad;
    EXPECT_FALSE(IsJobId(id)) << "char " << static_cast<int>(bad);
  }
  EXPECT_FALSE(IsJobId("jb_../../../../etc/passwd0000"));
}

TEST(Ids, RunnerTokenIsPrefixedAndUrlSafe) {
  std::string tok = NewRunnerToken();
  ASSERT_EQ(tok.size(), 3u + 43u);
  EXPECT_EQ(tok.substr(0, 3), "rk_");
  for (char c : tok.substr(3))
    EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '_')
        << c;
  EXPECT_NE(NewRunnerToken(), NewRunnerToken());
}

TEST(Ids, SecretsAreFortyThreeCharsAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string s = NewSecret();
    EXPECT_EQ(s.size(), 43u);
    seen.insert(s);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace noj::ids

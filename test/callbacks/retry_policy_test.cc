#include "callbacks/retry_policy.h"

#include <gtest/gtest.h>

namespace noj::callbacks {
namespace {

using Kind = store::DeliveryAttempt::Kind;
constexpr int64_t kNow = 1'767'225'600'000;

TEST(RetryPolicy, BackoffGrowsUpToTheCap) {
  RetryPolicy p(RetryOptions{}, 1);
  EXPECT_EQ(p.Ceiling(0), 1000);
  EXPECT_EQ(p.Ceiling(1), 2000);
  EXPECT_EQ(p.Ceiling(2), 4000);
  EXPECT_EQ(p.Ceiling(9), 512'000);
  EXPECT_EQ(p.Ceiling(10), 600'000);    // 1024 s capped at 10 min
  EXPECT_EQ(p.Ceiling(1000), 600'000);  // no overflow
  for (int n = 0; n < 20; ++n) EXPECT_LE(p.Ceiling(n), p.Ceiling(n + 1));
}

TEST(RetryPolicy, JitterStaysWithinHalfToFullDelayAndVaries) {
  RetryPolicy p(RetryOptions{}, 42);
  for (int attempts : {0, 3, 12}) {
    int64_t ceiling = p.Ceiling(attempts);
    int64_t lo = ceiling, hi = 0;
    for (int i = 0; i < 2000; ++i) {
      int64_t d = p.Delay(attempts);
      ASSERT_GE(d, ceiling / 2);
      ASSERT_LE(d, ceiling);
      lo = std::min(lo, d);
      hi = std::max(hi, d);
    }
    // Full jitter: the draws spread over most of the range, not one value.
    EXPECT_LT(lo, ceiling / 2 + ceiling / 10) << attempts;
    EXPECT_GT(hi, ceiling - ceiling / 10) << attempts;
  }
}

TEST(RetryPolicy, TwoXxIsDelivered) {
  RetryPolicy p;
  for (int status : {200, 201, 202, 204, 299})
    EXPECT_EQ(p.Decide({.http_status = status}, 3, kNow - 1000, kNow).kind, Kind::kDelivered)
        << status;
}

TEST(RetryPolicy, GoneIsDeadAtOnce) {
  RetryPolicy p;
  auto a = p.Decide({.http_status = 410, .error = "HTTP 410"}, 0, kNow, kNow);
  EXPECT_EQ(a.kind, Kind::kDead);
  EXPECT_EQ(a.error, "HTTP 410 Gone");
}

TEST(RetryPolicy, FailuresAreRetriedWithBackoff) {
  RetryPolicy p(RetryOptions{}, 7);
  for (auto r :
       {AttemptResult{.http_status = 500, .error = "HTTP 500"},
        AttemptResult{.http_status = 404, .error = "HTTP 404"},
        AttemptResult{.http_status = 302, .error = "HTTP 302 (redirects are not followed)"},
        AttemptResult{.http_status = 0, .error = "timeout after 10000 ms"},
        AttemptResult{.http_status = 0, .error = "connect: refused"}}) {
    auto a = p.Decide(r, 2, kNow - 60'000, kNow);
    EXPECT_EQ(a.kind, Kind::kRetry) << r.error;
    EXPECT_EQ(a.error, r.error);
    EXPECT_GE(a.next_attempt_at, kNow + 2000);  // 4 s ceiling, jitter >= half
    EXPECT_LE(a.next_attempt_at, kNow + 4000);
  }
  // No error text given: the status is named.
  EXPECT_EQ(p.Decide({.http_status = 503}, 0, kNow, kNow).error, "HTTP 503");
}

TEST(RetryPolicy, DeadOnceTheNextTryWouldPassTheMaxAge) {
  RetryOptions o;
  o.max_age_ms = 60'000;
  RetryPolicy p(o, 3);
  // Created 50 s ago; after 5 attempts the next waits 16..32 s: past the minute.
  auto a = p.Decide({.http_status = 500, .error = "HTTP 500"}, 5, kNow - 50'000, kNow);
  EXPECT_EQ(a.kind, Kind::kDead);
  EXPECT_EQ(a.error, "max age reached after 6 attempts: HTTP 500");
  // Young enough: retried.
  EXPECT_EQ(p.Decide({.http_status = 500, .error = "HTTP 500"}, 0, kNow - 1000, kNow).kind,
            Kind::kRetry);
  // Default max age is a day.
  EXPECT_EQ(RetryOptions{}.max_age_ms, 24 * 3'600'000LL);
}

}  // namespace
}  // namespace noj::callbacks

#include "runner/backoff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace noj::runner {
namespace {

std::vector<int64_t> Take(Backoff b, int n) {
  std::vector<int64_t> out;
  for (int i = 0; i < n; ++i) {
    auto d = b.Next();
    out.push_back(d ? d->count() : -1);
  }
  return out;
}

TEST(Backoff, RegisterScheduleRepeatsThirtySecondsForever) {
  EXPECT_THAT(Take(RegisterBackoff(), 9),
              ::testing::ElementsAre(1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000));
}

TEST(Backoff, SendScheduleGivesUpAfterSixteenSeconds) {
  EXPECT_THAT(Take(SendBackoff(), 7),
              ::testing::ElementsAre(1000, 2000, 4000, 8000, 16000, -1, -1));
}

TEST(Backoff, PrepScheduleAllowsThreeAttempts) {
  EXPECT_THAT(Take(PrepBackoff(), 3), ::testing::ElementsAre(1000, 2000, -1));
}

TEST(Backoff, ResetStartsOver) {
  Backoff b = RegisterBackoff();
  (void)b.Next();
  (void)b.Next();
  EXPECT_EQ(b.retries(), 2u);
  b.Reset();
  EXPECT_EQ(b.Next()->count(), 1000);
}

TEST(Backoff, EmptyScheduleNeverRetries) {
  Backoff b({}, true);
  EXPECT_FALSE(b.Next().has_value());
}

}  // namespace
}  // namespace noj::runner

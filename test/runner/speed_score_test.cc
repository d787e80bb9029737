// The runner's start-up speed measurement (speed_score.h).

#include "runner/speed_score.h"

#include <gtest/gtest.h>

#include "support/status_matchers.h"

namespace noj::runner {
namespace {

TEST(SpeedScore, TheWorkIsDeterministic) {
  EXPECT_EQ(SpeedWork(1000), SpeedWork(1000));
  EXPECT_NE(SpeedWork(1000), SpeedWork(1001));
}

TEST(SpeedScore, MeasuresAPositiveScoreFromTheBestAttempt) {
  ASSERT_OK_AND_ASSIGN(SpeedMeasurement m, MeasureSpeed(2));
  EXPECT_GT(m.score, 0);
  EXPECT_GT(m.best_cpu_ms, 0);
  EXPECT_EQ(m.checksum, SpeedWork(kSpeedUnitRounds * kSpeedUnits));
  // score and time are the two sides of one figure (no wall-clock bound: the machine is shared).
  EXPECT_NEAR(m.score * m.best_cpu_ms, kSpeedUnits * 1e3 / kReferenceUnitsPerSecond, 1e-6);
}

}  // namespace
}  // namespace noj::runner

#pragma once
// The runner's own speed, measured once at start (docs/runner.md, "Speed score"): a fixed,
// deterministic CPU-bound loop timed with the thread's CPU clock, best of 3, so that an operator
// sees a slow judge machine (logged, in /metrics, sent at registration, shown in GET /runners).
//
// speed_score = work units per CPU-second of this machine / kReferenceUnitsPerSecond: 1.0 is
// 2 ns per round of the loop, 2.0 a machine twice as fast on it. It measures one core's integer
// speed only — not memory, disk or the sandbox — and is for display: nothing is decided on it.

#include <cstdint>

#include "common/status.h"

namespace noj::runner {

// One work unit: this many rounds of the loop.
inline constexpr uint64_t kSpeedUnitRounds = 500'000;
// Score 1.0: 1000 units per CPU-second, i.e. 2 ns a round — about this project's development
// machine (a shared 2-core VM, measured at 1.0-1.2 when this was written).
inline constexpr double kReferenceUnitsPerSecond = 1000.0;
// Units per attempt: ~160 ms of CPU at score 1.0.
inline constexpr int kSpeedUnits = 160;

// The loop itself: `rounds` rounds of an integer mix whose every step depends on the last (no
// vectorising, no skipping). Returns its checksum, which depends only on `rounds`.
uint64_t SpeedWork(uint64_t rounds);

struct SpeedMeasurement {
  double score = 0;        // reference units per CPU-second / kReferenceUnitsPerSecond
  double best_cpu_ms = 0;  // the fastest of the attempts, thread CPU time
  uint64_t checksum = 0;
};

// Runs kSpeedUnits units `attempts` times on the calling thread and keeps the fastest.
// kInternal when the thread CPU clock cannot be read.
Result<SpeedMeasurement> MeasureSpeed(int attempts = 3);

}  // namespace noj::runner

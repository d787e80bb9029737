#include "runner/speed_score.h"

#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <string>

namespace noj::runner {
namespace {

Result<double> ThreadCpuMs() {
  timespec ts{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return InternalError(std::string("thread CPU clock: ") + std::strerror(errno));
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

uint64_t SpeedWork(uint64_t rounds) {
  // xorshift64 feeding a multiply-rotate accumulator: a serial chain of integer ops, the same
  // instructions on every x86-64 or arm64 compiler at -O2, nothing the compiler can fold.
  uint64_t x = 0x9E3779B97F4A7C15ull, acc = 0;
  for (uint64_t i = 0; i < rounds; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    acc = (acc ^ x) * 0xBF58476D1CE4E5B9ull;
    acc = (acc << 31) | (acc >> 33);
  }
  return acc;
}

Result<SpeedMeasurement> MeasureSpeed(int attempts) {
  SpeedMeasurement m;
  double best = std::numeric_limits<double>::infinity();
  for (int a = 0; a < std::max(1, attempts); ++a) {
    NOJ_ASSIGN_OR_RETURN(double start, ThreadCpuMs());
    uint64_t sum = SpeedWork(kSpeedUnitRounds * kSpeedUnits);
    NOJ_ASSIGN_OR_RETURN(double end, ThreadCpuMs());
    // The checksum is returned, so the work cannot be dropped as dead code.
    m.checksum = sum;
    best = std::min(best, end - start);
  }
  best = std::max(best, 0.001);  // a clock too coarse to see the work must not divide by 0
  m.best_cpu_ms = best;
  m.score = (kSpeedUnits / (best / 1e3)) / kReferenceUnitsPerSecond;
  return m;
}

}  // namespace noj::runner

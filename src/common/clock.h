#pragma once
// Time is injected: production uses SystemClock, tests a FakeClock (test/support/fake_clock.h).
// All protocol and store times are epoch milliseconds.

#include <chrono>
#include <cstdint>

namespace noj {

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock epoch milliseconds. Thread-safe.
  virtual int64_t NowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// Monotonic milliseconds for measuring durations (never for stored times).
inline int64_t MonotonicMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace noj

#pragma once
// A Clock the test moves by hand. Thread-safe.

#include <atomic>
#include <cstdint>

#include "common/clock.h"

namespace noj::testing {

class FakeClock final : public Clock {
 public:
  // An arbitrary fixed start (2026-01-01T00:00:00Z): far from 0, so "0 = unset" bugs show.
  static constexpr int64_t kStartMs = 1'767'225'600'000;

  explicit FakeClock(int64_t start_ms = kStartMs) : now_ms_(start_ms) {}

  int64_t NowMs() const override { return now_ms_.load(); }

  void Set(int64_t now_ms) { now_ms_.store(now_ms); }
  // Moves time forward by `ms` and returns the new time.
  int64_t Advance(int64_t ms) { return now_ms_.fetch_add(ms) + ms; }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace noj::testing

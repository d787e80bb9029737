#pragma once
// Sleeper: the one place the runner waits for time to pass, injected so that backoff schedules
// and cadences are testable without real sleeps (tests use a fake that records the durations).

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>

namespace noj::runner {

class Sleeper {
 public:
  Sleeper() = default;
  Sleeper(const Sleeper&) = delete;
  Sleeper& operator=(const Sleeper&) = delete;
  virtual ~Sleeper() = default;

  // Waits `duration` or until `stop` is requested, whichever comes first.
  // Returns false when woken by the stop request. Thread-safe.
  virtual bool SleepFor(std::chrono::milliseconds duration, std::stop_token stop) = 0;
};

// Real time, interruptible through the stop_token (condition_variable_any + stop_token).
class RealSleeper final : public Sleeper {
 public:
  bool SleepFor(std::chrono::milliseconds duration, std::stop_token stop) override;

 private:
  std::mutex mu_;
  std::condition_variable_any cv_;
};

}  // namespace noj::runner

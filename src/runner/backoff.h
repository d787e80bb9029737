#pragma once
// Retry schedules of the runner (issue: register 1,2,4,8,16,30,30… s; send 1,2,4,8,16 s;
// preparation 3 attempts). A Backoff hands out the delay before each retry; it is a value type,
// one per retry sequence, not thread-safe.

#include <chrono>
#include <optional>
#include <vector>

namespace noj::runner {

class Backoff {
 public:
  // `delays` are the waits before retry 1, 2, …; with `repeat_last` the last delay repeats
  // forever, otherwise Next() returns nullopt once the schedule is used up (give up).
  Backoff(std::vector<std::chrono::milliseconds> delays, bool repeat_last);

  // The delay before the next retry, or nullopt when no retry is left.
  std::optional<std::chrono::milliseconds> Next();
  // Starts the schedule over (after a success).
  void Reset() { next_ = 0; }
  // Number of delays handed out since the last Reset().
  size_t retries() const { return next_; }

 private:
  std::vector<std::chrono::milliseconds> delays_;
  bool repeat_last_;
  size_t next_ = 0;
};

// 1, 2, 4, 8, 16, 30, 30, … s: registration and the poll loop's error backoff (never gives up).
Backoff RegisterBackoff();
// 1, 2, 4, 8, 16 s, then give up: sending a result (6 tries in all).
Backoff SendBackoff();
// 1, 2 s, then give up: preparing a job (3 attempts in all), and aborting a job.
Backoff PrepBackoff();

}  // namespace noj::runner

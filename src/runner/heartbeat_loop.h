#pragma once
// The heartbeat (protocol.md §2.2) on a fixed cadence (ticks at start + k × interval, never
// drifting with the request time): active_job_ids from the tracker and want_hints, so that the
// server renews their leases and names jobs to stop. Two 401s in a row mean the runner's identity
// is gone: the loop reports it and ends (the runner exits non-zero; a supervisor restarts it and
// it registers again).

#include <chrono>
#include <functional>
#include <stop_token>

#include "common/clock.h"
#include "runner/job_tracker.h"
#include "runner/runner_api.h"
#include "runner/sleeper.h"

namespace noj::runner {

class HeartbeatLoop {
 public:
  HeartbeatLoop(RunnerApi& api, JobTracker& tracker, Sleeper& sleeper, const Clock& clock,
                std::chrono::milliseconds interval, std::function<void()> on_revoked);

  // Beats until `stop` or revocation; the first beat is immediate.
  void Run(std::stop_token stop);
  // One beat. False when this was the second 401 in a row (on_revoked has been called).
  bool BeatOnce(std::stop_token stop);

 private:
  RunnerApi& api_;
  JobTracker& tracker_;
  Sleeper& sleeper_;
  const Clock& clock_;
  const std::chrono::milliseconds interval_;
  std::function<void()> on_revoked_;
  int unauthenticated_in_a_row_ = 0;
};

}  // namespace noj::runner

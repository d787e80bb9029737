#pragma once
// Claiming jobs (protocol.md §2.3): GET next-job?wait=N only while a slot is free. A claimed job
// is tracked before it is handed to `launch`, so the next heartbeat already renews its lease.
// An answer 204 faster than the advertised poll interval means the server does not long-poll:
// the loop then waits out the interval. Errors back off 1, 2, 4, … 30 s. A payload that cannot be
// decoded is given back (abort "prep_failed") when its job id is readable.
// Stopping: `stop` ends the loop between requests, but an in-flight long-poll is left to finish
// (a claim the server makes for a request we cut would be lost until its lease expires, costing
// the submission an attempt); `cut` interrupts the request itself (deadline, stop-now).

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>

#include "api/job_payload.h"
#include "common/clock.h"
#include "runner/backoff.h"
#include "runner/job_tracker.h"
#include "runner/runner_api.h"
#include "runner/sleeper.h"

namespace noj::runner {

struct PollOptions {
  int wait_sec = 20;                              // long-poll hold asked of the server
  std::chrono::milliseconds poll_interval{3000};  // the server's poll_interval_sec
};

using JobLauncher = std::function<void(api::JobPayload, std::shared_ptr<JobControl>)>;

class PollLoop {
 public:
  PollLoop(RunnerApi& api, JobTracker& tracker, Sleeper& sleeper, const Clock& clock,
           PollOptions options, JobLauncher launch);

  void Run(std::stop_token stop, std::stop_token cut);

  enum class Outcome { kLaunched, kNoJob, kError, kStopped };
  // One claim attempt, including the waits it implies (interval or backoff). For tests.
  Outcome PollOnce(std::stop_token stop, std::stop_token cut);

 private:
  void HandleClaim(PolledJob job, std::stop_token stop);

  RunnerApi& api_;
  JobTracker& tracker_;
  Sleeper& sleeper_;
  const Clock& clock_;
  const PollOptions options_;
  JobLauncher launch_;
  Backoff backoff_ = RegisterBackoff();
};

}  // namespace noj::runner

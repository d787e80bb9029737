#pragma once
// Delivering a job's outcome (protocol.md §2.4, §2.5):
//   complete: retried after 1, 2, 4, 8, 16 s on network errors, 5xx and unexpected codes;
//             204 landed; 409 / 404 dropped (the lease is gone: never retried); 400 rejected
//             (the caller then aborts the job with reason "rejected").
//   abort:    best effort, retried after 1, 2 s on network errors and 5xx; 409 / 404 end it.

#include <stop_token>
#include <string>
#include <string_view>

#include "api/results.h"
#include "runner/runner_api.h"
#include "runner/runner_metrics.h"
#include "runner/sleeper.h"

namespace noj::runner {

enum class SendOutcome {
  kLanded,    // 204
  kDropped,   // 409 or 404: not ours any more
  kRejected,  // 400: malformed result
  kGaveUp,    // retries used up; the lease will expire and the job be reclaimed
  kStopped,   // `stop` was requested
};

std::string_view SendOutcomeName(SendOutcome o);

// `metrics` (may be null) counts the retries.
SendOutcome SendResult(RunnerApi& api, Sleeper& sleeper, const std::string& job_id, int attempt,
                       const api::ReportedCases& cases, std::stop_token stop,
                       RunnerMetrics* metrics = nullptr);

// `max_tries` bounds the attempts (1: a single try, e.g. at the drain deadline).
Status AbortJob(RunnerApi& api, Sleeper& sleeper, const std::string& job_id,
                std::string_view reason, std::stop_token stop, int max_tries = 3);

}  // namespace noj::runner

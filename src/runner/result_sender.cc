#include "runner/result_sender.h"

#include "common/logging.h"
#include "runner/backoff.h"

namespace noj::runner {

std::string_view SendOutcomeName(SendOutcome o) {
  switch (o) {
    case SendOutcome::kLanded:
      return "landed";
    case SendOutcome::kDropped:
      return "dropped";
    case SendOutcome::kRejected:
      return "rejected";
    case SendOutcome::kGaveUp:
      return "gave_up";
    case SendOutcome::kStopped:
      return "stopped";
  }
  return "unknown";
}

SendOutcome SendResult(RunnerApi& api, Sleeper& sleeper, const std::string& job_id, int attempt,
                       const api::ReportedCases& cases, std::stop_token stop,
                       RunnerMetrics* metrics) {
  Backoff backoff = SendBackoff();
  for (;;) {
    Status s = api.Complete(job_id, attempt, cases, stop);
    if (s.ok()) return SendOutcome::kLanded;
    if (stop.stop_requested()) return SendOutcome::kStopped;
    switch (s.code()) {
      case ErrorCode::kAborted:
      case ErrorCode::kNotFound:
        NOJ_LOG_WARN("event=result_dropped job={} reason=\"{}\"", job_id, s.message());
        return SendOutcome::kDropped;
      case ErrorCode::kInvalidArgument:
        NOJ_LOG_ERROR("event=result_rejected job={} reason=\"{}\"", job_id, s.message());
        return SendOutcome::kRejected;
      default:
        break;
    }
    auto delay = backoff.Next();
    if (!delay) {
      NOJ_LOG_ERROR("event=result_send_gave_up job={} error=\"{}\"", job_id, s.message());
      return SendOutcome::kGaveUp;
    }
    if (metrics) metrics->SendRetry();
    NOJ_LOG_WARN("event=result_send_retry job={} in_ms={} error=\"{}\"", job_id, delay->count(),
                 s.message());
    if (!sleeper.SleepFor(*delay, stop)) return SendOutcome::kStopped;
  }
}

Status AbortJob(RunnerApi& api, Sleeper& sleeper, const std::string& job_id,
                std::string_view reason, std::stop_token stop, int max_tries) {
  Backoff backoff = PrepBackoff();
  for (int tries = 1;; ++tries) {
    Status s = api.Abort(job_id, reason, stop);
    if (s.ok()) {
      NOJ_LOG_INFO("event=job_aborted job={} reason={}", job_id, reason);
      return s;
    }
    bool retryable = s.code() == ErrorCode::kUnavailable || s.code() == ErrorCode::kUnauthenticated;
    auto delay = retryable && tries < max_tries ? backoff.Next() : std::nullopt;
    if (!delay || stop.stop_requested()) {
      NOJ_LOG_WARN("event=abort_failed job={} reason={} error=\"{}\"", job_id, reason, s.message());
      return s;
    }
    if (!sleeper.SleepFor(*delay, stop)) return AbortedError("abort cancelled");
  }
}

}  // namespace noj::runner

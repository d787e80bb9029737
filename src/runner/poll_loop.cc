#include "runner/poll_loop.h"

#include "common/logging.h"
#include "runner/result_sender.h"

namespace noj::runner {

PollLoop::PollLoop(RunnerApi& api, JobTracker& tracker, Sleeper& sleeper, const Clock& clock,
                   PollOptions options, JobLauncher launch)
    : api_(api),
      tracker_(tracker),
      sleeper_(sleeper),
      clock_(clock),
      options_(options),
      launch_(std::move(launch)) {}

void PollLoop::Run(std::stop_token stop, std::stop_token cut) {
  while (!stop.stop_requested()) {
    if (!tracker_.WaitForFreeSlot(stop)) return;
    if (PollOnce(stop, cut) == Outcome::kStopped) return;
  }
}

PollLoop::Outcome PollLoop::PollOnce(std::stop_token stop, std::stop_token cut) {
  int64_t started = clock_.NowMs();
  auto polled = api_.NextJob(options_.wait_sec, cut);
  if (polled.ok() && polled->has_value()) {  // claimed: track it even when stopping (drain gives
    backoff_.Reset();                        // it back), or its lease would just run out
    HandleClaim(std::move(**polled), stop);
    return Outcome::kLaunched;
  }
  if (stop.stop_requested()) return Outcome::kStopped;
  if (!polled.ok()) {
    auto delay = backoff_.Next();
    NOJ_LOG_WARN("event=poll_failed retry_in_ms={} error=\"{}\"", delay->count(),
                 polled.status().message());
    return sleeper_.SleepFor(*delay, stop) ? Outcome::kError : Outcome::kStopped;
  }
  backoff_.Reset();
  int64_t elapsed = clock_.NowMs() - started;
  auto rest = options_.poll_interval - std::chrono::milliseconds(elapsed);
  if (rest.count() > 0 && !sleeper_.SleepFor(rest, stop)) return Outcome::kStopped;
  return Outcome::kNoJob;
}

void PollLoop::HandleClaim(PolledJob job, std::stop_token stop) {
  if (!job.payload) {
    NOJ_LOG_ERROR("event=bad_payload job={} error=\"{}\"", job.job_id.empty() ? "?" : job.job_id,
                  job.parse_status.message());
    if (!job.job_id.empty())
      AbortJob(api_, sleeper_, job.job_id, "prep_failed", stop, 1).IgnoreError();  // logged
    return;
  }
  std::shared_ptr<JobControl> control = tracker_.Track(job.payload->job_id, job.payload->attempt);
  if (!control) {
    NOJ_LOG_WARN("event=duplicate_claim job={}", job.payload->job_id);
    return;
  }
  launch_(std::move(*job.payload), std::move(control));
}

}  // namespace noj::runner

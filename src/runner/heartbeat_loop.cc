#include "runner/heartbeat_loop.h"

#include "common/logging.h"

namespace noj::runner {

HeartbeatLoop::HeartbeatLoop(RunnerApi& api, JobTracker& tracker, Sleeper& sleeper,
                             const Clock& clock, std::chrono::milliseconds interval,
                             std::function<void()> on_revoked)
    : api_(api),
      tracker_(tracker),
      sleeper_(sleeper),
      clock_(clock),
      interval_(interval.count() > 0 ? interval : std::chrono::seconds(15)),
      on_revoked_(std::move(on_revoked)) {}

bool HeartbeatLoop::BeatOnce(std::stop_token stop) {
  std::vector<std::string> active = tracker_.ActiveIds();
  auto cancel = api_.Heartbeat(active, stop);
  if (cancel.ok()) {
    unauthenticated_in_a_row_ = 0;
    for (const auto& id : tracker_.Cancel(*cancel, StopReason::kServerCancel))
      NOJ_LOG_WARN("event=job_cancel_hint job={}", id);
    return true;
  }
  if (stop.stop_requested()) return true;
  if (cancel.status().code() == ErrorCode::kUnauthenticated) {
    if (++unauthenticated_in_a_row_ >= 2) {
      NOJ_LOG_ERROR("event=runner_revoked error=\"{}\"", cancel.status().message());
      on_revoked_();
      return false;
    }
  } else {
    unauthenticated_in_a_row_ = 0;
  }
  NOJ_LOG_WARN("event=heartbeat_failed active={} error=\"{}\"", active.size(),
               cancel.status().message());
  return true;
}

void HeartbeatLoop::Run(std::stop_token stop) {
  int64_t next = clock_.NowMs();
  while (!stop.stop_requested()) {
    if (!BeatOnce(stop)) return;
    next += interval_.count();
    int64_t now = clock_.NowMs();
    if (next < now) next = now;  // fell behind (slow server): beat now, re-anchor the cadence
    if (!sleeper_.SleepFor(std::chrono::milliseconds(next - now), stop)) return;
  }
}

}  // namespace noj::runner

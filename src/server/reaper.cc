#include "server/reaper.h"

#include <condition_variable>
#include <mutex>

#include "common/logging.h"

namespace noj::server {

Reaper::Reaper(ServerContext& ctx, int64_t interval_ms) : ctx_(ctx), interval_ms_(interval_ms) {
  thread_ = std::jthread([this](std::stop_token stop) {
    std::mutex mu;
    std::condition_variable_any cv;
    while (!stop.stop_requested()) {
      RunOnce();
      std::unique_lock lock(mu);
      cv.wait_for(lock, stop, std::chrono::milliseconds(interval_ms_), [] { return false; });
    }
  });
}

Reaper::~Reaper() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

void Reaper::RunOnce() {
  int64_t now = ctx_.clock.NowMs();
  for (int round = 0; round < 100; ++round) {  // bounded: 100 × 500 per pass
    auto out = ctx_.store.ReapExpired(ctx_.config.max_attempts, now, 500);
    if (!out.ok()) {
      NOJ_LOG_WARN("event=reap_failed error=\"{}\"", out.status().ToString());
      return;
    }
    ctx_.metrics.OnExhausted(out->converged_to_je.size(), ctx_.config.max_attempts);
    for (const std::string& sid : out->converged_to_je) {
      NOJ_LOG_WARN("event=judge_error submission={} reason=max_attempts source=reaper", sid);
      ctx_.notify(SubmissionTopic(sid), -1);
    }
    for (const std::string& jb : out->discarded_stale_jobs)
      NOJ_LOG_INFO("event=stale_job_discarded job={} source=reaper", jb);
    if (out->converged_to_je.size() + out->discarded_stale_jobs.size() < 500) break;
  }
  if (now - last_identity_gc_ms_ >= 60'000) {
    last_identity_gc_ms_ = now;
    auto n = ctx_.store.ForgetExpiredRunners(now);
    if (n.ok() && *n > 0) NOJ_LOG_INFO("event=runners_forgotten count={}", *n);
  }
}

}  // namespace noj::server

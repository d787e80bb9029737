#include "server/store_health.h"

#include "common/logging.h"

namespace noj::server {

void StoreHealth::ProbeStarted(int64_t now_ms) {
  MutexLock lock(&mu_);
  probed_ = true;
  in_flight_since_ = now_ms;
}

void StoreHealth::ProbeFinished(bool ok, const std::string& error, int64_t now_ms) {
  int64_t waited = 0;
  bool was_ok = false;
  {
    MutexLock lock(&mu_);
    waited = in_flight_since_ > 0 ? now_ms - in_flight_since_ : 0;
    was_ok = last_ok_;
    in_flight_since_ = 0;
    last_ok_ = ok;
  }
  // One line per change, not per probe. A stall shows as a late answer (the probe's thread was
  // waiting meanwhile): /healthz said down from stall_after_ms on.
  bool stalled = waited > stall_after_ms_;
  if (was_ok && !ok)
    NOJ_LOG_WARN("event=store_probe_failed error={} waited_ms={}", logging::Quote(error), waited);
  else if (ok && (!was_ok || stalled))
    NOJ_LOG_INFO("event=store_probe_ok waited_ms={}", waited);
}

void StoreHealth::ReportUnavailable() {
  bool was_ok = false;
  {
    MutexLock lock(&mu_);
    if (!probed_) return;
    was_ok = last_ok_;
    last_ok_ = false;
  }
  if (was_ok) NOJ_LOG_WARN("event=store_unavailable source=request");
}

StoreHealth::State StoreHealth::Get(int64_t now_ms) const {
  MutexLock lock(&mu_);
  if (!probed_) return State::kUnprobed;
  if (!last_ok_) return State::kDown;
  if (in_flight_since_ > 0 && now_ms - in_flight_since_ > stall_after_ms_) return State::kDown;
  return State::kUp;
}

}  // namespace noj::server

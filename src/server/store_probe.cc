#include "server/store_probe.h"

#include <chrono>
#include <mutex>

#include "common/clock.h"

namespace noj::server {

StoreProbe::StoreProbe(store::Store& store, StoreHealth& health, int64_t interval_ms)
    : store_(store),
      health_(health),
      interval_ms_(interval_ms),
      thread_([this](std::stop_token stop) { Loop(stop); }) {}

StoreProbe::~StoreProbe() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

void StoreProbe::Loop(std::stop_token stop) {
  while (!stop.stop_requested()) {
    health_.ProbeStarted(MonotonicMs());
    Status s = store_.Ping();
    health_.ProbeFinished(s.ok(), s.ok() ? "" : s.message(), MonotonicMs());
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, stop, std::chrono::milliseconds(interval_ms_), [] { return false; });
  }
}

}  // namespace noj::server

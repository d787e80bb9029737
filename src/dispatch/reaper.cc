#include "dispatch/reaper.h"

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace noj::dispatch {

Reaper::Reaper(Dispatcher& dispatcher, int64_t interval_ms)
    : dispatcher_(dispatcher), interval_ms_(interval_ms) {
  thread_ = std::jthread([this](std::stop_token stop) {
    std::mutex mu;
    std::condition_variable_any cv;
    while (!stop.stop_requested()) {
      dispatcher_.Reap();
      std::unique_lock lock(mu);
      // Only a stop ends the wait early.
      cv.wait_for(lock, stop, std::chrono::milliseconds(interval_ms_), [] { return false; });
    }
  });
}

Reaper::~Reaper() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace noj::dispatch

#include "runner/sleeper.h"

namespace noj::runner {

bool RealSleeper::SleepFor(std::chrono::milliseconds duration, std::stop_token stop) {
  if (duration.count() <= 0) return !stop.stop_requested();
  std::unique_lock lock(mu_);
  // Nothing ever notifies cv_ except a stop request: the predicate only reports the stop.
  cv_.wait_for(lock, stop, duration, [] { return false; });
  return !stop.stop_requested();
}

}  // namespace noj::runner

#pragma once
// The reaper thread: every interval, Dispatcher::Reap — expired leases whose attempts are
// exhausted become JE (even when no runner polls), expired non-current jobs are discarded, and
// identities past their TTL are forgotten. Recovering live orphans is the claim's job (oldest
// expiry first), so a dead runner's jobs are all taken by the next polls, not one per pass.

#include <cstdint>
#include <thread>

#include "dispatch/dispatcher.h"

namespace noj::dispatch {

class Reaper {
 public:
  // Starts the thread; the first pass runs at once.
  Reaper(Dispatcher& dispatcher, int64_t interval_ms);
  ~Reaper();  // stops and joins
  Reaper(const Reaper&) = delete;
  Reaper& operator=(const Reaper&) = delete;

 private:
  Dispatcher& dispatcher_;
  const int64_t interval_ms_;
  std::jthread thread_;
};

}  // namespace noj::dispatch

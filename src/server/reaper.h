#pragma once
// Background convergence: every interval, expired leases whose attempts are exhausted become JE
// (even when no runner polls), expired non-current jobs are discarded, and identities past their
// TTL are forgotten. Recovering live orphans is the claim's job (oldest expiry first), so a dead
// runner's jobs are all taken by the next polls, not one per scan.

#include <cstdint>
#include <thread>

#include "server/context.h"

namespace noj::server {

class Reaper {
 public:
  Reaper(ServerContext& ctx, int64_t interval_ms);
  ~Reaper();  // stops and joins

  // One pass; public for tests.
  void RunOnce();

 private:
  ServerContext& ctx_;
  int64_t interval_ms_;
  int64_t last_identity_gc_ms_ = 0;
  std::jthread thread_;
};

}  // namespace noj::server

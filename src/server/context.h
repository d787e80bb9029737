#pragma once
// What every handler needs: the store, the clock, configuration, secrets and the wake-up channel.

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "api/requirements.h"
#include "common/clock.h"
#include "server/auth_cache.h"
#include "server/claim_state.h"
#include "server/config.h"
#include "server/lease_cache.h"
#include "server/metrics/server_metrics.h"
#include "server/problem_cache.h"
#include "store/store.h"

namespace noj::server {

// Wakes parked long-polls. Single node: the local Waiters; several nodes: also a broadcast.
using NotifyFn = std::function<void(const std::string& topic, int count)>;

inline const char* kJobsTopic = "jobs";
inline std::string SubmissionTopic(const std::string& sid) { return "submission:" + sid; }
// A new or returned job of requirement class `r`: wakes a parked runner that can take it.
inline std::string JobsTopicFor(const api::JobRequirements& r) {
  return std::string(kJobsTopic) + "@" + api::RequirementsKey(r);
}
// "jobs" or "jobs@<class>": what bumps jobs_epoch.
inline bool IsJobsTopic(std::string_view topic) {
  return topic == kJobsTopic || topic.rfind(std::string(kJobsTopic) + "@", 0) == 0;
}

struct ServerContext {
  store::Store& store;
  const Clock& clock;
  ServerConfig config;
  Secrets secrets;
  ProblemCache& problems;
  NotifyFn notify;
  LeaseCache leases{};
  AuthCache auth_cache{};
  // Bumped by every "jobs" wake-up, local or from another node; a claim that found nothing records
  // the epoch it started at (per capability set), so arriving long-polls skip a claim that would
  // find nothing again.
  std::atomic<uint64_t> jobs_epoch{1};
  ArrivalGate arrival_gate{};
  LeaseLimitLog lease_limit_log{};
  ServerMetrics metrics{};

  store::LeasePolicy lease_policy() const {
    return store::LeasePolicy{config.lease_ttl_s * 1000, config.max_attempts};
  }
};

}  // namespace noj::server

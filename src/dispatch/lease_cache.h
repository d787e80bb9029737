#pragma once
// What this node handed out at claim time (job → problem, submission, holder, attempt), so that a
// runner's complete or abort need not read the job back before its transition. Only a shortcut:
// the store's Complete/Abort still check holder and attempt atomically, and a miss (another node
// claimed it, or a restart) falls back to reading the job. Bounded; thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/requirements.h"
#include "common/thread_annotations.h"

namespace noj::dispatch {

// A lease as the dispatcher knows it.
struct LeaseInfo {
  std::string job_id;
  int64_t problem_id = 0;
  std::string submission_id;
  std::string runner_id;
  int attempt = 0;                    // the lease's fencing number (the job's attempts)
  int64_t enqueued_at = 0;            // for the judge-latency metric
  api::JobRequirements requirements;  // an aborted job wakes a runner that can take it
  int64_t problem_version = 0;        // the version it judges (0: current), judging.md §6
};

class LeaseCache {
 public:
  void Put(const LeaseInfo& info) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    if (leases_.size() >= kMaxEntries) leases_.clear();  // stale entries only cost a store read
    leases_[info.job_id] = info;
  }
  std::optional<LeaseInfo> Get(const std::string& job_id) const EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    auto it = leases_.find(job_id);
    if (it == leases_.end()) return std::nullopt;
    return it->second;
  }
  void Erase(const std::string& job_id) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    leases_.erase(job_id);
  }

 private:
  static constexpr size_t kMaxEntries = 200000;
  mutable Mutex mu_;
  std::unordered_map<std::string, LeaseInfo> leases_ GUARDED_BY(mu_);
};

}  // namespace noj::dispatch

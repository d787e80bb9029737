#pragma once
// What this node handed out at claim time (job → problem, submission, holder, attempt), so that the
// runner's complete need not read the job back before its transition. Only a shortcut: the store's
// Complete still checks holder and attempt atomically, and a miss (another node claimed it, or a
// restart) falls back to reading the job. Bounded; thread-safe.

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/requirements.h"

namespace noj::server {

struct LeaseInfo {
  int64_t problem_id = 0;
  std::string submission_id;
  std::string runner_id;
  int attempt = 0;
  int64_t enqueued_at = 0;            // for the judge-latency metric
  api::JobRequirements requirements;  // an aborted job wakes a runner that can take it
  int64_t problem_version = 0;        // the version it judges (0: current), judging.md §6
};

class LeaseCache {
 public:
  void Put(const std::string& job_id, LeaseInfo info) {
    std::lock_guard lock(mu_);
    if (leases_.size() >= kMaxEntries) leases_.clear();  // stale entries only cost a store read
    leases_[job_id] = std::move(info);
  }
  std::optional<LeaseInfo> Get(const std::string& job_id) const {
    std::lock_guard lock(mu_);
    auto it = leases_.find(job_id);
    if (it == leases_.end()) return std::nullopt;
    return it->second;
  }
  void Erase(const std::string& job_id) {
    std::lock_guard lock(mu_);
    leases_.erase(job_id);
  }

 private:
  static constexpr size_t kMaxEntries = 200000;
  mutable std::mutex mu_;
  std::unordered_map<std::string, LeaseInfo> leases_;
};

}  // namespace noj::server

#pragma once
// Runner identities this node verified recently, so a runner's next-job and complete do not each
// read its identity from the store (one store round trip per request saved). An entry lives at most
// kTtlMs and never past the identity's own expiry. Revocation erases it at once on every node
// (the broadcast's RunnerRevoked, wired by server::Assemble).
// It also keeps what the runner declared it can do (fixed at registration), which every claim
// needs. Thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "api/requirements.h"
#include "common/thread_annotations.h"

namespace noj::server {

class AuthCache {
 public:
  static constexpr int64_t kTtlMs = 5000;

  // The runner's capabilities when `token_sha256` was verified for `runner_id` less than kTtlMs
  // ago and the identity had not expired by `now`; nullopt otherwise.
  std::optional<api::RunnerCapabilities> Verified(const std::string& runner_id,
                                                  const std::string& token_sha256,
                                                  int64_t now) const EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    auto it = entries_.find(runner_id);
    if (it == entries_.end() || it->second.token_sha256 != token_sha256 ||
        now >= it->second.verified_at + kTtlMs || now >= it->second.expires_at)
      return std::nullopt;
    return it->second.capabilities;
  }
  void Remember(const std::string& runner_id, const std::string& token_sha256, int64_t expires_at,
                const api::RunnerCapabilities& capabilities, int64_t now) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    if (entries_.size() >= 100000) entries_.clear();
    entries_[runner_id] = Entry{token_sha256, expires_at, now, capabilities};
  }
  void Forget(const std::string& runner_id) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    entries_.erase(runner_id);
  }

 private:
  struct Entry {
    std::string token_sha256;
    int64_t expires_at = 0;
    int64_t verified_at = 0;
    api::RunnerCapabilities capabilities;
  };
  mutable Mutex mu_;
  std::unordered_map<std::string, Entry> entries_ GUARDED_BY(mu_);
};

}  // namespace noj::server

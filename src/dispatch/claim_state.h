#pragma once
// What claims remember between calls on this node. Thread-safe.
//
// ArrivalGate: a claim that found nothing records the jobs epoch it started at, so long-polls that
// arrive before the next JobsAvailable skip a claim that would find nothing again. Kept per
// capability set (judging.md §5): a job one runner cannot take may be another's, so one runner's
// empty claim says nothing about a runner that can do more.
//
// LeaseLimitLog: the runners this node has seen at the claim bound, so the bound is reported once
// when a runner reaches it (and again only after it went below).

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/thread_annotations.h"

namespace noj::dispatch {

class ArrivalGate {
 public:
  // True when a claim with capabilities `caps_key` found nothing at `epoch` (no jobs since).
  bool FoundNothingAt(const std::string& caps_key, uint64_t epoch) const EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    auto it = empty_.find(caps_key);
    return it != empty_.end() && it->second == epoch;
  }
  // A claim with `caps_key` that started at `epoch` found nothing (found_job false) or a job.
  void Record(const std::string& caps_key, uint64_t epoch, bool found_job) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    if (empty_.size() >= 10000) empty_.clear();  // distinct capability sets are few
    empty_[caps_key] = found_job ? 0 : epoch;
  }

 private:
  mutable Mutex mu_;
  std::unordered_map<std::string, uint64_t> empty_ GUARDED_BY(mu_);
};

class LeaseLimitLog {
 public:
  // True the first time `runner_id` is seen at the limit since it was last below it.
  bool Reached(const std::string& runner_id) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    if (at_limit_.size() >= 100000) at_limit_.clear();
    return at_limit_.insert(runner_id).second;
  }
  void Below(const std::string& runner_id) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    at_limit_.erase(runner_id);
  }

 private:
  Mutex mu_;
  std::unordered_set<std::string> at_limit_ GUARDED_BY(mu_);
};

}  // namespace noj::dispatch

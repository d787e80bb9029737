#include "dispatch/problem_cache.h"

namespace noj::dispatch {

namespace {

// Bounds memory; entries are refilled on demand.
constexpr size_t kMaxCachedVersions = 100000;

}  // namespace

void ProblemCache::Put(const std::shared_ptr<const store::ProblemRecord>& p) {
  MutexLock lock(&mu_);
  if (versions_.size() >= kMaxCachedVersions) versions_.clear();
  versions_[{p->problem_id, p->version}] = p;
}

Result<std::shared_ptr<const store::ProblemRecord>> ProblemCache::Version(int64_t problem_id,
                                                                          int64_t version) {
  if (version > 0) {
    MutexLock lock(&mu_);
    if (auto it = versions_.find({problem_id, version}); it != versions_.end()) return it->second;
  }
  Result<store::ProblemRecord> read =
      version > 0 ? store_.GetProblemVersion(problem_id, version) : store_.GetProblem(problem_id);
  if (!read.ok()) return read.status();
  auto p = std::make_shared<const store::ProblemRecord>(std::move(read).value());
  Put(p);
  return p;
}

Result<api::TaskSpecs> ProblemCache::Tasks(int64_t problem_id, int64_t version) {
  NOJ_ASSIGN_OR_RETURN(std::shared_ptr<const store::ProblemRecord> p, Version(problem_id, version));
  return p->tasks;
}

Result<bool> ProblemCache::HasTestdata(int64_t problem_id) {
  {
    MutexLock lock(&mu_);
    auto it = versions_.lower_bound({problem_id, 0});
    for (; it != versions_.end() && it->first.first == problem_id; ++it)
      if (it->second->has_testdata) return true;
  }
  NOJ_ASSIGN_OR_RETURN(std::shared_ptr<const store::ProblemRecord> p, Version(problem_id, 0));
  return p->has_testdata;
}

}  // namespace noj::dispatch

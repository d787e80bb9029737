#include "server/problem_cache.h"

namespace noj::server {

Result<ProblemCache::Entry> ProblemCache::Load(int64_t problem_id) {
  NOJ_ASSIGN_OR_RETURN(store::ProblemRecord p, store_.GetProblem(problem_id));
  Entry e{p.tasks, p.has_testdata};
  std::lock_guard lock(mu_);
  if (entries_.size() > 100000) entries_.clear();  // bound memory; refilled on demand
  entries_[problem_id] = e;
  return e;
}

Result<api::TaskSpecs> ProblemCache::Tasks(int64_t problem_id) {
  {
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(problem_id); it != entries_.end()) return it->second.tasks;
  }
  NOJ_ASSIGN_OR_RETURN(Entry e, Load(problem_id));
  return e.tasks;
}

Result<bool> ProblemCache::HasTestdata(int64_t problem_id) {
  {
    std::lock_guard lock(mu_);
    if (auto it = entries_.find(problem_id); it != entries_.end() && it->second.has_testdata)
      return true;
  }
  NOJ_ASSIGN_OR_RETURN(Entry e, Load(problem_id));
  return e.has_testdata;
}

}  // namespace noj::server

#include "server/problem_cache.h"

namespace noj::server {

Result<api::TaskSpecs> ProblemCache::Tasks(int64_t problem_id) {
  {
    std::lock_guard lock(mu_);
    if (auto it = tasks_.find(problem_id); it != tasks_.end()) return it->second;
  }
  NOJ_ASSIGN_OR_RETURN(store::ProblemRecord p, store_.GetProblem(problem_id));
  std::lock_guard lock(mu_);
  if (tasks_.size() > 100000) tasks_.clear();  // bound memory; refilled on demand
  tasks_[problem_id] = p.tasks;
  return p.tasks;
}

}  // namespace noj::server

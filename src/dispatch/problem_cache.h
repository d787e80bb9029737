#pragma once
// Problem versions, cached by (problem, version): a version never changes once written (judging.md
// §6), so a claim or a complete does not read it from the store each time, and several nojd on one
// Redis can cache without invalidation. Only "the current version" must be asked of the store.
// Thread-safe.

#include <cstdint>
#include <map>
#include <memory>
#include <utility>

#include "api/task_spec.h"
#include "common/status.h"
#include "common/thread_annotations.h"
#include "store/store.h"

namespace noj::dispatch {

class ProblemCache {
 public:
  explicit ProblemCache(store::Store& store) : store_(store) {}
  // The version `version` of the problem; 0 means the current one (read from the store, then
  // cached under its number). kNotFound if the problem is absent or that version was dropped.
  Result<std::shared_ptr<const store::ProblemRecord>> Version(int64_t problem_id, int64_t version)
      EXCLUDES(mu_);
  // Its tasks.
  Result<api::TaskSpecs> Tasks(int64_t problem_id, int64_t version) EXCLUDES(mu_);
  // Whether the problem has testdata (kNotFound if it does not exist). Testdata can be replaced but
  // never removed, so a "yes" is cached; a "no" is asked again each time.
  Result<bool> HasTestdata(int64_t problem_id) EXCLUDES(mu_);

 private:
  using Key = std::pair<int64_t, int64_t>;  // problem, version
  void Put(const std::shared_ptr<const store::ProblemRecord>& p) EXCLUDES(mu_);

  store::Store& store_;
  Mutex mu_;
  std::map<Key, std::shared_ptr<const store::ProblemRecord>> versions_ GUARDED_BY(mu_);
};

}  // namespace noj::dispatch

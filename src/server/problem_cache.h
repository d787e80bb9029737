#pragma once
// Task lists of problems, cached: they never change after creation (testdata may; it is not
// cached), so a claim or a complete does not read the problem from the store each time.
// Thread-safe.

#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "api/task_spec.h"
#include "common/status.h"
#include "store/store.h"

namespace noj::server {

class ProblemCache {
 public:
  explicit ProblemCache(store::Store& store) : store_(store) {}
  // kNotFound if the problem does not exist.
  Result<api::TaskSpecs> Tasks(int64_t problem_id);

 private:
  store::Store& store_;
  std::mutex mu_;
  std::unordered_map<int64_t, api::TaskSpecs> tasks_;
};

}  // namespace noj::server

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
  // Whether the problem has testdata (kNotFound if it does not exist). Testdata can be replaced but
  // never removed, so a "yes" is cached; a "no" is asked again each time.
  Result<bool> HasTestdata(int64_t problem_id);

 private:
  struct Entry {
    api::TaskSpecs tasks;
    bool has_testdata = false;
  };
  Result<Entry> Load(int64_t problem_id);
  store::Store& store_;
  std::mutex mu_;
  std::unordered_map<int64_t, Entry> entries_;
};

}  // namespace noj::server

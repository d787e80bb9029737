#pragma once
// Sandbox box ids (one dedicated uid each) handed to concurrently judging jobs. Each job gets a
// pair: an even offset from `first` for the contestant's program (compile and cases) and the id
// after it for the problem's own helper runs — the interactor, which runs at the same time as the
// program, and a custom checker (judging.md §3, §4). A pool of n jobs uses [first, first + 2n)
// (never above sandbox::kMaxBoxId: a range that would is cut to the pairs that fit, at least one
// when first < kMaxBoxId). Runners sharing a host need disjoint ranges (--box-id-base).
// Thread-safe.

#include <condition_variable>
#include <mutex>
#include <vector>

#include "common/thread_annotations.h"

namespace noj::runner {

// The helper box id of the job whose program box id is `box_id` (reserved with it by the pool).
inline int HelperBoxId(int box_id) { return box_id + 1; }

class BoxIdPool {
 public:
  BoxIdPool(int first, int count);

  // Blocks until a pair is free; returns the program's id (its helper id is HelperBoxId(id)).
  // The tracker never lets more jobs judge than there are pairs.
  int Acquire();
  void Release(int id);

  // Returns the pair to the pool at scope exit.
  class Lease {
   public:
    Lease(BoxIdPool& pool) : pool_(pool), id_(pool.Acquire()) {}  // NOLINT
    ~Lease() { pool_.Release(id_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    int id() const { return id_; }
    int helper_id() const { return HelperBoxId(id_); }

   private:
    BoxIdPool& pool_;
    int id_;
  };

 private:
  const int first_;
  Mutex mu_;
  std::condition_variable_any cv_;
  std::vector<bool> used_ GUARDED_BY(mu_);  // per pair
};

}  // namespace noj::runner

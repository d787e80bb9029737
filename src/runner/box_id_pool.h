#pragma once
// Sandbox box ids (one dedicated uid each) handed to concurrently judging jobs: [first, first+n).
// Runners sharing a host need disjoint ranges (--box-id-base). Thread-safe.

#include <condition_variable>
#include <mutex>
#include <vector>

namespace noj::runner {

class BoxIdPool {
 public:
  BoxIdPool(int first, int count);

  // Blocks until an id is free. The tracker never lets more jobs judge than there are ids.
  int Acquire();
  void Release(int id);

  // Returns the id to the pool at scope exit.
  class Lease {
   public:
    Lease(BoxIdPool& pool) : pool_(pool), id_(pool.Acquire()) {}  // NOLINT
    ~Lease() { pool_.Release(id_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    int id() const { return id_; }

   private:
    BoxIdPool& pool_;
    int id_;
  };

 private:
  const int first_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<bool> used_;
};

}  // namespace noj::runner

#pragma once
// One thread per job in flight. Finished threads are joined when the next one starts and at
// JoinAll(). Thread-safe.

#include <atomic>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <thread>

#include "common/thread_annotations.h"

namespace noj::runner {

class JobThreads {
 public:
  JobThreads() = default;
  JobThreads(const JobThreads&) = delete;
  JobThreads& operator=(const JobThreads&) = delete;
  ~JobThreads() { JoinAll(); }

  void Launch(std::function<void()> work);
  // Waits for every launched thread.
  void JoinAll();

 private:
  struct Entry {
    std::shared_ptr<std::atomic<bool>> done;
    std::thread thread;
  };
  void ReapLocked() REQUIRES(mu_);

  Mutex mu_;
  std::list<Entry> threads_ GUARDED_BY(mu_);
};

}  // namespace noj::runner

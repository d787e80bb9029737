#pragma once
// The threads that run store work, so that an I/O thread never waits on the store: a Redis that
// stalls, or an fsync queue, holds these threads and not the ones that answer /healthz, /metrics
// and the status page.
//
// Bounded on both sides: `threads` tasks run at once (several, because SQLite group commit batches
// the transitions that arrive together) and at most `queue_limit` wait; TrySubmit refuses beyond
// that, and the caller answers 503 at once rather than queueing work nobody will wait for.
// Deadlines are the caller's business (http_server.cc): a task that was given up on before it
// started should return at once.
//
// Thread-safe. Tasks must not throw (a throw is logged and swallowed).

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include "common/thread_annotations.h"

namespace noj::server {

class StoreExecutor {
 public:
  struct Load {
    size_t queued = 0;  // waiting for a thread
    int busy = 0;       // running
  };
  struct Options {
    int threads = 16;
    size_t queue_limit = 1024;
    // Called after every change of the load, with the executor's lock held (keep it cheap: it
    // sets two gauges), so successive calls never report an older load after a newer one.
    std::function<void(const Load&)> on_load;
  };

  explicit StoreExecutor(Options options);
  ~StoreExecutor();  // Shutdown()
  StoreExecutor(const StoreExecutor&) = delete;
  StoreExecutor& operator=(const StoreExecutor&) = delete;

  // Queues `task`. False (and `task` is dropped) when `queue_limit` tasks wait already, or after
  // Shutdown().
  [[nodiscard]] bool TrySubmit(std::function<void()> task) EXCLUDES(mu_);

  // Refuses new tasks, drops the queued ones (their requests have been or will be answered by
  // their deadline), lets the running ones finish and joins the threads. Idempotent.
  void Shutdown() EXCLUDES(mu_);

  Load load() const EXCLUDES(mu_);

 private:
  void Work() EXCLUDES(mu_);
  void ReportLoad() REQUIRES(mu_);

  const Options options_;
  mutable Mutex mu_;
  std::condition_variable_any cv_;
  std::deque<std::function<void()>> queue_ GUARDED_BY(mu_);
  int busy_ GUARDED_BY(mu_) = 0;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;  // started by the constructor, joined by Shutdown()
};

}  // namespace noj::server

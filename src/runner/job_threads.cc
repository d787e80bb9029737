#include "runner/job_threads.h"

namespace noj::runner {

void JobThreads::Launch(std::function<void()> work) {
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread t([work = std::move(work), done] {
    work();
    done->store(true);
  });
  MutexLock lock(&mu_);
  ReapLocked();
  threads_.push_back(Entry{done, std::move(t)});
}

void JobThreads::ReapLocked() {
  for (auto it = threads_.begin(); it != threads_.end();) {
    if (it->done->load()) {
      it->thread.join();
      it = threads_.erase(it);
    } else {
      ++it;
    }
  }
}

void JobThreads::JoinAll() {
  std::list<Entry> all;
  {
    MutexLock lock(&mu_);
    all.swap(threads_);
  }
  for (auto& e : all) e.thread.join();
}

}  // namespace noj::runner

#include "server/http/store_executor.h"

#include <exception>
#include <utility>

#include "common/logging.h"
#include "common/thread_name.h"

namespace noj::server {

StoreExecutor::StoreExecutor(Options options) : options_(std::move(options)) {
  int n = options_.threads > 0 ? options_.threads : 1;
  threads_.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    threads_.emplace_back([this] {
      NameThisThread("noj-store");
      Work();
    });
  }
}

StoreExecutor::~StoreExecutor() { Shutdown(); }

bool StoreExecutor::TrySubmit(std::function<void()> task) {
  {
    MutexLock lock(&mu_);
    if (stopping_ || queue_.size() >= options_.queue_limit) return false;
    queue_.push_back(std::move(task));
    ReportLoad();
  }
  cv_.notify_one();
  return true;
}

void StoreExecutor::Shutdown() {
  std::deque<std::function<void()>> dropped;
  {
    MutexLock lock(&mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    dropped.swap(queue_);
    ReportLoad();
  }
  cv_.notify_all();
  for (std::thread& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
  // `dropped` dies here, outside the lock: a task's captures may hold the last reference to
  // something whose destructor takes other locks.
}

StoreExecutor::Load StoreExecutor::load() const {
  MutexLock lock(&mu_);
  return Load{queue_.size(), busy_};
}

void StoreExecutor::ReportLoad() {
  if (options_.on_load) options_.on_load(Load{queue_.size(), busy_});
}

void StoreExecutor::Work() {
  for (;;) {
    std::function<void()> task;
    {
      MutexLock lock(&mu_);
      cv_.wait(mu_, [this] {
        mu_.AssertHeld();
        return stopping_ || !queue_.empty();
      });
      if (stopping_) return;
      task = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
      ReportLoad();
    }
    try {
      task();
    } catch (const std::exception& e) {
      NOJ_LOG_ERROR("event=store_task_exception what={}", logging::Quote(e.what()));
    } catch (...) {
      NOJ_LOG_ERROR("event=store_task_exception what=unknown");
    }
    task = nullptr;  // captures released before the task counts as done
    MutexLock lock(&mu_);
    --busy_;
    ReportLoad();
  }
}

}  // namespace noj::server

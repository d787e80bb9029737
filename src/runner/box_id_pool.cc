#include "runner/box_id_pool.h"

#include <algorithm>

#include "sandbox/run_request.h"

namespace noj::runner {
namespace {

constexpr int kIdsPerJob = 2;  // the program's, the helper's

int PairsThatFit(int first, int count) {
  int fit = (sandbox::kMaxBoxId + 1 - first) / kIdsPerJob;
  return std::max(1, std::min(count, fit));
}

}  // namespace

BoxIdPool::BoxIdPool(int first, int count)
    : first_(first), used_(PairsThatFit(first, count), false) {}

int BoxIdPool::Acquire() {
  MutexLock lock(&mu_);
  for (;;) {
    for (size_t i = 0; i < used_.size(); ++i) {
      if (!used_[i]) {
        used_[i] = true;
        return first_ + kIdsPerJob * static_cast<int>(i);
      }
    }
    cv_.wait(mu_);
  }
}

void BoxIdPool::Release(int id) {
  MutexLock lock(&mu_);
  int offset = id - first_;
  if (offset < 0 || offset % kIdsPerJob != 0) return;
  size_t i = static_cast<size_t>(offset / kIdsPerJob);
  if (i < used_.size()) used_[i] = false;
  cv_.notify_one();
}

}  // namespace noj::runner

#include "runner/box_id_pool.h"

namespace noj::runner {

BoxIdPool::BoxIdPool(int first, int count) : first_(first), used_(count < 1 ? 1 : count, false) {}

int BoxIdPool::Acquire() {
  std::unique_lock lock(mu_);
  for (;;) {
    for (size_t i = 0; i < used_.size(); ++i) {
      if (!used_[i]) {
        used_[i] = true;
        return first_ + static_cast<int>(i);
      }
    }
    cv_.wait(lock);
  }
}

void BoxIdPool::Release(int id) {
  std::lock_guard lock(mu_);
  size_t i = static_cast<size_t>(id - first_);
  if (i < used_.size()) used_[i] = false;
  cv_.notify_one();
}

}  // namespace noj::runner

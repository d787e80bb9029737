#pragma once
// What the memory controller saw during a run, whichever cgroup version measured it.

#include <cstdint>

namespace noj::sandbox::linux_impl {

struct MemoryUsage {
  int64_t peak_kib = 0;
  bool oom_killed = false;  // the OOM killer killed a task of the box
  bool limit_hit = false;   // usage reached the limit at least once
};

}  // namespace noj::sandbox::linux_impl

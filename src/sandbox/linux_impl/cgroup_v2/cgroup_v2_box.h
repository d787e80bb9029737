#pragma once
// CgroupV2Box: the box's cgroup in the unified hierarchy. Always gives cgroup.kill,
// cgroup.events and cpu.stat (core files); memory and pids only when the parent delegates
// those controllers (on hybrid hosts they stay with v1).

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "sandbox/linux_impl/box_memory.h"
#include "sandbox/linux_impl/cgroup_dir.h"

namespace noj::sandbox::linux_impl::cgroup_v2 {

struct V2Limits {
  int64_t memory_bytes = 0;   // 0: do not use the memory controller
  int64_t max_processes = 0;  // 0: do not use the pids controller
};

class CgroupV2Box {
 public:
  // Creates parent/name. Controllers that cannot be enabled are left out (has_*() false);
  // only the directory itself failing is an error.
  static Result<std::unique_ptr<CgroupV2Box>> Create(const std::string& parent,
                                                     const std::string& name,
                                                     std::string_view stale_prefix,
                                                     const V2Limits& limits);

  bool has_memory() const { return has_memory_; }
  bool has_pids() const { return has_pids_; }
  bool has_kill() const { return has_kill_; }
  int dir_fd() const { return dir_.fd(); }
  const std::string& path() const { return dir_.path(); }

  Result<int64_t> CpuUsageUs() const;
  MemoryUsage ReadMemory() const;
  Status Kill() const;
  Result<bool> Populated() const;
  // New limits of the controllers it has (has_memory(), has_pids()), for a warm box's next run.
  Status SetLimits(int64_t memory_bytes, int64_t max_processes);
  Status Remove() { return dir_.Remove(); }

 private:
  explicit CgroupV2Box(CgroupDir dir) : dir_(std::move(dir)) {}
  void SetUpMemory(int64_t bytes);
  void SetUpPids(int64_t max);

  CgroupDir dir_;
  UniqueFd cpu_stat_;
  bool has_memory_ = false;
  bool has_pids_ = false;
  bool has_kill_ = false;
};

}  // namespace noj::sandbox::linux_impl::cgroup_v2

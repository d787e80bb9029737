#pragma once
// BoxCgroups: the box's cgroups in every hierarchy that works here, each controller taken
// from v2 when the unified hierarchy offers it and from v1 otherwise. Creating them is also
// the probe: a controller whose limit does not stick is simply absent.
//
// Lifetime: create before cloning the box, Drain() after the run, then destroy (rmdir).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "sandbox/linux_impl/box_memory.h"
#include "sandbox/linux_impl/cgroup_layout.h"
#include "sandbox/linux_impl/cgroup_v1/cpuacct_v1.h"
#include "sandbox/linux_impl/cgroup_v1/memory_v1.h"
#include "sandbox/linux_impl/cgroup_v1/pids_v1.h"
#include "sandbox/linux_impl/cgroup_v2/cgroup_v2_box.h"
#include "sandbox/protections.h"

namespace noj::sandbox::linux_impl {

struct BoxCgroupSpec {
  int box_id = 0;
  int64_t memory_bytes = 0;
  int64_t max_processes = 0;
  std::string v2_parent;  // relative to the v2 mount; empty: our own v2 cgroup
  // Distinguishes sets of one process alive at once (a warm box prepares the next run's while
  // the current one's exist): noj-box-<id>-<instance>-<pid>. Empty: noj-box-<id>-<pid>.
  std::string instance;
};

// Removes the box cgroups of dead supervisors below our own cgroups (and below `v2_parent`,
// relative to the v2 root, when given): --cleanup.
void SweepStaleBoxCgroups(const CgroupLayout& layout, const std::string& v2_parent);

class BoxCgroups {
 public:
  static std::unique_ptr<BoxCgroups> Create(const CgroupLayout& layout, const BoxCgroupSpec& spec);
  BoxCgroups(const BoxCgroups&) = delete;
  BoxCgroups& operator=(const BoxCgroups&) = delete;
  ~BoxCgroups();

  CgroupVersion memory() const;
  CgroupVersion pids() const;
  CgroupVersion cpu() const;
  bool can_kill() const { return v2_ && v2_->has_kill(); }

  // The v2 box cgroup directory, for CLONE_INTO_CGROUP; -1 without one.
  int v2_dir_fd() const { return v2_ ? v2_->dir_fd() : -1; }
  // `tasks` of every v1 box cgroup, open for writing: the box's init writes "0" to each and
  // so moves itself and all its future children in. `tasks`, not cgroup.procs: moving just
  // the calling thread (the init is single-threaded) skips the global threadgroup lock,
  // whose RCU grace period costs ~10 ms per run here (37 us instead).
  std::vector<int> V1JoinFds() const;

  // REQUIRES: cpu() != kNone.
  Result<int64_t> CpuUsageUs() const;
  MemoryUsage ReadMemory() const;

  // New memory and process limits (as BoxCgroupSpec's) for a warm box's next run, on every
  // controller it has. Not while the box runs.
  Status SetLimits(int64_t memory_bytes, int64_t max_processes);

  // cgroup.kill when available; kFailedPrecondition otherwise.
  Status Kill() const;
  // True while any process is left in any box cgroup.
  Result<bool> Populated() const;
  // Removes every directory; the first error wins. REQUIRES: !Populated().
  Status Remove();

  // Why controllers are missing, for --probe and SE messages.
  const std::string& notes() const { return notes_; }

 private:
  BoxCgroups() = default;
  void Note(const std::string& what, const Status& why);

  std::unique_ptr<cgroup_v2::CgroupV2Box> v2_;
  std::unique_ptr<cgroup_v1::MemoryV1> memory_v1_;
  std::unique_ptr<cgroup_v1::PidsV1> pids_v1_;
  std::unique_ptr<cgroup_v1::CpuacctV1> cpuacct_v1_;
  std::string notes_;
};

}  // namespace noj::sandbox::linux_impl

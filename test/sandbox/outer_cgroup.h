#pragma once
// OuterCgroup: a fence around every box a test creates. The noj-sandbox processes a test
// starts are placed in it, so their box cgroups nest below it and its pids.max and memory
// limit bound even a sandbox that failed to limit its box (the SAFETY RULE of
// docs/sandbox.md). Destruction kills whatever is left inside and removes it.

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "sandbox/linux_impl/cgroup_dir.h"

namespace noj::sandbox::testing {

class OuterCgroup {
 public:
  static Result<std::unique_ptr<OuterCgroup>> Create(int64_t memory_bytes, int64_t pids_max);
  ~OuterCgroup();

  // Both limits were written and read back.
  bool limits_active() const { return memory_limited_ && pids_limited_; }
  // For the child before exec: cgroup.procs files to write "0" into.
  const std::vector<int>& join_fds() const { return join_fds_; }
  // --cgroup-parent for noj-sandbox (the outer v2 cgroup), "" without v2.
  const std::string& v2_parent() const { return v2_parent_; }
  // Directories whose children must be gone after every run (no noj-box-* left).
  std::vector<std::string> dirs() const;
  // Names of box cgroups still present below the outer cgroup.
  std::vector<std::string> LeftoverBoxCgroups() const;

 private:
  OuterCgroup() = default;
  void KillEverything();

  std::unique_ptr<linux_impl::CgroupDir> v2_;
  std::unique_ptr<linux_impl::CgroupDir> v2_leaf_;
  std::unique_ptr<linux_impl::CgroupDir> memory_;
  std::unique_ptr<linux_impl::CgroupDir> pids_;
  std::vector<linux_impl::UniqueFd> procs_;
  std::vector<int> join_fds_;
  std::string v2_parent_;
  bool memory_limited_ = false;
  bool pids_limited_ = false;
};

}  // namespace noj::sandbox::testing

#pragma once
// Where this process's own cgroups are: box cgroups are created beneath them, never at a
// hierarchy root chosen by us (the host may delegate only a subtree).

#include <string>
#include <string_view>

#include "common/status.h"

namespace noj::sandbox::linux_impl {

struct CgroupLayout {
  std::string v2_mount;   // mount point of the unified hierarchy ("" if none)
  std::string v2_own;     // absolute dir of our own cgroup in it
  std::string v1_memory;  // absolute dirs of our own cgroup per v1 controller ("" if absent)
  std::string v1_pids;
  std::string v1_cpuacct;
};

// Pure: from the texts of /proc/self/mountinfo and /proc/self/cgroup.
CgroupLayout ParseCgroupLayout(std::string_view mountinfo, std::string_view proc_cgroup);

// Pure: the layout of the conventional mounts (/sys/fs/cgroup, v2 at its top or at
// /sys/fs/cgroup/unified on hybrid hosts, v1 at /sys/fs/cgroup/<controllers>) for the text of
// /proc/self/cgroup.
CgroupLayout ConventionalCgroupLayout(std::string_view proc_cgroup, bool v2_at_top);

// The conventional layout when statfs confirms every mount it names (reading mountinfo costs
// ~0.15 ms per run here), otherwise the one parsed from mountinfo.
Result<CgroupLayout> DiscoverCgroupLayout();

}  // namespace noj::sandbox::linux_impl

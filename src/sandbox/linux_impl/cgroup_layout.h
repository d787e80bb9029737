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

Result<CgroupLayout> DiscoverCgroupLayout();

}  // namespace noj::sandbox::linux_impl

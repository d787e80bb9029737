#pragma once
// Clones the box's init (into new namespaces when asked) with a pidfd, so the supervisor can
// wait for it and kill it without pid-reuse races.

#include <sys/types.h>

#include "common/status.h"
#include "sandbox/linux_impl/box_init.h"
#include "sandbox/linux_impl/unique_fd.h"
#include "sandbox/linux_impl/warm_init.h"

namespace noj::sandbox::linux_impl {

struct InitHandle {
  pid_t pid = -1;
  UniqueFd pidfd;
};

// clone3(CLONE_PIDFD | namespaces): new pid, mount, ipc, uts and net namespaces when
// `namespaces`.
// With `v2_cgroup_fd` >= 0 the init is born in that cgroup (CLONE_INTO_CGROUP): no migration,
// which would cost an RCU grace period. The child runs RunInit(plan) and never returns here.
Result<InitHandle> LaunchInit(const InitPlan& plan, bool namespaces, int v2_cgroup_fd);

// A warm box's case init (warm_init.h): new pid, ipc, uts and net namespaces — its mount
// namespace is a copy of the warm root it makes itself.
Result<InitHandle> LaunchWarmInit(const WarmInitPlan& plan, int v2_cgroup_fd);

}  // namespace noj::sandbox::linux_impl

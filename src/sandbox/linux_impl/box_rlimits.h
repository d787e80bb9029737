#pragma once
// The program's rlimits, from the limits and from what the cgroups already cover.

#include <vector>

#include "sandbox/limits.h"
#include "sandbox/linux_impl/program_setup.h"
#include "sandbox/protections.h"

namespace noj::sandbox::linux_impl {

// RLIMIT_CPU = limit rounded up + 1 s (backstop for the supervisor's polling), hard +1 s;
// RLIMIT_FSIZE = output limit + 1 byte (so exactly the limit is fine and one byte more is
// OLE); RLIMIT_STACK = memory limit; no core dumps; RLIMIT_NOFILE. Without a memory cgroup
// RLIMIT_AS = memory limit; without a pids cgroup RLIMIT_NPROC = max processes (counted per
// uid — meaningful only with the dedicated uid).
std::vector<RlimitSetting> ComputeRlimits(const Limits& limits, const Protections& p);

}  // namespace noj::sandbox::linux_impl

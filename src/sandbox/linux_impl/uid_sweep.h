#pragma once
// Per-uid process sweep: the last line of defence when neither cgroup.kill nor a pid
// namespace holds the box. Scans /proc, so it costs ~1 ms on a busy host; strong tiers only
// use it to check, in tests.

#include <sys/types.h>

#include <vector>

namespace noj::sandbox::linux_impl {

// Pids of every process whose real or effective uid is `uid`.
std::vector<pid_t> ProcessesOfUid(uid_t uid);

// SIGKILLs them until none is left (new ones may be forked while sweeping), up to ~1 s.
// Returns whether none is left.
bool KillProcessesOfUid(uid_t uid);

}  // namespace noj::sandbox::linux_impl

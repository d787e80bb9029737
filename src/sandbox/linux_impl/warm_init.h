#pragma once
// The init of one case of a warm box (warm_box.h). Cloned ahead of the case into fresh pid, net,
// ipc and uts namespaces and fresh cgroups, it enters the warm box's read-only root, takes a
// private copy of it (its own mount namespace), mounts the case's /proc, joins the v1 cgroups,
// and waits. The go message brings the case's descriptors (stdio, the scratch /tmp and /box,
// a detached copy of the box dir); the case's plan is in the shared arena by then. It attaches
// them, then runs the program exactly as the one-shot init does (SuperviseProgram).
//
// Runs right after clone in a copy of the supervisor: raw syscalls on prepared data only.

#include <cstddef>

#include "sandbox/linux_impl/mount_plan.h"
#include "sandbox/linux_impl/program_setup.h"

namespace noj::sandbox::linux_impl {

// The go message's descriptors, in this order; the init moves each to kGoFdBase + index
// (the numbers the plan in the arena uses).
enum GoFd : int { kGoStdin, kGoStdout, kGoStderr, kGoTmp, kGoBox, kGoBoxSource };
inline constexpr int kGoFdCount = 6;
inline constexpr int kGoFdBase = 900;  // below RLIMIT_NOFILE's usual 1024, above ours

// Written by the supervisor into the shared arena before it sends go.
struct WarmCase {
  const MountStep* mounts = nullptr;  // attach /tmp, /box, the box source; bind entries; detach
  size_t mount_count = 0;
  const ProgramPlan* program = nullptr;
};

struct WarmInitPlan {
  int root_fd = -1;  // the warm root's mount namespace (nsfs)
  const char* hostname = nullptr;
  static constexpr size_t kMaxCgroups = 8;
  int cgroup_tasks_fds[kMaxCgroups] = {};
  size_t cgroup_count = 0;
  int lifeline_fd = -1;
  int lifeline_write_fd = -1;
  int go_fd = -1;       // our end of the go socket (SOCK_SEQPACKET)
  int go_peer_fd = -1;  // the supervisor's end: our inherited copy goes first
  int report_fd = -1;
  char* program_stack = nullptr;
  size_t program_stack_size = 0;
  const WarmCase* the_case = nullptr;  // in the shared arena: filled in before go
};

[[noreturn]] void RunWarmInit(const WarmInitPlan& plan);

}  // namespace noj::sandbox::linux_impl

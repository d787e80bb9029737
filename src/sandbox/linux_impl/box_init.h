#pragma once
// The box's init: PID 1 of the box's pid namespace (between the supervisor and the program,
// because a PID 1 ignores SIGXCPU/SIGXFSZ/SIGTERM/SIGPIPE — the program must never be one).
// It builds the filesystem, joins the box cgroups, forks the program, reaps everything, kills
// the rest of the box when the program ends, reports, and exits — which makes the kernel kill
// whatever is left in the namespace.
//
// Runs right after clone in a copy of the supervisor: raw syscalls on prepared data only.

#include <cstddef>

#include "sandbox/linux_impl/mount_plan.h"
#include "sandbox/linux_impl/program_setup.h"

namespace noj::sandbox::linux_impl {

struct InitPlan {
  const MountStep* mounts = nullptr;  // nullptr: no mount namespace, the host's view
  size_t mount_count = 0;
  const char* hostname = nullptr;  // nullptr: no uts namespace
  bool pid_namespace = false;      // false: kill(-1) would hit the host, so never sent
  // v1 `tasks` files the init moves itself into before forking the program (a v2 cgroup is
  // entered by the clone itself, see box_launcher.h).
  static constexpr size_t kMaxCgroups = 8;
  int cgroup_procs_fds[kMaxCgroups] = {};
  size_t cgroup_count = 0;
  int lifeline_fd = -1;        // read end; hangs up when the supervisor is gone
  int lifeline_write_fd = -1;  // the supervisor's end: our inherited copy must go first
  // Stack of the program process until its execve (it shares the init's memory meanwhile).
  char* program_stack = nullptr;
  size_t program_stack_size = 0;
  int report_fd = -1;
  ProgramPlan program;
};

[[noreturn]] void RunInit(const InitPlan& plan);

// The init's second half, shared with the warm box's init (warm_init.h): forks the program on
// `stack`, reaps everything, kills the rest of the pid namespace when the program ends (when
// `pid_namespace`), writes the kFinished report once nothing of the box but the init is left,
// and exits.
[[noreturn]] void SuperviseProgram(const ProgramPlan& program, char* stack, size_t stack_size,
                                   bool pid_namespace, int report_fd);

}  // namespace noj::sandbox::linux_impl

#pragma once
// The last steps before the contestant's code runs, in the box's program process (a child of
// the box init). Everything is prepared by the supervisor before cloning; this code only
// makes raw syscalls (async-signal-safe: the process is a fork of the supervisor).
//
// Order (docs/sandbox.md): unblock signals -> rlimits -> stdio -> close other
// fds -> chdir /box -> drop groups, setgid, setuid -> no_new_privs -> Landlock -> seccomp -> execve
// with a clean environment. Any failure is reported to the supervisor, then _exit.

#include <linux/filter.h>
#include <sys/resource.h>
#include <sys/types.h>

#include <cstddef>

#include "sandbox/linux_impl/box_report.h"

namespace noj::sandbox::linux_impl {

struct RlimitSetting {
  int resource = 0;
  rlimit value{};
};

struct ProgramPlan {
  static constexpr size_t kMaxRlimits = 16;

  RlimitSetting rlimits[kMaxRlimits] = {};
  size_t rlimit_count = 0;
  int stdin_fd = -1;  // all three >= 3 (the supervisor keeps 0..2 occupied)
  int stdout_fd = -1;
  int stderr_fd = -1;
  int report_fd = -1;    // O_CLOEXEC: closes by itself on a successful execve
  int landlock_fd = -1;  // -1: no Landlock
  bool switch_uid = false;
  uid_t uid = 0;
  gid_t gid = 0;
  const sock_fprog* seccomp = nullptr;  // nullptr: no seccomp
  const char* workdir = "/box";
  const char* path = nullptr;
  char* const* argv = nullptr;
  char* const* envp = nullptr;
};

[[noreturn]] void RunProgram(const ProgramPlan& plan);

// Async-signal-safe: sends a kSetupFailed record.
void ReportSetupFailure(int report_fd, SetupStep step, int err, long step_index = -1);

}  // namespace noj::sandbox::linux_impl

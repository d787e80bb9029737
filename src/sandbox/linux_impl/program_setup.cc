#include "sandbox/linux_impl/program_setup.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/linux_impl/landlock_scope.h"
#include "sandbox/linux_impl/seccomp_filter.h"

namespace noj::sandbox::linux_impl {
namespace {

[[noreturn]] void Fail(const ProgramPlan& plan, SetupStep step, int err) {
  ReportSetupFailure(plan.report_fd, step, err);
  ::_exit(127);
}

// Closes every fd >= 3 except `keep_a` and `keep_b` (either may be -1).
int CloseOtherFds(int keep_a, int keep_b) {
  if (keep_a > keep_b) {
    int t = keep_a;
    keep_a = keep_b;
    keep_b = t;
  }
  unsigned lo = 3;
  for (int keep : {keep_a, keep_b}) {
    if (keep < static_cast<int>(lo)) continue;
    if (static_cast<unsigned>(keep) > lo &&
        ::syscall(SYS_close_range, lo, static_cast<unsigned>(keep) - 1, 0) != 0) {
      return errno;
    }
    lo = static_cast<unsigned>(keep) + 1;
  }
  return ::syscall(SYS_close_range, lo, ~0U, 0) == 0 ? 0 : errno;
}

void DropPrivileges(const ProgramPlan& plan) {
  // Raw syscalls: glibc's wrappers would try to synchronise threads that are not ours.
  if (::syscall(SYS_setgroups, 0, nullptr) != 0) Fail(plan, SetupStep::kGroups, errno);
  if (::syscall(SYS_setresgid, plan.gid, plan.gid, plan.gid) != 0) {
    Fail(plan, SetupStep::kSetgid, errno);
  }
  if (::syscall(SYS_setresuid, plan.uid, plan.uid, plan.uid) != 0) {
    Fail(plan, SetupStep::kSetuid, errno);
  }
}

}  // namespace

void ReportSetupFailure(int report_fd, SetupStep step, int err, long step_index) {
  BoxReport r;
  r.kind = BoxReport::Kind::kSetupFailed;
  r.step = step;
  r.err = err;
  r.step_index = step_index;
  ssize_t n = ::write(report_fd, &r, sizeof r);
  (void)n;  // nothing left to tell if even this fails; the exit status still shows it
}

void RunProgram(const ProgramPlan& plan) {
  sigset_t none;
  sigemptyset(&none);
  if (::sigprocmask(SIG_SETMASK, &none, nullptr) != 0) Fail(plan, SetupStep::kSignals, errno);
  for (size_t i = 0; i < plan.rlimit_count; ++i) {
    if (::setrlimit(static_cast<__rlimit_resource>(plan.rlimits[i].resource),
                    &plan.rlimits[i].value) != 0) {
      Fail(plan, SetupStep::kRlimit, errno);
    }
  }
  if (::dup2(plan.stdin_fd, 0) < 0 || ::dup2(plan.stdout_fd, 1) < 0 ||
      ::dup2(plan.stderr_fd, 2) < 0) {
    Fail(plan, SetupStep::kStdio, errno);
  }
  if (int err = CloseOtherFds(plan.report_fd, plan.landlock_fd); err != 0) {
    Fail(plan, SetupStep::kCloseFds, err);
  }
  if (::chdir(plan.workdir) != 0) Fail(plan, SetupStep::kChdir, errno);
  if (plan.switch_uid) DropPrivileges(plan);
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) Fail(plan, SetupStep::kNoNewPrivs, errno);
  if (plan.landlock_fd >= 0) {
    if (int err = RestrictSelf(plan.landlock_fd); err != 0) Fail(plan, SetupStep::kLandlock, err);
    ::close(plan.landlock_fd);
  }
  if (plan.seccomp != nullptr) {
    if (int err = LoadSeccomp(plan.seccomp); err != 0) Fail(plan, SetupStep::kSeccomp, err);
  }
  ::execve(plan.path, plan.argv, plan.envp);
  Fail(plan, SetupStep::kExec, errno);
}

}  // namespace noj::sandbox::linux_impl

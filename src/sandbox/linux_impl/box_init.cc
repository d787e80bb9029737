#include "sandbox/linux_impl/box_init.h"

#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace noj::sandbox::linux_impl {
namespace {

int64_t NowNs() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

int64_t Us(const timeval& tv) { return static_cast<int64_t>(tv.tv_sec) * 1000000 + tv.tv_usec; }

int ProgramEntry(void* plan) { RunProgram(*static_cast<const ProgramPlan*>(plan)); }

[[noreturn]] void Fail(const InitPlan& plan, SetupStep step, int err, long index = -1) {
  ReportSetupFailure(plan.report_fd, step, err, index);
  ::_exit(127);
}

void SetUp(const InitPlan& plan) {
  // If the supervisor dies, so does the box (and with PID 1 the whole namespace).
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  ::close(plan.lifeline_write_fd);
  pollfd lifeline = {plan.lifeline_fd, POLLIN, 0};
  if (::poll(&lifeline, 1, 0) > 0 && (lifeline.revents & (POLLHUP | POLLERR))) {
    ::_exit(127);  // it died before PDEATHSIG was armed
  }
  ::close(plan.lifeline_fd);
  // Not ptrace-able and no /proc/1 details, whatever the program manages to become.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (plan.hostname != nullptr && ::sethostname(plan.hostname, std::strlen(plan.hostname)) != 0) {
    Fail(plan, SetupStep::kHostname, errno);
  }
  ::umask(0);  // the plan's modes are meant literally (0666 device nodes)
  if (plan.mounts != nullptr) {
    int err = 0;
    long failed = ExecuteMountPlan(plan.mounts, plan.mount_count, &err);
    if (failed >= 0) Fail(plan, SetupStep::kMount, err, failed);
  }
  // After the mounts, so their cost is not the program's; before the fork, so the program
  // and all its descendants are born inside.
  ::umask(022);  // what programs expect
  for (size_t i = 0; i < plan.cgroup_count; ++i) {
    if (::write(plan.cgroup_procs_fds[i], "0", 1) != 1) Fail(plan, SetupStep::kJoinCgroup, errno);
  }
}

}  // namespace

void RunInit(const InitPlan& plan) {
  SetUp(plan);
  SuperviseProgram(plan.program, plan.program_stack, plan.program_stack_size, plan.pid_namespace,
                   plan.report_fd);
}

void SuperviseProgram(const ProgramPlan& program, char* stack, size_t stack_size,
                      bool pid_namespace, int report_fd) {
  int64_t start = NowNs();
  // vfork-style, like posix_spawn: no copy of our page tables; we sleep until the program's
  // execve (or its _exit after reporting a setup failure).
  int pid = ::clone(ProgramEntry, stack + stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD,
                    const_cast<ProgramPlan*>(&program));
  if (pid < 0) {
    ReportSetupFailure(report_fd, SetupStep::kFork, errno);
    ::_exit(127);
  }

  BoxReport report;
  report.kind = BoxReport::Kind::kFinished;
  for (;;) {
    int status = 0;
    rusage usage{};
    // Without a pid namespace orphans go to the supervisor (a subreaper), so only the
    // program is ours to wait for.
    pid_t reaped = ::wait4(pid_namespace ? -1 : static_cast<pid_t>(pid), &status, __WALL, &usage);
    if (reaped < 0) {
      if (errno == EINTR) continue;
      break;  // ECHILD: everything reaped
    }
    if (reaped != pid) continue;
    report.wall_ns = NowNs() - start;
    report.wait_status = status;
    report.user_us = Us(usage.ru_utime);
    report.system_us = Us(usage.ru_stime);
    report.maxrss_kib = usage.ru_maxrss;
    // The run ends with the program: daemons it left behind die now.
    if (pid_namespace) {
      ::kill(-1, SIGKILL);
    } else {
      break;
    }
  }
  ssize_t n = ::write(report_fd, &report, sizeof report);
  (void)n;  // the supervisor notices a missing report and reports SE
  ::_exit(0);
}

}  // namespace noj::sandbox::linux_impl

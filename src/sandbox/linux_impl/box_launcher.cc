#include "sandbox/linux_impl/box_launcher.h"

#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {

namespace {

// Like fork(): the child continues on a copy of this stack and gets 0.
Result<InitHandle> Clone(uint64_t flags, int v2_cgroup_fd, long* pid_out) {
  clone_args args{};
  int pidfd = -1;
  args.flags = CLONE_PIDFD | flags;
  args.pidfd = reinterpret_cast<uint64_t>(&pidfd);
  args.exit_signal = SIGCHLD;
  if (v2_cgroup_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(v2_cgroup_fd);
  }
  long pid = ::syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0) return ErrnoStatus("clone3 of the box init", errno);
  *pid_out = pid;
  InitHandle h;
  if (pid == 0) return h;
  h.pid = static_cast<pid_t>(pid);
  h.pidfd.reset(pidfd);
  return h;
}

}  // namespace

Result<InitHandle> LaunchInit(const InitPlan& plan, bool namespaces, int v2_cgroup_fd) {
  // A net namespace per box, like the others: boxes sharing one could pass data through
  // socket names (abstract names, /proc/net/unix) even where they cannot connect.
  uint64_t flags =
      namespaces ? CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET : 0;
  long pid = -1;
  NOJ_ASSIGN_OR_RETURN(InitHandle h, Clone(flags, v2_cgroup_fd, &pid));
  if (pid == 0) RunInit(plan);
  return h;
}

Result<InitHandle> LaunchWarmInit(const WarmInitPlan& plan, int v2_cgroup_fd) {
  long pid = -1;
  NOJ_ASSIGN_OR_RETURN(
      InitHandle h,
      Clone(CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET, v2_cgroup_fd, &pid));
  if (pid == 0) RunWarmInit(plan);
  return h;
}

}  // namespace noj::sandbox::linux_impl

#include "sandbox/linux_impl/box_launcher.h"

#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {

Result<InitHandle> LaunchInit(const InitPlan& plan, bool namespaces, int v2_cgroup_fd) {
  clone_args args{};
  int pidfd = -1;
  args.flags = CLONE_PIDFD;
  // A net namespace per box, like the others: boxes sharing one could pass data through
  // socket names (abstract names, /proc/net/unix) even where they cannot connect.
  if (namespaces) {
    args.flags |= CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET;
  }
  args.pidfd = reinterpret_cast<uint64_t>(&pidfd);
  args.exit_signal = SIGCHLD;
  if (v2_cgroup_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(v2_cgroup_fd);
  }
  // Like fork(): the child continues on a copy of this stack.
  long pid = ::syscall(SYS_clone3, &args, sizeof args);
  if (pid < 0) return ErrnoStatus("clone3 of the box init", errno);
  if (pid == 0) RunInit(plan);
  InitHandle h;
  h.pid = static_cast<pid_t>(pid);
  h.pidfd.reset(pidfd);
  return h;
}

}  // namespace noj::sandbox::linux_impl

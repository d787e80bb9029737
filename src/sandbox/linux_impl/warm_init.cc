#include "sandbox/linux_impl/warm_init.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sandbox/linux_impl/box_init.h"

namespace noj::sandbox::linux_impl {
namespace {

[[noreturn]] void Fail(const WarmInitPlan& plan, SetupStep step, int err, long index = -1) {
  ReportSetupFailure(plan.report_fd, step, err, index);
  ::_exit(127);
}

void SetUp(const WarmInitPlan& plan) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  ::close(plan.lifeline_write_fd);
  ::close(plan.go_peer_fd);
  pollfd lifeline = {plan.lifeline_fd, POLLIN, 0};
  if (::poll(&lifeline, 1, 0) > 0 && (lifeline.revents & (POLLHUP | POLLERR))) ::_exit(127);
  ::close(plan.lifeline_fd);
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  if (plan.hostname != nullptr && ::sethostname(plan.hostname, std::strlen(plan.hostname)) != 0) {
    Fail(plan, SetupStep::kHostname, errno);
  }
  // The shared root, then a copy of it that is this case's alone: what the case mounts (its
  // /proc, /tmp, /box) never reaches the root or another case.
  if (::setns(plan.root_fd, CLONE_NEWNS) != 0) Fail(plan, SetupStep::kWarmRoot, errno);
  ::close(plan.root_fd);
  if (::unshare(CLONE_NEWNS) != 0) Fail(plan, SetupStep::kWarmRoot, errno);
  if (::chdir("/") != 0) Fail(plan, SetupStep::kWarmRoot, errno);
  // hidepid=2: the program sees only its own uid's processes, not this init (root).
  if (::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2") != 0) {
    Fail(plan, SetupStep::kWarmProc, errno);
  }
  for (size_t i = 0; i < plan.cgroup_count; ++i) {
    if (::write(plan.cgroup_tasks_fds[i], "0", 1) != 1) Fail(plan, SetupStep::kJoinCgroup, errno);
    ::close(plan.cgroup_tasks_fds[i]);
  }
}

// The go message: one byte and the case's descriptors, moved to their agreed numbers.
// Returns false when the supervisor discarded this box instead (EOF).
bool ReceiveGo(const WarmInitPlan& plan) {
  char byte = 0;
  iovec iov = {&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kGoFdCount)];
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = ::recvmsg(plan.go_fd, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n == 0) return false;
  if (n < 0) Fail(plan, SetupStep::kWarmGo, errno);
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (c == nullptr || c->cmsg_type != SCM_RIGHTS ||
      c->cmsg_len != CMSG_LEN(sizeof(int) * kGoFdCount) || (msg.msg_flags & MSG_CTRUNC)) {
    Fail(plan, SetupStep::kWarmGo, EPROTO);
  }
  int fds[kGoFdCount];
  std::memcpy(fds, CMSG_DATA(c), sizeof fds);
  for (int i = 0; i < kGoFdCount; ++i) {
    if (::dup3(fds[i], kGoFdBase + i, O_CLOEXEC) < 0) Fail(plan, SetupStep::kWarmGo, errno);
    ::close(fds[i]);
  }
  ::close(plan.go_fd);
  return true;
}

}  // namespace

void RunWarmInit(const WarmInitPlan& plan) {
  SetUp(plan);
  if (!ReceiveGo(plan)) ::_exit(0);
  const WarmCase& c = *plan.the_case;
  ::umask(0);  // the plan's modes are meant literally
  int err = 0;
  long failed = ExecuteMountPlan(c.mounts, c.mount_count, &err);
  if (failed >= 0) Fail(plan, SetupStep::kMount, err, failed);
  ::umask(022);
  // Attached now (or detached again): the descriptors are no longer needed.
  for (int fd : {kGoTmp, kGoBox, kGoBoxSource}) ::close(kGoFdBase + fd);
  SuperviseProgram(*c.program, plan.program_stack, plan.program_stack_size, true, plan.report_fd);
}

}  // namespace noj::sandbox::linux_impl

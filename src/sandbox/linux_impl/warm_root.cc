#include "sandbox/linux_impl/warm_root.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sandbox/linux_impl/mount_plan.h"
#include "sandbox/linux_impl/state_dir.h"
#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {
namespace {

struct BuildReport {
  int err = 0;
  long step = -1;  // -2: unshare
};

// The child: builds the root in a new mount namespace, says how it went, then waits until the
// parent has taken hold of the namespace (the hold pipe hangs up).
[[noreturn]] void BuildInChild(const MountPlan& plan, int report_fd, int hold_fd,
                               int parent_ends[2]) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  ::close(parent_ends[0]);  // else the hold pipe never hangs up
  ::close(parent_ends[1]);
  BuildReport r;
  if (::unshare(CLONE_NEWNS) != 0) {
    r.err = errno;
    r.step = -2;
  } else {
    ::umask(0);
    r.step = ExecuteMountPlan(plan.steps(), plan.size(), &r.err);
  }
  ssize_t n = ::write(report_fd, &r, sizeof r);
  (void)n;
  char byte;
  while (::read(hold_fd, &byte, 1) < 0 && errno == EINTR) {
  }
  ::_exit(0);
}

}  // namespace

Result<UniqueFd> CreateWarmRoot(const std::vector<BindMount>& ro_binds) {
  NOJ_RETURN_IF_ERROR(EnsureStateDir());
  NOJ_ASSIGN_OR_RETURN(MountPlan plan, MountPlan::BuildWarmRoot(ro_binds));
  UniqueFd report_r, report_w, hold_r, hold_w;
  NOJ_RETURN_IF_ERROR(MakePipe(report_r, report_w));
  NOJ_RETURN_IF_ERROR(MakePipe(hold_r, hold_w));
  pid_t pid = ::fork();
  if (pid < 0) return ErrnoStatus("fork for the warm root", errno);
  if (pid == 0) {
    int parent_ends[2] = {report_r.get(), hold_w.get()};
    BuildInChild(plan, report_w.get(), hold_r.get(), parent_ends);
  }
  report_w.reset();
  hold_r.reset();
  BuildReport r;
  ssize_t n;
  do {
    n = ::read(report_r.get(), &r, sizeof r);
  } while (n < 0 && errno == EINTR);
  Status status = Status::Ok();
  UniqueFd ns;
  if (n != static_cast<ssize_t>(sizeof r)) {
    status = Status(ErrorCode::kInternal, "the warm root's builder died");
  } else if (r.step == -2) {
    status = ErrnoStatus("unshare(CLONE_NEWNS) for the warm root", r.err);
  } else if (r.step >= 0) {
    status = ErrnoStatus("warm root: " + plan.Describe(static_cast<size_t>(r.step)), r.err);
  } else {
    std::string path = "/proc/" + std::to_string(pid) + "/ns/mnt";
    Result<UniqueFd> opened = OpenAt(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    if (opened.ok()) {
      ns = std::move(*opened);
    } else {
      status = opened.status();
    }
  }
  hold_w.reset();  // the child exits; the namespace lives on through `ns`
  while (::waitpid(pid, nullptr, __WALL) < 0 && errno == EINTR) {
  }
  if (!status.ok()) return status;
  return ns;
}

}  // namespace noj::sandbox::linux_impl

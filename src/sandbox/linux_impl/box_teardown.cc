#include "sandbox/linux_impl/box_teardown.h"

#include <sys/wait.h>
#include <time.h>

#include "sandbox/linux_impl/uid_sweep.h"

namespace noj::sandbox::linux_impl {

void ReapChildren() {
  while (::waitpid(-1, nullptr, WNOHANG | __WALL) > 0) {
  }
}

Status EnsureBoxGone(BoxSession& s, int box_id) {
  ReapChildren();
  if (s.protections.kill == KillMechanism::kUidSweep && s.protections.dedicated_uid &&
      !s.protections.namespaces) {
    if (!KillProcessesOfUid(static_cast<uid_t>(BoxUid(box_id)))) {
      return Status(ErrorCode::kUnavailable, "processes of the box uid survived the sweep");
    }
    ReapChildren();
  }
  if (!s.cgroups) return Status::Ok();
  for (int attempt = 0; attempt < 2000; ++attempt) {
    Result<bool> populated = s.cgroups->Populated();
    if (!populated.ok()) return populated.status();
    if (!*populated) return Status::Ok();
    // Normally never reached with a pid namespace: its processes died with the init.
    if (attempt == 0 && s.cgroups->can_kill()) s.cgroups->Kill().IgnoreError();  // checked next
    ReapChildren();
    timespec pause = {0, 1000000};
    ::nanosleep(&pause, nullptr);
  }
  return Status(ErrorCode::kUnavailable, "box cgroup still populated after kill");
}

}  // namespace noj::sandbox::linux_impl

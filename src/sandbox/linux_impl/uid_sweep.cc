#include "sandbox/linux_impl/uid_sweep.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {
namespace {

bool OwnedBy(pid_t pid, uid_t uid) {
  Result<std::string> status = ReadFileAt(AT_FDCWD, "/proc/" + std::to_string(pid) + "/status");
  if (!status.ok()) return false;
  // Zombies are dead already; their parent (we, as subreaper) reaps them.
  if (status->find("\nState:\tZ") != std::string::npos) return false;
  size_t at = status->find("\nUid:");
  if (at == std::string::npos) return false;
  unsigned real = 0, effective = 0;
  if (std::sscanf(status->c_str() + at + 5, "%u %u", &real, &effective) != 2) return false;
  return real == uid || effective == uid;
}

}  // namespace

std::vector<pid_t> ProcessesOfUid(uid_t uid) {
  std::vector<pid_t> out;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return out;
  while (dirent* e = ::readdir(proc)) {
    std::optional<int64_t> pid = ParseInt(e->d_name);
    if (pid && *pid > 0 && OwnedBy(static_cast<pid_t>(*pid), uid)) {
      out.push_back(static_cast<pid_t>(*pid));
    }
  }
  ::closedir(proc);
  return out;
}

bool KillProcessesOfUid(uid_t uid) {
  for (int round = 0; round < 1000; ++round) {
    std::vector<pid_t> pids = ProcessesOfUid(uid);
    if (pids.empty()) return true;
    for (pid_t pid : pids) ::kill(pid, SIGKILL);
    timespec pause = {0, 1000000};
    ::nanosleep(&pause, nullptr);
  }
  return ProcessesOfUid(uid).empty();
}

}  // namespace noj::sandbox::linux_impl

#include "sandbox/linux_impl/cgroup_dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {

void RemoveStaleCgroups(const std::string& parent, std::string_view prefix) {
  DIR* dir = ::opendir(parent.c_str());
  if (dir == nullptr) return;
  while (dirent* e = ::readdir(dir)) {
    std::string_view name = e->d_name;
    if (e->d_type != DT_DIR || !name.starts_with(prefix)) continue;
    std::optional<int64_t> pid = ParseInt(name.substr(name.rfind('-') + 1));
    if (!pid || *pid <= 0 || ::kill(static_cast<pid_t>(*pid), 0) == 0 || errno != ESRCH) continue;
    // Best effort: a populated one (should not happen) stays and is reported by the caller's
    // leak checks rather than killed here.
    ::rmdir((parent + "/" + std::string(name)).c_str());
  }
  ::closedir(dir);
}

std::string BoxCgroupPrefix(int box_id) { return "noj-box-" + std::to_string(box_id) + "-"; }

Result<CgroupDir> CgroupDir::Create(const std::string& parent, const std::string& name,
                                    std::string_view stale_prefix) {
  std::string path = parent + "/" + name;
  if (::mkdir(path.c_str(), 0755) != 0) {
    if (errno != EEXIST) return ErrnoStatus("mkdir " + path, errno);
    // Our own pid in the name: a leftover of a dead process that had the same pid.
    if (::rmdir(path.c_str()) != 0 || ::mkdir(path.c_str(), 0755) != 0) {
      return ErrnoStatus("recreate " + path, errno);
    }
  }
  if (!stale_prefix.empty() && ::getpid() % kSweepEvery == 0) {
    RemoveStaleCgroups(parent, stale_prefix);
  }
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    ::rmdir(path.c_str());
    return ErrnoStatus("open " + path, err);
  }
  return CgroupDir(std::move(path), UniqueFd(fd));
}

CgroupDir::~CgroupDir() { Remove().IgnoreError(); }  // failures were reported by the owner

Status CgroupDir::Write(const std::string& file, std::string_view value) const {
  return WriteFileAt(fd_.get(), file, value);
}

Result<std::string> CgroupDir::Read(const std::string& file) const {
  return ReadFileAt(fd_.get(), file);
}

Result<UniqueFd> CgroupDir::Open(const std::string& file, int flags) const {
  return OpenAt(fd_.get(), file, flags);
}

bool CgroupDir::HasFile(const std::string& file) const {
  return ::faccessat(fd_.get(), file.c_str(), F_OK, 0) == 0;
}

Result<bool> CgroupDir::HasProcesses() const {
  NOJ_ASSIGN_OR_RETURN(std::string procs, Read("cgroup.procs"));
  return !procs.empty();
}

Status CgroupDir::Remove() {
  if (path_.empty()) return Status::Ok();
  fd_.reset();
  for (int attempt = 0;; ++attempt) {
    if (::rmdir(path_.c_str()) == 0 || errno == ENOENT) break;
    if (errno != EBUSY || attempt >= 1000) return ErrnoStatus("rmdir " + path_, errno);
    timespec pause = {0, 1000000};  // 1 ms: tasks just killed are still being released
    ::nanosleep(&pause, nullptr);
  }
  path_.clear();
  return Status::Ok();
}

}  // namespace noj::sandbox::linux_impl

#pragma once
// CgroupDir: one cgroup directory we created; removed (rmdir) on destruction. The owner must
// have emptied it first (killed and reaped every task) — rmdir of a populated cgroup fails.

#include <string>
#include <string_view>
#include <utility>

#include "common/status.h"
#include "sandbox/linux_impl/unique_fd.h"

namespace noj::sandbox::linux_impl {

class CgroupDir {
 public:
  static constexpr int kSweepEvery = 16;

  // mkdir parent/name and open it. Also removes leftovers of earlier runs of the same box —
  // empty siblings named `stale_prefix` + pid of a supervisor no longer alive — on one run
  // in kSweepEvery (chosen by pid): a supervisor only leaves them when SIGKILLed, and the
  // directory scan costs ~60 us per hierarchy.
  static Result<CgroupDir> Create(const std::string& parent, const std::string& name,
                                  std::string_view stale_prefix);

  CgroupDir(CgroupDir&& other) noexcept
      : path_(std::exchange(other.path_, {})), fd_(std::move(other.fd_)) {}
  CgroupDir& operator=(CgroupDir&&) = delete;
  CgroupDir(const CgroupDir&) = delete;
  ~CgroupDir();

  const std::string& path() const { return path_; }
  int fd() const { return fd_.get(); }

  Status Write(const std::string& file, std::string_view value) const;
  Result<std::string> Read(const std::string& file) const;
  Result<UniqueFd> Open(const std::string& file, int flags) const;
  bool HasFile(const std::string& file) const;
  // Whether any process is still listed in cgroup.procs.
  Result<bool> HasProcesses() const;

  // rmdir, retrying for up to ~1 s while exiting tasks are released (EBUSY). Idempotent.
  Status Remove();

 private:
  CgroupDir(std::string path, UniqueFd fd) : path_(std::move(path)), fd_(std::move(fd)) {}

  std::string path_;
  UniqueFd fd_;
};

// rmdir of the empty subdirectories of `parent` named `prefix`...-<pid> whose pid (after the
// last '-') is no live process: what a SIGKILLed supervisor leaves behind.
void RemoveStaleCgroups(const std::string& parent, std::string_view prefix);

// Name of the box cgroup: prefix + supervisor pid, so a crashed supervisor's leftovers are
// recognisable (see CgroupDir::Create).
std::string BoxCgroupPrefix(int box_id);

}  // namespace noj::sandbox::linux_impl

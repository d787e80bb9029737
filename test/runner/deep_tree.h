#pragma once
// Test helpers for trees a contestant may leave behind: a chain of directories deeper than any
// path can name (built through relative descriptors: the full path exceeds PATH_MAX), and a
// scoped lower RLIMIT_NOFILE to show a removal's descriptors are bounded.

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>

namespace noj::runner::testing {

// Creates `root`/d/d/…/d (`depth` levels) with a small file in every level when `files` and one
// in the deepest anyway. `root` must exist. False on any failure (errno tells).
inline bool MakeDeepChain(const std::filesystem::path& root, int depth, bool files = false) {
  int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  auto put_file = [](int dir) {
    int f = ::openat(dir, "f", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (f < 0) return false;
    bool ok = ::write(f, "x\n", 2) == 2;
    ::close(f);
    return ok;
  };
  for (int i = 0; i < depth; ++i) {
    if (::mkdirat(fd, "d", 0755) != 0 || (files && !put_file(fd))) {
      ::close(fd);
      return false;
    }
    int next = ::openat(fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ::close(fd);
    if (next < 0) return false;
    fd = next;
  }
  bool ok = put_file(fd);
  ::close(fd);
  return ok;
}

// The descriptors open now (from /proc/self/fd, without the one used to read it).
inline std::set<int> OpenFds() {
  std::set<int> fds;
  DIR* d = ::opendir("/proc/self/fd");
  if (d == nullptr) return fds;
  while (const dirent* e = ::readdir(d))
    if (e->d_name[0] != '.') fds.insert(std::stoi(e->d_name));
  fds.erase(::dirfd(d));
  ::closedir(d);
  return fds;
}

// Lowers the soft RLIMIT_NOFILE for its lifetime, restored on destruction.
class ScopedFdLimit {
 public:
  explicit ScopedFdLimit(rlim_t soft) {
    ok_ = ::getrlimit(RLIMIT_NOFILE, &saved_) == 0;
    rlimit lowered = saved_;
    lowered.rlim_cur = soft;
    ok_ = ok_ && ::setrlimit(RLIMIT_NOFILE, &lowered) == 0;
  }
  // A limit that leaves exactly `spare` descriptor numbers free (the lowest free ones).
  static rlim_t LeavingFree(int spare) {
    std::set<int> open = OpenFds();
    int fd = 0;
    for (int free = 0;; ++fd)
      if (!open.contains(fd) && ++free == spare) break;
    return static_cast<rlim_t>(fd + 1);
  }
  ~ScopedFdLimit() {
    if (ok_) ::setrlimit(RLIMIT_NOFILE, &saved_);
  }
  ScopedFdLimit(const ScopedFdLimit&) = delete;
  ScopedFdLimit& operator=(const ScopedFdLimit&) = delete;
  bool ok() const { return ok_; }

 private:
  rlimit saved_{};
  bool ok_ = false;
};

}  // namespace noj::runner::testing

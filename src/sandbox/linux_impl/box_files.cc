#include "sandbox/linux_impl/box_files.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {
namespace {

bool IsSystemDir(const std::string& path) {
  for (const char* dir :
       {"/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/opt", "/proc", "/root",
        "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var"}) {
    if (path == dir || path == std::string(dir) + "/") return true;
  }
  return false;
}

Result<UniqueFd> OpenBeneath(int dir_fd, const std::string& path, int flags) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  how.mode = (flags & O_CREAT) ? 0644 : 0;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
  long fd = ::syscall(SYS_openat2, dir_fd, path.c_str(), &how, sizeof how);
  if (fd < 0) return ErrnoStatus("open " + path + " in the box dir", errno);
  return UniqueFd(static_cast<int>(fd));
}

Result<UniqueFd> OpenStdio(const BoxFiles& f, const std::string& box_dir, const std::string& path,
                           int flags) {
  if (path.empty()) return OpenAt(AT_FDCWD, "/dev/null", flags & O_ACCMODE);
  std::string prefix = box_dir.ends_with('/') ? box_dir : box_dir + "/";
  if (path.starts_with('/') && !path.starts_with(prefix)) {
    return OpenAt(AT_FDCWD, path, flags, 0644);
  }
  std::string inside = path.starts_with('/') ? path.substr(prefix.size()) : path;
  NOJ_ASSIGN_OR_RETURN(UniqueFd fd, OpenBeneath(f.box_dir.get(), inside, flags));
  struct stat st;
  if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status(ErrorCode::kInvalidArgument, path + " in the box dir is not a regular file");
  }
  if (::fcntl(fd.get(), F_SETFL, flags & O_APPEND) != 0) return ErrnoStatus("fcntl", errno);
  return fd;
}

// An interactive run's pipe end, passed down by the caller (--stdin-fd/--stdout-fd): ours from
// now on, close-on-exec (the program gets its dup2 on 0/1, nothing else of ours), blocking.
Result<UniqueFd> AdoptInheritedPipe(int fd, int access_mode, const char* flag) {
  struct stat st;
  if (::fstat(fd, &st) != 0)
    return ErrnoStatus(std::string(flag) + " " + std::to_string(fd), errno);
  UniqueFd owned(fd);
  int status_flags = ::fcntl(fd, F_GETFL);
  if (!S_ISFIFO(st.st_mode) || status_flags < 0 || (status_flags & O_ACCMODE) != access_mode) {
    return Status(ErrorCode::kInvalidArgument,
                  std::string(flag) + " " + std::to_string(fd) + " is not the " +
                      (access_mode == O_RDONLY ? "read" : "write") + " end of a pipe");
  }
  if (::fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 ||
      ::fcntl(fd, F_SETFL, status_flags & ~O_NONBLOCK) != 0) {
    return ErrnoStatus(std::string("fcntl ") + flag, errno);
  }
  return owned;
}

}  // namespace

Result<BoxFiles> OpenBoxFiles(const RunRequest& r) {
  if (IsSystemDir(r.box_dir)) {
    return Status(ErrorCode::kInvalidArgument,
                  "refusing system directory as box dir: " + r.box_dir);
  }
  BoxFiles f;
  NOJ_ASSIGN_OR_RETURN(f.box_dir, OpenAt(AT_FDCWD, r.box_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
  constexpr int kWrite = O_WRONLY | O_CREAT | O_TRUNC;
  if (r.stdin_fd >= 0) {
    NOJ_ASSIGN_OR_RETURN(f.stdin_fd, AdoptInheritedPipe(r.stdin_fd, O_RDONLY, "--stdin-fd"));
  } else {
    NOJ_ASSIGN_OR_RETURN(f.stdin_fd, OpenStdio(f, r.box_dir, r.stdin_path, O_RDONLY));
  }
  if (r.stdout_fd >= 0) {
    NOJ_ASSIGN_OR_RETURN(f.stdout_fd, AdoptInheritedPipe(r.stdout_fd, O_WRONLY, "--stdout-fd"));
  } else {
    NOJ_ASSIGN_OR_RETURN(f.stdout_fd, OpenStdio(f, r.box_dir, r.stdout_path, kWrite));
  }
  if (!r.stderr_path.empty() && r.stderr_path == r.stdout_path) {
    int dup = ::fcntl(f.stdout_fd.get(), F_DUPFD_CLOEXEC, 3);
    if (dup < 0) return ErrnoStatus("dup stdout", errno);
    f.stderr_fd.reset(dup);
  } else {
    NOJ_ASSIGN_OR_RETURN(f.stderr_fd, OpenStdio(f, r.box_dir, r.stderr_path, kWrite));
  }
  return f;
}

Status ChownBoxDir(const BoxFiles& f, int box_id) {
  uid_t id = static_cast<uid_t>(BoxUid(box_id));
  if (::fchown(f.box_dir.get(), id, id) != 0) return ErrnoStatus("chown box dir", errno);
  return Status::Ok();
}

}  // namespace noj::sandbox::linux_impl

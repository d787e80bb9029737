#include "sandbox/linux_impl/sys_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace noj::sandbox::linux_impl {

Status ErrnoStatus(std::string what, int err) {
  ErrorCode code = ErrorCode::kUnavailable;
  if (err == EPERM || err == EACCES) code = ErrorCode::kPermissionDenied;
  if (err == ENOENT) code = ErrorCode::kNotFound;
  return Status(code, what + ": " + std::strerror(err));
}

Status MakePipe(UniqueFd& read_end, UniqueFd& write_end) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return ErrnoStatus("pipe2", errno);
  read_end.reset(fds[0]);
  write_end.reset(fds[1]);
  return Status::Ok();
}

Result<UniqueFd> OpenAt(int dirfd, const std::string& path, int flags, int mode) {
  int fd = ::openat(dirfd, path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) return ErrnoStatus("open " + path, errno);
  return UniqueFd(fd);
}

Status WriteFileAt(int dirfd, const std::string& path, std::string_view content) {
  NOJ_ASSIGN_OR_RETURN(UniqueFd fd, OpenAt(dirfd, path, O_WRONLY));
  ssize_t n = ::write(fd.get(), content.data(), content.size());
  if (n < 0) return ErrnoStatus("write " + path, errno);
  if (static_cast<size_t>(n) != content.size()) {
    return Status(ErrorCode::kUnavailable, "short write to " + path);
  }
  return Status::Ok();
}

Result<std::string> ReadFileAt(int dirfd, const std::string& path) {
  NOJ_ASSIGN_OR_RETURN(UniqueFd fd, OpenAt(dirfd, path, O_RDONLY));
  return PreadAll(fd.get());
}

Result<std::string> PreadAll(int fd) {
  std::string out;
  char buf[4096];
  off_t off = 0;
  for (;;) {
    ssize_t n = ::pread(fd, buf, sizeof buf, off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("read", errno);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    off += n;
  }
  return out;
}

std::optional<int64_t> FindKeyedValue(std::string_view text, std::string_view key) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
    if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == ' ') {
      return ParseInt(line.substr(key.size() + 1));
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return std::nullopt;
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr == text.data()) return std::nullopt;
  return v;
}

int64_t MonotonicNowNs() {
  timespec ts;
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

Result<std::vector<std::string>> ListDirAt(int dir_fd) {
  int copy = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (copy < 0) return ErrnoStatus("open a directory to list it", errno);
  DIR* dir = ::fdopendir(copy);
  if (dir == nullptr) {
    ::close(copy);
    return ErrnoStatus("fdopendir", errno);
  }
  std::vector<std::string> names;
  while (dirent* e = ::readdir(dir)) {
    std::string_view n = e->d_name;
    if (n != "." && n != "..") names.emplace_back(n);
  }
  ::closedir(dir);
  return names;
}

}  // namespace noj::sandbox::linux_impl

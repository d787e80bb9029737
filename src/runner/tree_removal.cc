#include "runner/tree_removal.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>  // makedev
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace noj::runner {
namespace {

namespace fs = std::filesystem;

// O_NOFOLLOW: a symlink fails with ELOOP and is unlinked, never entered.
constexpr int kOpenDirFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
// A directory whose removal failed only because it was not empty (something appeared after it
// was read, which nothing should do) is read again at most this often per parent directory.
constexpr int kRereadsPerDir = 3;

// Where a directory is: its inode, and its mount. The mount id (Linux 5.8+) also tells a bind
// mount of the same filesystem, which st_dev cannot; 0 when the kernel does not say.
struct DirIdentity {
  dev_t dev;
  ino_t ino;
  uint64_t mount_id;
};

bool IdentityOf(int fd, DirIdentity* id) {
  struct statx sx;
  if (::statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_INO | STATX_MNT_ID, &sx) != 0)
    return false;
  id->dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
  id->ino = sx.stx_ino;
  id->mount_id = (sx.stx_mask & STATX_MNT_ID) != 0 ? sx.stx_mnt_id : 0;
  return true;
}

bool SameMount(const DirIdentity& a, const DirIdentity& b) {
  return a.dev == b.dev && (a.mount_id == 0 || b.mount_id == 0 || a.mount_id == b.mount_id);
}

// strerror is not thread-safe.
std::string ErrnoText(int err) { return std::generic_category().message(err); }

// Owns a descriptor opened with O_PATH (only used as the `at` of *at calls).
class PathFd {
 public:
  explicit PathFd(int fd) : fd_(fd) {}
  PathFd(const PathFd&) = delete;
  PathFd& operator=(const PathFd&) = delete;
  ~PathFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Owns an open directory stream and so its descriptor: the one directory being worked on.
class DirStream {
 public:
  DirStream() = default;
  DirStream(DirStream&& o) noexcept : d_(std::exchange(o.d_, nullptr)) {}
  DirStream& operator=(DirStream&& o) noexcept {
    if (this != &o) {
      Reset();
      d_ = std::exchange(o.d_, nullptr);
    }
    return *this;
  }
  DirStream(const DirStream&) = delete;
  DirStream& operator=(const DirStream&) = delete;
  ~DirStream() { Reset(); }

  // openat(at, name) as a directory; on failure an empty stream and errno set.
  static DirStream OpenAt(int at, const char* name) {
    DirStream s;
    int fd = ::openat(at, name, kOpenDirFlags);
    if (fd < 0) return s;
    s.d_ = ::fdopendir(fd);
    if (s.d_ == nullptr) {
      int err = errno;
      ::close(fd);
      errno = err;
    }
    return s;
  }

  explicit operator bool() const { return d_ != nullptr; }
  DIR* get() const { return d_; }
  int fd() const { return ::dirfd(d_); }
  void Reset() {
    if (d_ != nullptr) ::closedir(d_);
    d_ = nullptr;
  }

 private:
  DIR* d_ = nullptr;
};

// One directory on the way from the top down to the one being worked on. The identity is what a
// climb through ".." must find: a tree moved during the removal stops it rather than letting it
// unlink names in whatever directory ".." now is.
struct RemovalLevel {
  std::string name;  // in the parent level
  DirIdentity id;
  std::vector<std::string> subdirs;  // read but not removed yet
  size_t errors_before;              // errors counted when this level was entered
  int rereads = 0;
};

class TreeRemover {
 public:
  TreeRemover(std::string top, std::stop_token stop) : top_(std::move(top)), stop_(stop) {}

  // Removes `name` in the directory `at`.
  Status Run(int at, const std::string& name);

 private:
  bool OpenTop(int at, const std::string& name);
  // Reads the current directory once: unlinks every entry that is not a directory and queues
  // the directories (removed after, so the stream never changes while it is read).
  void ReadLevel();
  // Unlinks `name` in the current directory (or queues it if it turns out to be a directory).
  void UnlinkEntry(const char* name);
  void Descend(std::string name);
  // Back to the parent, then rmdir of the level left. False if ".." is not the parent any more.
  bool Climb();
  bool OpenRetryingOnAccess(int at, const std::string& name, DirStream* out);
  void Fail(ErrorCode code, std::string message);
  void FailErrno(const std::string& what, int err) {
    Fail(ErrorCode::kInternal, what + ": " + ErrnoText(err));
  }
  std::string Where(std::string_view name = {}) const;

  const std::string top_;  // for messages only
  std::stop_token stop_;
  DirIdentity mount_{};  // the top's parent: its mount is never left
  DirStream cur_;
  std::vector<RemovalLevel> stack_;  // [0] is the top, back() the current directory
  Status first_error_;
  size_t errors_ = 0;
};

void TreeRemover::Fail(ErrorCode code, std::string message) {
  if (errors_++ == 0) first_error_ = Status(code, std::move(message));
}

// The top path, then the names down to the current directory, the middle elided when deep (a
// 40,000-level path is not a log line), control characters shown as '?'.
std::string TreeRemover::Where(std::string_view name) const {
  size_t below = stack_.empty() ? 0 : stack_.size() - 1;  // names of stack_[1..]
  size_t n = below + (name.empty() ? 0 : 1);
  auto part = [&](size_t i) -> std::string_view { return i < below ? stack_[i + 1].name : name; };
  std::string out = top_;
  auto append = [&out](std::string_view p) {
    out += '/';
    for (char c : p) out += std::iscntrl(static_cast<unsigned char>(c)) ? '?' : c;
  };
  if (n <= 5) {
    for (size_t i = 0; i < n; ++i) append(part(i));
  } else {
    append(part(0));
    out += "/<" + std::to_string(n - 3) + " more levels>";
    append(part(n - 2));
    append(part(n - 1));
  }
  return out;
}

// Root opens anything; another user may own a directory without r/x for itself: chmod, retry.
bool TreeRemover::OpenRetryingOnAccess(int at, const std::string& name, DirStream* out) {
  *out = DirStream::OpenAt(at, name.c_str());
  if (*out || errno != EACCES) return static_cast<bool>(*out);
  struct stat st;
  if (::fstatat(at, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode)) {
    errno = EACCES;
    return false;
  }
  ::fchmodat(at, name.c_str(), S_IRWXU, 0);  // failure shows as EACCES again below
  *out = DirStream::OpenAt(at, name.c_str());
  return static_cast<bool>(*out);
}

bool TreeRemover::OpenTop(int at, const std::string& name) {
  if (!IdentityOf(at, &mount_)) {
    FailErrno("cannot stat the directory of " + top_, errno);
    return false;
  }
  if (!OpenRetryingOnAccess(at, name, &cur_)) {
    int err = errno;
    if (err == ENOENT) return false;  // nothing to remove
    if (err != ENOTDIR && err != ELOOP) {
      FailErrno("cannot open " + top_, err);
    } else if (::unlinkat(at, name.c_str(), 0) != 0 && errno != ENOENT) {
      FailErrno("cannot remove " + top_, errno);  // not a directory (or a symlink to one)
    }
    return false;
  }
  DirIdentity id;
  if (!IdentityOf(cur_.fd(), &id)) {
    FailErrno("cannot stat " + top_, errno);
    return false;
  }
  if (!SameMount(id, mount_)) {
    Fail(ErrorCode::kFailedPrecondition, top_ + " is a mount point: not removed");
    return false;
  }
  stack_.push_back(RemovalLevel{name, id, {}, errors_});
  return true;
}

void TreeRemover::UnlinkEntry(const char* name) {
  int fd = cur_.fd();
  if (::unlinkat(fd, name, 0) == 0 || errno == ENOENT) return;
  if (errno == EISDIR) {  // a directory after all (d_type was wrong, or it was replaced)
    stack_.back().subdirs.emplace_back(name);
    return;
  }
  if (errno == EACCES || errno == EPERM) {  // not root, and a directory without w for its owner
    ::fchmod(fd, S_IRWXU);
    if (::unlinkat(fd, name, 0) == 0 || errno == ENOENT) return;
  }
  int err = errno;
  FailErrno("cannot remove " + Where(name), err);
}

void TreeRemover::ReadLevel() {
  DIR* dir = cur_.get();
  while (!stop_.stop_requested()) {
    errno = 0;
    const dirent* e = ::readdir(dir);
    if (e == nullptr) {
      if (int err = errno; err != 0) FailErrno("cannot read " + Where(), err);
      return;
    }
    std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN) {  // some filesystems do not say: ask, never following a symlink
      struct stat st;
      if (::fstatat(cur_.fd(), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (int err = errno; err != ENOENT) FailErrno("cannot stat " + Where(name), err);
        continue;
      }
      type = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
    }
    // Unlinking an entry already returned does not disturb readdir on Linux; a name missed
    // anyway makes the rmdir fail with ENOTEMPTY, and the directory is read again (Climb).
    if (type == DT_DIR)
      stack_.back().subdirs.emplace_back(name);
    else
      UnlinkEntry(e->d_name);
  }
}

void TreeRemover::Descend(std::string name) {
  DirStream next;
  if (!OpenRetryingOnAccess(cur_.fd(), name, &next)) {
    int err = errno;
    if (err == ENOENT) return;
    if (err == ENOTDIR || err == ELOOP) return UnlinkEntry(name.c_str());  // replaced
    return FailErrno("cannot open " + Where(name), err);
  }
  DirIdentity id;
  if (!IdentityOf(next.fd(), &id)) return FailErrno("cannot stat " + Where(name), errno);
  if (!SameMount(id, mount_))  // surfaced, not deleted through; its parents stay too
    return Fail(
        ErrorCode::kFailedPrecondition,
        Where(name) + " is a mount point (another filesystem or a bind mount): not removed");
  stack_.push_back(RemovalLevel{std::move(name), id, {}, errors_});
  cur_ = std::move(next);
  ReadLevel();
}

bool TreeRemover::Climb() {
  RemovalLevel done = std::move(stack_.back());
  stack_.pop_back();
  RemovalLevel& parent = stack_.back();
  DirStream up = DirStream::OpenAt(cur_.fd(), "..");
  DirIdentity id;
  if (!up || !IdentityOf(up.fd(), &id)) {
    FailErrno("cannot open the parent of " + Where(done.name) + " (removal stopped)", errno);
    return false;
  }
  if (id.dev != parent.id.dev || id.ino != parent.id.ino) {
    Fail(ErrorCode::kInternal, Where() + " was moved while being removed (removal stopped)");
    return false;
  }
  cur_ = std::move(up);  // a fresh stream, but only `subdirs` is used from now on
  if (::unlinkat(cur_.fd(), done.name.c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT) return true;
  int err = errno;
  if (errors_ != done.errors_before) return true;  // not empty because of an error reported
  if ((err == ENOTEMPTY || err == EEXIST) && parent.rereads++ < kRereadsPerDir) {
    parent.subdirs.push_back(std::move(done.name));
    return true;
  }
  FailErrno("cannot remove " + Where(done.name), err);
  return true;
}

Status TreeRemover::Run(int at, const std::string& name) {
  bool lost = false;  // ".." was not the parent: nothing more is touched
  for (int attempt = 0;; ++attempt) {
    if (!OpenTop(at, name)) break;
    ReadLevel();
    while (!stop_.stop_requested()) {
      RemovalLevel& level = stack_.back();
      if (!level.subdirs.empty()) {
        std::string next = std::move(level.subdirs.back());
        level.subdirs.pop_back();
        Descend(std::move(next));
      } else if (stack_.size() == 1) {
        break;
      } else if (!Climb()) {
        lost = true;
        break;
      }
    }
    if (stop_.stop_requested()) return AbortedError("stopped while removing " + top_);
    if (lost) break;
    stack_.clear();
    cur_.Reset();
    if (::unlinkat(at, name.c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT) break;
    int err = errno;
    if (errors_ != 0) break;  // not empty because of an error reported
    if ((err != ENOTEMPTY && err != EEXIST) || attempt >= kRereadsPerDir) {
      FailErrno("cannot remove " + top_, err);
      break;
    }
  }
  if (errors_ == 0) return Status::Ok();
  std::string more = errors_ > 1 ? " (and " + std::to_string(errors_ - 1) + " more errors)" : "";
  return Status(first_error_.code(), first_error_.message() + more);
}

}  // namespace

Status RemoveTreeBounded(const fs::path& path, std::stop_token stop) {
  fs::path p = path.has_filename() ? path : path.parent_path();  // "a/b/" names "a/b"
  std::string name = p.filename().string();
  if (name.empty() || name == "." || name == "..")
    return InvalidArgumentError("refusing to remove \"" + path.string() + "\"");
  fs::path dir = p.parent_path();
  PathFd at(::open(dir.empty() ? "." : dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (at.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return Status::Ok();  // so `path` is not there either
    return InternalError("cannot open " + dir.string() + ": " + ErrnoText(errno));
  }
  return TreeRemover(p.string(), stop).Run(at.get(), name);
}

}  // namespace noj::runner

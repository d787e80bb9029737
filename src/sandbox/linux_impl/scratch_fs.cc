#include "sandbox/linux_impl/scratch_fs.h"

// <linux/mount.h> only: glibc 2.36's <sys/mount.h> redefines its constants.
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {
namespace {

Status Configure(int fs_fd, const char* key, const std::string& value) {
  if (::syscall(SYS_fsconfig, fs_fd, FSCONFIG_SET_STRING, key, value.c_str(), 0) != 0) {
    return ErrnoStatus(std::string("tmpfs option ") + key + "=" + value, errno);
  }
  return Status::Ok();
}

std::string Octal(int mode) {
  char buf[16];
  int n = std::snprintf(buf, sizeof buf, "%o", mode);
  return std::string(buf, static_cast<size_t>(std::max(0, n)));
}

Status CopyFile(int src_dir, int dst_dir, const std::string& name) {
  UniqueFd src(::openat(src_dir, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!src) return ErrnoStatus("collect: open " + name, errno);
  struct stat st;
  if (::fstat(src.get(), &st) != 0) return ErrnoStatus("collect: stat " + name, errno);
  if (!S_ISREG(st.st_mode)) return Status::Ok();  // raced into something else: leave it
  mode_t mode = (st.st_mode & 0111) != 0 ? 0755 : 0644;
  // A name the caller already has (say a file of the package) is replaced, never written
  // through: unlink first, then create exclusively.
  if (::unlinkat(dst_dir, name.c_str(), 0) != 0 && errno != ENOENT) {
    // A directory of the caller's by that name: the program's file is left out, never an
    // error (what a program makes must not turn into the judge's failure).
    if (errno == EISDIR) return Status::Ok();
    return ErrnoStatus("collect: replace " + name, errno);
  }
  UniqueFd dst(
      ::openat(dst_dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
  if (!dst) return ErrnoStatus("collect: create " + name, errno);
  if (::fchmod(dst.get(), mode) != 0) return ErrnoStatus("collect: chmod " + name, errno);
  // sendfile: copy_file_range refuses to cross from tmpfs to another filesystem type.
  for (;;) {
    ssize_t n = ::sendfile(dst.get(), src.get(), nullptr, size_t{1} << 30);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("collect: copy " + name, errno);
    }
  }
  return Status::Ok();
}

Status CopyTree(int src_dir, int dst_dir, int depth, const std::vector<std::string>& skip) {
  NOJ_ASSIGN_OR_RETURN(std::vector<std::string> names, ListDirAt(src_dir));
  for (const std::string& name : names) {
    if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
    struct stat st;
    if (::fstatat(src_dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISREG(st.st_mode)) {
      NOJ_RETURN_IF_ERROR(CopyFile(src_dir, dst_dir, name));
    } else if (S_ISDIR(st.st_mode) && depth < kMaxCollectDepth) {
      if (::mkdirat(dst_dir, name.c_str(), 0755) != 0 && errno != EEXIST) {
        return ErrnoStatus("collect: mkdir " + name, errno);
      }
      UniqueFd sub_dst(
          ::openat(dst_dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!sub_dst && (errno == ENOTDIR || errno == ELOOP)) continue;  // a caller's file: keep it
      UniqueFd sub_src(
          ::openat(src_dir, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (!sub_src || !sub_dst) return ErrnoStatus("collect: open directory " + name, errno);
      NOJ_RETURN_IF_ERROR(CopyTree(sub_src.get(), sub_dst.get(), depth + 1, {}));
    }
  }
  return Status::Ok();
}

}  // namespace

Result<UniqueFd> MakeScratch(const ScratchSpec& spec) {
  UniqueFd fs(static_cast<int>(::syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC)));
  if (!fs) return ErrnoStatus("fsopen(tmpfs)", errno);
  NOJ_RETURN_IF_ERROR(Configure(fs.get(), "size", std::to_string(spec.size_kib) + "k"));
  NOJ_RETURN_IF_ERROR(Configure(fs.get(), "nr_inodes", std::to_string(spec.inodes)));
  NOJ_RETURN_IF_ERROR(Configure(fs.get(), "mode", Octal(spec.mode)));
  NOJ_RETURN_IF_ERROR(Configure(fs.get(), "uid", std::to_string(spec.owner)));
  NOJ_RETURN_IF_ERROR(Configure(fs.get(), "gid", std::to_string(spec.group)));
  if (::syscall(SYS_fsconfig, fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) {
    return ErrnoStatus("create a tmpfs", errno);
  }
  long mnt =
      ::syscall(SYS_fsmount, fs.get(), FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
  if (mnt < 0) return ErrnoStatus("fsmount(tmpfs)", errno);
  return UniqueFd(static_cast<int>(mnt));
}

Result<UniqueFd> CloneTreeReadOnly(int dir_fd) {
  int fd = static_cast<int>(
      ::syscall(SYS_open_tree, dir_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH));
  if (fd < 0) return ErrnoStatus("open_tree of the box dir", errno);
  UniqueFd tree(fd);
  mount_attr attr{};
  attr.attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV;
  if (::syscall(SYS_mount_setattr, tree.get(), "", AT_EMPTY_PATH, &attr, sizeof attr) != 0) {
    return ErrnoStatus("mount_setattr of the box dir's copy", errno);
  }
  return tree;
}

int AttachScratch(int mount_fd, const char* target) {
  return ::syscall(SYS_move_mount, mount_fd, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH) == 0
             ? 0
             : errno;
}

bool ScratchFull(int mount_fd) {
  struct statfs st;
  if (::fstatfs(mount_fd, &st) != 0) return false;
  return st.f_bfree == 0 || st.f_ffree == 0;
}

Status CollectScratch(int mount_fd, const std::vector<std::string>& skip,
                      const std::string& dest_dir) {
  UniqueFd dest(::open(dest_dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dest) return ErrnoStatus("open the collect dir " + dest_dir, errno);
  return CopyTree(mount_fd, dest.get(), 0, skip);
}

}  // namespace noj::sandbox::linux_impl

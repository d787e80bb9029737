#include "sandbox/linux_impl/shared_netns.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/linux_impl/state_dir.h"
#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {
namespace {

// The file is a net namespace only once the bind mount is in place.
Result<UniqueFd> OpenExisting() {
  int fd = ::open(kSharedNetnsPath, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(std::string("open ") + kSharedNetnsPath, errno);
  UniqueFd owned(fd);
  if (::ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET) {
    return Status(ErrorCode::kNotFound, std::string(kSharedNetnsPath) + " is no net namespace");
  }
  return owned;
}

Status CreateLocked() {
  UniqueFd file(::open(kSharedNetnsPath, O_RDONLY | O_CREAT | O_CLOEXEC, 0400));
  if (!file) return ErrnoStatus(std::string("create ") + kSharedNetnsPath, errno);
  UniqueFd original(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!original) return ErrnoStatus("open /proc/self/ns/net", errno);
  if (::unshare(CLONE_NEWNET) != 0) return ErrnoStatus("unshare(CLONE_NEWNET)", errno);
  Status bound;
  if (::mount("/proc/self/ns/net", kSharedNetnsPath, nullptr, MS_BIND, nullptr) != 0) {
    bound = ErrnoStatus(std::string("bind netns at ") + kSharedNetnsPath, errno);
  }
  if (::setns(original.get(), CLONE_NEWNET) != 0) {
    return ErrnoStatus("setns back to the original net namespace", errno);
  }
  return bound;
}

}  // namespace

Result<UniqueFd> OpenSharedNetns() {
  if (Result<UniqueFd> fd = OpenExisting(); fd.ok()) return fd;
  NOJ_RETURN_IF_ERROR(EnsureStateDir());
  UniqueFd lock(::open(kLockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (!lock) return ErrnoStatus(std::string("open ") + kLockPath, errno);
  if (::flock(lock.get(), LOCK_EX) != 0) return ErrnoStatus("flock", errno);
  if (Result<UniqueFd> fd = OpenExisting(); fd.ok()) return fd;  // another run made it
  NOJ_RETURN_IF_ERROR(CreateLocked());
  return OpenExisting();
}

Status RemoveSharedNetns() {
  if (::umount2(kSharedNetnsPath, MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
    return ErrnoStatus(std::string("umount ") + kSharedNetnsPath, errno);
  }
  if (::unlink(kSharedNetnsPath) != 0 && errno != ENOENT) {
    return ErrnoStatus(std::string("unlink ") + kSharedNetnsPath, errno);
  }
  return Status::Ok();
}

}  // namespace noj::sandbox::linux_impl

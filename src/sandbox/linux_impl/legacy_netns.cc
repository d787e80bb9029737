#include "sandbox/linux_impl/legacy_netns.h"

#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/linux_impl/state_dir.h"
#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {

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

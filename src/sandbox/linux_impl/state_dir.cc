#include "sandbox/linux_impl/state_dir.h"

#include <sys/stat.h>

#include <cerrno>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {

Status EnsureStateDir() {
  struct stat st;
  if (::stat(kStagingRoot, &st) == 0 && S_ISDIR(st.st_mode)) return Status::Ok();
  if (::mkdir(kStateDir, 0700) != 0 && errno != EEXIST) {
    return ErrnoStatus(std::string("mkdir ") + kStateDir, errno);
  }
  if (::mkdir(kStagingRoot, 0755) != 0 && errno != EEXIST) {
    return ErrnoStatus(std::string("mkdir ") + kStagingRoot, errno);
  }
  return Status::Ok();
}

}  // namespace noj::sandbox::linux_impl

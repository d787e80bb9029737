#pragma once
// The box directory and the program's stdio files, opened by the supervisor (as root,
// before confinement) without letting the box trick it: paths inside the box dir are
// resolved beneath it with no symlinks (a previous run may have planted some), and only
// regular files (a planted FIFO would block us) are accepted.

#include <string>

#include "common/status.h"
#include "sandbox/linux_impl/unique_fd.h"
#include "sandbox/run_request.h"

namespace noj::sandbox::linux_impl {

struct BoxFiles {
  UniqueFd box_dir;
  UniqueFd stdin_fd;
  UniqueFd stdout_fd;
  UniqueFd stderr_fd;  // may be a dup of stdout_fd when both name the same file
};

// Opens request.box_dir (refusing system directories) and the three stdio paths:
// empty -> /dev/null; relative, or absolute under the box dir -> beneath the box dir;
// other absolute paths -> as given (the caller's own files). stdout/stderr are created or
// truncated (mode 0644). request.stdin_fd / stdout_fd (>= 0) are taken over instead of a path:
// they must be the read / write end of a pipe.
Result<BoxFiles> OpenBoxFiles(const RunRequest& request);

// Makes the box dir itself (not its content) owned by the box uid/gid, so the program can
// create files in /box.
Status ChownBoxDir(const BoxFiles& files, int box_id);

}  // namespace noj::sandbox::linux_impl

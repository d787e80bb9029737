#pragma once
// Scratch filesystems: the box's writable places (/tmp, and /box in scratch mode) as tmpfs
// instances the supervisor creates detached (fsopen/fsmount) before cloning the box. The box's
// init moves each into its mount namespace; the supervisor keeps the mount fd, so after the run
// it can tell whether the program filled one (bytes or inodes) and copy out what the program
// made — the tmpfs lives on through the fd after the box's namespace is gone, and dies with it.
//
// Bounded in bytes (size=) and inodes (nr_inodes=); its pages are charged to the box's memory
// cgroup like any tmpfs, so it never reaches the host's disk.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "sandbox/linux_impl/unique_fd.h"

namespace noj::sandbox::linux_impl {

struct ScratchSpec {
  int64_t size_kib = 0;
  int64_t inodes = 0;
  int mode = 01777;  // of its root directory
  uid_t owner = 0;   // of its root directory
  gid_t group = 0;
};

// A detached tmpfs mount (nosuid, nodev), not yet visible anywhere. kUnavailable when the
// kernel lacks the mount API (Linux < 5.2).
Result<UniqueFd> MakeScratch(const ScratchSpec& spec);

// A detached, read-only (nosuid, nodev) copy of the mount at `dir_fd`, rooted at that directory:
// how a warm box's case gets its box dir (warm_box.h), attached in the box like a scratch.
Result<UniqueFd> CloneTreeReadOnly(int dir_fd);

// Async-signal-safe (the box's init, after clone): attaches `mount_fd` at `target`.
// 0 or an errno.
int AttachScratch(int mount_fd, const char* target);

// True when the filesystem behind `mount_fd` has no free block or no free inode left.
bool ScratchFull(int mount_fd);

// Copies what the program created in the scratch /box into `dest_dir` (an existing host
// directory): regular files (mode 0755 when the program made them executable, else 0644) and
// directories, at most kMaxCollectDepth deep; top-level names in `skip` (the bound entries)
// and anything else (links, FIFOs, sockets) are left out. Never follows a link on either side.
inline constexpr int kMaxCollectDepth = 8;
Status CollectScratch(int mount_fd, const std::vector<std::string>& skip,
                      const std::string& dest_dir);

}  // namespace noj::sandbox::linux_impl

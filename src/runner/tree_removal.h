#pragma once
// rm -rf for trees a contestant may have built: a constant number of descriptors whatever the
// depth (std::filesystem::remove_all keeps one open directory per level, so a 40,000-level chain
// fails with EMFILE), paths of any length (only descriptors and single names are used), symlinks
// never followed, and never a step into another mount.
//
// How: descend with openat(fd, name, O_NOFOLLOW), climb back with openat(fd, "..") checked against
// the (st_dev, st_ino) remembered on a heap stack. Each directory is read once; files are unlinked
// as they are read, subdirectories queued and removed after. Linear in the number of entries.

#include <filesystem>
#include <stop_token>

#include "common/status.h"

namespace noj::runner {

// Removes `path` and everything below it. OK when `path` does not exist. Errors:
//   kFailedPrecondition  a directory inside is a mount point (another filesystem or a bind
//                        mount: a bug to surface, not to delete through); it and its ancestors
//                        stay, the rest is removed
//   kAborted             `stop` was requested; part of the tree remains
//   kInvalidArgument     `path` ends in "." or ".."
//   kInternal            anything else (the first error; the removal carries on past it)
// Thread-safe (no shared state). Runs as long as the tree is large: a caller that must not wait
// moves the tree aside first (TrashBin).
Status RemoveTreeBounded(const std::filesystem::path& path, std::stop_token stop = {});

}  // namespace noj::runner

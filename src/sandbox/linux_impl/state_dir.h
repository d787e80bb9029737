#pragma once
// /run/noj-sandbox: the little host state the sandbox keeps between runs. Nothing in it
// holds data; the empty directory stays.
//   root   empty directory: where each box mounts its tmpfs root (in its own mount
//          namespace) before pivot_root, so no host directory is ever covered
//   netns  where earlier versions kept a shared net namespace (legacy_netns.h; their
//          `lock` file, which serialised creating it, is left alone: it holds nothing)

#include "common/status.h"

namespace noj::sandbox::linux_impl {

inline constexpr char kStateDir[] = "/run/noj-sandbox";
inline constexpr char kStagingRoot[] = "/run/noj-sandbox/root";
inline constexpr char kSharedNetnsPath[] = "/run/noj-sandbox/netns";

// Creates kStateDir and kStagingRoot (mode 0700/0755, root-owned) if missing.
Status EnsureStateDir();

}  // namespace noj::sandbox::linux_impl

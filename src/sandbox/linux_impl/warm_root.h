#pragma once
// A warm box's root: the box's filesystem without the per-run parts (MountPlan::BuildWarmRoot),
// built once in a mount namespace of its own that outlives the process that built it, held by
// an nsfs descriptor. Each case's init enters it and takes a private copy (warm_init.h): the
// namespace copy costs a few dozen mounts instead of building the root and pivoting per run.
// Read-only, and nothing is ever mounted in it after it was built, so cases share nothing
// through it but the read-only files every box sees.

#include <vector>

#include "common/status.h"
#include "sandbox/linux_impl/unique_fd.h"
#include "sandbox/run_request.h"

namespace noj::sandbox::linux_impl {

// The descriptor of the new mount namespace. REQUIRES: single-threaded, root.
Result<UniqueFd> CreateWarmRoot(const std::vector<BindMount>& ro_binds);

}  // namespace noj::sandbox::linux_impl

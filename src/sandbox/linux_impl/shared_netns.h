#pragma once
// The persistent empty net namespace every box joins (only loopback, down). Creating a net
// namespace costs ~0.4 ms here and its teardown runs in a kernel work queue that backs up at
// judge rates, so one is made once and bind-mounted at kSharedNetnsPath.

#include "common/status.h"
#include "sandbox/linux_impl/unique_fd.h"

namespace noj::sandbox::linux_impl {

// Opens the shared namespace, creating it under the state lock if missing.
// REQUIRES: single-threaded caller (creation briefly unshares the caller's net namespace).
Result<UniqueFd> OpenSharedNetns();

// Unmounts and deletes it. Boxes that joined it keep working (the namespace dies with the
// last of them); the next run creates a new one. The empty state directory stays: a run in
// progress may be about to mount on kStagingRoot.
Status RemoveSharedNetns();

}  // namespace noj::sandbox::linux_impl

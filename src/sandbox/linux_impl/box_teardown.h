#pragma once
// After the init is gone: make sure nothing of the box survives and reap. The cgroups stay
// until their statistics are read; BoxCgroups::Remove() then deletes them.

#include "common/status.h"
#include "sandbox/linux_impl/box_session.h"

namespace noj::sandbox::linux_impl {

// Kills what is left (cgroup.kill, else a per-uid sweep when no pid namespace held the box),
// waits until the box cgroups are empty (up to ~2 s), reaps every child of ours (we are the
// subreaper of anything that escaped a namespace-less box). kUnavailable if processes remain.
Status EnsureBoxGone(BoxSession& session, int box_id);

// Reaps zombie children without waiting.
void ReapChildren();

}  // namespace noj::sandbox::linux_impl

#pragma once
// From what a run's supervisor observed to its result, and the kill it uses: shared by the
// one-shot run (jail_sandbox.cc) and the warm box (warm_box.cc).

#include <cstdint>

#include "common/status.h"
#include "sandbox/linux_impl/box_session.h"
#include "sandbox/linux_impl/box_watch.h"
#include "sandbox/run_request.h"
#include "sandbox/run_result.h"

namespace noj::sandbox::linux_impl {

// SE when the run itself says nothing about the program. `cpu_baseline_us`: the box cgroup's
// CPU before the program was started (a warm box's init was set up in it ahead of the case).
RunResult ConcludeRun(const RunRequest& r, BoxSession& s, const WatchOutcome& w, int64_t start_ns,
                      const Status& teardown, bool scratch_full, int64_t cpu_baseline_us = 0);

// cgroup.kill, SIGKILL to the init (its pid namespace with it), a uid sweep without namespaces.
void KillBox(const BoxSession& s, int pidfd, int box_id);

int CpuCount();

}  // namespace noj::sandbox::linux_impl

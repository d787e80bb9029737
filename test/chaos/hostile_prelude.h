#pragma once
// The strict hostile scenarios, before the faults start:
//   - a runner that claims and never reports (its job must come back after the server's lease TTL);
//   - one that reports twice (the second report must be refused: 404/409, never a second landing);
//   - a zombie that reports after its lease was reclaimed (409/404, and it must not land);
//   - one whose clock is off: every request carries a Date header a day ahead and heartbeat bodies
//     with skewed time fields; the server must go by its own clock only.

#include "chaos/chaos_cluster.h"
#include "chaos/workload.h"

namespace noj::chaos {

// The strict hostile scenarios, run on a quiet cluster (nojd up, no real runner yet): claims four
// jobs (never-report, zombie, double-report, skewed clock) and checks the server's answers and
// lease timing with gtest assertions. The targets are added to `workload` and judged at the end.
void RunHostilePrelude(const ChaosCluster& cluster, Workload& workload);

}  // namespace noj::chaos

#pragma once
// Result callbacks under chaos (docs/callbacks.md): nojd runs with --callback-url pointing at the
// example receiver, and every kill of the run hits deliveries too. At the end every landed
// submission must have reached the receiver — its event accepted with a valid signature — and
// the outbox must be empty with nothing dead:
//   missing  — a final submission the receiver never got an event for;
//   extra    — an accepted event id the store does not count as delivered (distinct events
//              received != delivered_total, superseded ones being none here: no rejudges);
//   repeats  — POSTs of an event the receiver already had: allowed (a 2xx whose outcome a killed
//              nojd never recorded is sent again), counted, deduplicated by webhook-id.

#include <string>

#include "chaos/chaos_cluster.h"
#include "chaos/verify.h"
#include "chaos/workload.h"

namespace noj::chaos {

struct CallbackFigures {
  int delivered_total = -1;  // the store's count; -1 when GET /callbacks never answered
  int distinct = 0, repeats = 0, missing = 0, extra = 0, pending = -1, dead = -1;
  std::string SummaryLine(const std::string& store) const;
};

// Waits (up to `timeout_s`) until the outbox is empty, then compares it with the receiver.
CallbackFigures VerifyCallbacks(const ChaosCluster& cluster, const Workload& workload,
                                int timeout_s, Figures& f);

}  // namespace noj::chaos

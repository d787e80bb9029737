#pragma once
// Durability across SIGKILLs of nojd: every 2xx the workload saw before a kill must be in the
// store after the restart — a submission answered 201 exists, and a submission whose job
// completion was answered 204 is final (the chaos workload never rejudges, so no later job can
// have superseded that result). With the SQLite store on sync=full and group commit, an answer is
// sent only after the COMMIT holding its transition returned: a kill may lose only transitions
// that were never answered.

#include <map>
#include <set>
#include <string>

#include "chaos/chaos_cluster.h"
#include "chaos/verify.h"
#include "chaos/workload.h"

namespace noj::chaos {

struct Acks {
  std::set<std::string> created;    // submissions answered 201
  std::set<std::string> completed;  // submissions with a job completion answered 204
};

// The 2xx seen so far: the workload's 201s, the runners' logged 204s and the rogue's.
Acks SeenAcks(const ChaosCluster& cluster, const Workload& workload,
              const std::map<std::string, int>& rogue_landed);

// Looks every ack up in the store (nojd restarted meanwhile); counts the check, the acks and the
// missing ones in `f` (acks_lost, with a line each in f.problems).
void CheckAcksDurable(const ChaosCluster& cluster, const Workload& workload, const Acks& acks,
                      Figures& f);

}  // namespace noj::chaos

#pragma once
// The end of a chaos run: wait until the queue is empty, then check every submission.
//   lost       — a submission without a final status (or missing from the store);
//   duplicates — a submission whose result landed more than once: more than one "event=landed" of
//                nojd's handler in its log (all incarnations append to one file), more than one
//                204 seen by the clients (noj-runner logs "outcome=landed", the rogue's counts),
//                or a final result that changed after it was first read;
//   wrong      — a final status/score other than the code text's, a stored case output made for
//                other code (the fake judge writes the source's hash into stdout), or JE where the
//                harness did not force it.
// Submissions created by a POST whose answer was lost (nojd killed after the commit) are found by
// listing the problems, matched to their code by that hash, and checked the same way.

#include <map>
#include <string>
#include <vector>

#include "chaos/chaos_cluster.h"
#include "chaos/workload.h"

namespace noj::chaos {

// An ordinary submission needing this many attempts gets its log history printed.
constexpr int kHistoryAttempts = 5;

struct Figures {
  std::string store;
  int submissions = 0;  // final results checked (the load, the hostile targets, lost-answer twins)
  int twins = 0;        // of which created by a retried POST whose first answer was lost
  int kills_nojd = 0, kills_runner = 0, kills_runner_mid_job = 0, kills_redis = 0;
  int crash_restarts = 0;  // runners that exited on FAKE:CRASH and were restarted
  int lost = 0, duplicates = 0, wrong = 0, je_forced = 0;
  bool queue_empty = false;
  std::map<int64_t, int> attempts;  // non-forced submissions per attempt count (how hard hit)
  double wall_s = 0;
  std::vector<std::string> problems;  // one line per finding, for the test's failure message
  // The log lines (nojd's and the runners') of each submission that was wrong or needed
  // kHistoryAttempts attempts or more: what happened to each attempt.
  std::vector<std::string> histories;

  std::string SummaryLine() const;
  std::string AttemptsHistogram() const;  // "1:250,2:40,…"
};

// Polls GET /queue (and restarts runners that exited on FAKE:CRASH) until nothing is pending or
// leased, or `timeout_s` passes. Returns whether it emptied.
bool WaitForQuiet(ChaosCluster& cluster, int timeout_s, Figures& f);

// Every check above; fills lost/duplicates/wrong/je_forced/submissions/twins/queue_empty.
void VerifyAll(const ChaosCluster& cluster, const Workload& workload,
               const std::map<std::string, int>& rogue_landed, Figures& f);

}  // namespace noj::chaos

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

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chaos/chaos_cluster.h"
#include "chaos/workload.h"
#include "integration/http_client.h"

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
  // Durability (chaos/durability.h): SIGKILLs of nojd after which every 2xx seen before the kill
  // was looked up in the store (SQLite: each one of the fault phase, and one mid-drain).
  int ack_checks = 0;
  int acks_created = 0, acks_completed = 0;  // 201s and 204s covered by the last check
  int acks_lost = 0;                         // a 2xx missing after a restart: must stay 0
  int kills_mid_drain = 0;
  int64_t queued_at_drain_kill = -1;  // jobs pending or leased when nojd was killed mid-drain
  double wall_s = 0;
  std::vector<std::string> problems;  // one line per finding, for the test's failure message
  // The log lines (nojd's and the runners') of each submission that was wrong or needed
  // kHistoryAttempts attempts or more: what happened to each attempt.
  std::vector<std::string> histories;

  std::string SummaryLine() const;
  std::string AttemptsHistogram() const;  // "1:250,2:40,…"
};

// GET `path` (retried while nojd is down or answers 5xx): the body if it is a 200 JSON object.
std::optional<boost::json::object> GetObject(testing::HttpClient& http, const std::string& auth,
                                             const std::string& path, int* status = nullptr);

// Every submission id the store lists for the workload's problems; `problem` hears of a page
// that could not be read.
std::set<std::string> ListSubmissions(const ChaosCluster& cluster, const Workload& workload,
                                      const std::function<void(const std::string&)>& problem);

// 204s the clients got per submission: the runners' logs ("event=result_sent … outcome=landed",
// matched to the submission by their "event=job_claimed") plus the rogue's `rogue_landed`.
std::map<std::string, int> ClientLanded(const ChaosCluster& cluster,
                                        const std::map<std::string, int>& rogue_landed);

// Polls GET /queue (and restarts runners that exited on FAKE:CRASH) until nothing is pending or
// leased, or `timeout_s` passes. Returns whether it emptied.
bool WaitForQuiet(ChaosCluster& cluster, int timeout_s, Figures& f);

// Every check above; fills lost/duplicates/wrong/je_forced/submissions/twins/queue_empty.
void VerifyAll(const ChaosCluster& cluster, const Workload& workload,
               const std::map<std::string, int>& rogue_landed, Figures& f);

}  // namespace noj::chaos

#pragma once
// Misbehaving runners over raw HTTP (the protocol of protocol.md §2, no noj-runner code paths):
//   - one that claims and never reports (its job must come back after the server's lease TTL);
//   - one that reports twice (the second report must be refused: 404/409, never a second landing);
//   - a zombie that reports after its lease was reclaimed (409/404, and it must not land);
//   - one whose clock is off: every request carries a Date header a day ahead and heartbeat bodies
//     with skewed time fields; the server must go by its own clock only.
// Results are made with the fake judge's own rules (correct ones, or deliberately wrong ones).

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "api/job_payload.h"
#include "chaos/chaos_cluster.h"
#include "chaos/workload.h"
#include "integration/http_client.h"

namespace noj::chaos {

// One raw runner identity.
class RawRunner {
 public:
  RawRunner(std::string base_url, std::string registration_token, std::string name);

  bool Register();  // false if nojd did not answer 201
  // GET next-job; nullopt on 204 or any failure (`status` tells which).
  std::optional<api::JobPayload> Claim(int wait_s, int* status = nullptr);
  int Heartbeat(const std::vector<std::string>& job_ids, const std::vector<std::string>& headers,
                const std::string& extra_fields = "");
  // PUT complete; `attempt` < 0 sends no X-Job-Attempt header. Returns the HTTP status (0: none).
  int Complete(const std::string& job_id, int attempt, const std::string& body,
               const std::vector<std::string>& headers = {});
  // The same, retried while nojd is down or busy (0 / 5xx) until `timeout`.
  int CompleteDefinitely(const std::string& job_id, int attempt, const std::string& body,
                         std::chrono::milliseconds timeout);
  // The source text behind the payload's code_url; nullopt if it cannot be had.
  std::optional<std::string> FetchSource(const api::JobPayload& job);

  const std::string& id() const { return id_; }

 private:
  std::string base_url_, registration_token_, name_;
  testing::HttpClient http_;
  std::string id_, token_;
};

// The complete body the fake judge would send for `source` (nullopt for FAIL/CRASH code).
std::optional<std::string> CorrectBody(const api::JobPayload& job, const std::string& source,
                                       const std::string& label);
// A well-formed body with another verdict and another source hash: landing it would be "wrong".
std::string WrongBody(const api::JobPayload& job, const std::string& source,
                      const std::string& label);

// A Date header `offset` away from now (RFC 7231 form).
std::string SkewedDateHeader(std::chrono::seconds offset);

// The strict hostile scenarios, run on a quiet cluster (nojd up, no real runner yet): claims four
// jobs (never-report, zombie, double-report, skewed clock) and checks the server's answers and
// lease timing with gtest assertions. The targets are added to `workload` and judged at the end.
void RunHostilePrelude(const ChaosCluster& cluster, Workload& workload);

// The rogue runner of the fault phase: claims now and then and misbehaves in turn (drop, double
// report, zombie report, skewed heartbeats), while nojd, runners and Redis are being killed. It
// misbehaves once per submission: a dropped lease makes the job the oldest orphan, which the
// rogue's own next claim would take again and again until the attempts ran out — a JE the harness,
// not the code, would have caused. A second claim of the same submission is reported correctly.
class Rogue {
 public:
  Rogue(const ChaosCluster& cluster, std::chrono::milliseconds period)
      : cluster_(cluster), period_(period) {}
  void Run(std::stop_token stop);

  struct Stats {
    int claims = 0, dropped = 0, doubles = 0, zombies = 0, skewed = 0;
    int polite = 0;  // second claims of a submission, reported correctly (see Run)
    int second_reports_refused = 0, zombie_reports_refused = 0;
    int second_reports_landed = 0, zombie_reports_landed = 0;  // must stay 0
  };
  Stats stats() const;
  // 204s the rogue got per submission (a landing each).
  std::map<std::string, int> Landed() const;

 private:
  void Misbehave(RawRunner& r, const api::JobPayload& job, int turn, std::stop_token stop);

  const ChaosCluster& cluster_;
  std::chrono::milliseconds period_;
  mutable std::mutex mu_;
  Stats stats_;
  std::map<std::string, int> landed_;
  std::set<std::string> misbehaved_on_;  // submissions (Run's thread only)
};

}  // namespace noj::chaos

#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>

#include "api/job_payload.h"
#include "chaos/chaos_cluster.h"
#include "chaos/raw_runner.h"

namespace noj::chaos {

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

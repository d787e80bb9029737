#pragma once
// noj-runner's Prometheus metrics, served by `--metrics-listen HOST:PORT` at /metrics
// (docs/operations.md lists them). Every component takes a `RunnerMetrics*` that may be null
// (no metrics); recording never blocks a job on the scraper.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/verdict.h"
#include "common/status.h"

namespace noj::runner {

class RunnerMetrics {
 public:
  RunnerMetrics();
  ~RunnerMetrics();
  RunnerMetrics(const RunnerMetrics&) = delete;
  RunnerMetrics& operator=(const RunnerMetrics&) = delete;

  // Serves /metrics on `listen` ("127.0.0.1:9464"; port 0 picks one). kInvalidArgument when the
  // address cannot be bound.
  Status Listen(const std::string& listen);
  int port() const;  // the bound port, 0 before Listen

  void JobStarted();
  void JobFinished();  // whatever the outcome
  // A judged job's verdict, as sent to the server.
  void JobDone(api::Verdict verdict);
  void CompileSeconds(double seconds);
  void RunSeconds(double seconds);  // one case's CPU time as the sandbox measured it
  void TestdataCache(bool hit);
  // The compile cache (compile_cache.h): an event ("hit", "miss", "evicted", "corrupted") and
  // the size of its entries.
  void CompileCacheEvent(std::string_view event);
  void CompileCacheBytes(uint64_t bytes);
  void SendRetry();
  // A case run again because its CPU time was within 5 % of its limit (stable_run.h), and a
  // case whose verdict the re-runs changed.
  void CaseRerun();
  void RerunChangedVerdict();
  // The runner's own speed measured at start (speed_score.h).
  void SpeedScore(double score);
  // The sandbox's protections line (`noj-sandbox --probe`); its tier becomes a label.
  void SandboxProtections(std::string_view protections);

  // The exposition text (also what /metrics serves); for tests.
  std::string Render() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace noj::runner

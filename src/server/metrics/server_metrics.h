#pragma once
// nojd's Prometheus metrics (served at GET /metrics, docs/operations.md lists them).
//
// Two kinds of figures:
// - events this node saw (claims, results landed, stale results, 409s, HTTP requests, latencies):
//   counters and histograms of this process, to be summed across nodes;
// - the queue's truth (pending per priority, leased, oldest pending age, reclaims, Judge Errors,
//   runners): read from the store at scrape time, so every node on one Redis reports the same
//   value (aggregate those with max, not sum).
// Thread-safe; recording costs a hash lookup and an atomic add, never a store round trip.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/verdict.h"
#include "server/queue_classes.h"
#include "store/records.h"

namespace noj::server {

// What a scrape reads from the store.
struct StoreSnapshot {
  bool ok = false;  // false: the store did not answer; store-derived figures are left out
  store::QueueStats queue;
  int64_t now_ms = 0;
  int64_t runners_registered = 0;
  int64_t runners_alive = 0;
  std::vector<ClassView> classes;  // the queue per requirement class (judging.md §5)
};

class ServerMetrics {
 public:
  ServerMetrics();
  ~ServerMetrics();
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // A job leased to a runner. `queued_ms`: enqueue → claim, observed for first attempts only (a
  // reclaim's wait includes its earlier attempts).
  void OnClaim(bool reclaimed, int attempt, int64_t queued_ms);
  // A result landed (a runner's verdict, JE included). `judge_ms`: enqueue → landed, when known.
  void OnLanded(api::Verdict verdict, int attempt, int64_t judge_ms);
  // Submissions the server converged to JE after `attempts` executions (claim, reaper, abort).
  void OnExhausted(size_t submissions, int attempts);
  // A result of a job superseded by a rejudge: dropped (204).
  void OnStaleDropped();
  // A complete/abort refused with 409: the runner does not hold the lease (or an old attempt).
  void OnLeaseConflict(std::string_view endpoint);
  // One answered HTTP request; `route` is the matched pattern (bounded label set).
  void OnHttp(std::string_view method, std::string_view route, int status, double seconds);

  // The Prometheus text exposition (format 0.0.4).
  std::string Render(const StoreSnapshot& snapshot);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace noj::server

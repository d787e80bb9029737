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
#include <optional>
#include <string>
#include <string_view>

#include "api/verdict.h"
#include "callbacks/callback_stats.h"
#include "dispatch/broadcast.h"
#include "dispatch/events.h"
#include "server/queue_classes.h"
#include "server/store_health.h"
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
  // The speed each registered runner measured at start (those that reported one), so that a
  // slow judge machine shows: noj_runner_speed_score{runner, name}.
  struct RunnerSpeed {
    std::string runner_id;
    std::string name;
    double score = 0;
  };
  std::vector<RunnerSpeed> runner_speeds;
  // The background probe's answer (StoreHealth), shown as noj_store_up; unset (no probe runs):
  // `ok` is shown instead.
  std::optional<bool> up;
  // The callback outbox (docs/callbacks.md); unset when the store did not answer.
  std::optional<store::DeliveryStats> deliveries;
  store::StoreCounters counters;  // Store::Counters(): in memory, always read
  dispatch::RelayCounters relay;  // the broadcast's relay to other nodes (Redis notifier)
};

// The dispatcher's EventSink: its domain events are counted here (Count), by the same Emit() that
// logs them.
class ServerMetrics final : public dispatch::EventSink {
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
  // Submissions this node gave JE, by reason (dispatch::JeReason); `attempts` observed when > 0.
  void OnJudgeError(dispatch::JeReason reason, int attempts);
  // A result of a job superseded by a rejudge: dropped (204).
  void OnStaleDropped();
  // A complete/abort refused with 409: the runner does not hold the lease (or an old attempt).
  void OnLeaseConflict(std::string_view endpoint);
  // A domain event of the dispatcher (dispatch/events.h): claims, results, JEs, stale results,
  // lease conflicts; the others are not counted.
  void Count(const dispatch::Event& event) override;

  // One answered HTTP request; `route` is the matched pattern (bounded label set).
  void OnHttp(std::string_view method, std::string_view route, int status, double seconds);

  // Store work refused by the HTTP layer: it missed its deadline (503 or the route's fallback), or
  // the executor's queue was full.
  void OnStoreDeadlineExceeded();
  void OnStoreQueueFull();
  // The store executor's load, after each change.
  void SetStoreExecutorLoad(size_t queued, int busy);

  // What this node knows of its store without asking it (filled by a StoreProbe).
  StoreHealth& store_health();

  // This node's callback deliverer, rendered at each scrape; null (the default): none runs here.
  // `stats` must outlive this object or be reset to null first.
  void SetCallbackStats(const callbacks::CallbackStats* stats);

  // The Prometheus text exposition (format 0.0.4).
  std::string Render(const StoreSnapshot& snapshot);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace noj::server

#include "server/metrics/server_metrics.h"

#include "server/metrics/callback_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>

namespace noj::server {
namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

// Latencies in seconds. HTTP includes long-polls parked up to 30 s, hence the long tail.
const Histogram::BucketBoundaries kHttpBuckets = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
const Histogram::BucketBoundaries kQueueBuckets = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1,
                                                   2.5,   5,     10,   30,   60,  300, 900};
const Histogram::BucketBoundaries kJudgeBuckets = {0.05, 0.1, 0.25, 0.5, 1,   2.5, 5,
                                                   10,   30,  60,   120, 300, 900};
const Histogram::BucketBoundaries kAttemptBuckets = {1, 2, 3, 4, 5, 10};

}  // namespace

struct ServerMetrics::Impl {
  prometheus::Registry registry;

  Family<Counter>& claims = prometheus::BuildCounter()
                                .Name("noj_claims_total")
                                .Help(
                                    "Jobs leased to runners by this node, by kind (fresh or "
                                    "reclaimed after a lease expired)")
                                .Register(registry);
  Family<Histogram>& queue_latency =
      prometheus::BuildHistogram()
          .Name("noj_queue_latency_seconds")
          .Help("Enqueue to first claim, seconds (this node's claims)")
          .Register(registry);
  Family<Histogram>& judge_latency = prometheus::BuildHistogram()
                                         .Name("noj_judge_latency_seconds")
                                         .Help(
                                             "Enqueue to result landed, seconds (results landed "
                                             "on this node)")
                                         .Register(registry);
  Family<Histogram>& attempts = prometheus::BuildHistogram()
                                    .Name("noj_job_attempts")
                                    .Help(
                                        "Executions a job took when its result landed or it was "
                                        "given JE")
                                    .Register(registry);
  Family<Counter>& landed = prometheus::BuildCounter()
                                .Name("noj_results_landed_total")
                                .Help("Results landed through this node, by verdict")
                                .Register(registry);
  Family<Counter>& exhausted = prometheus::BuildCounter()
                                   .Name("noj_exhausted_total")
                                   .Help(
                                       "Submissions this node converged to JE at the maximum "
                                       "number of attempts")
                                   .Register(registry);
  Family<Counter>& judge_errors_by_reason = prometheus::BuildCounter()
                                                .Name("noj_judge_errors_given_total")
                                                .Help(
                                                    "Submissions this node gave JE, by reason "
                                                    "(exhausted, abort_at_max_attempts, corrupt, "
                                                    "problem_missing)")
                                                .Register(registry);
  Family<Counter>& stale = prometheus::BuildCounter()
                               .Name("noj_stale_results_dropped_total")
                               .Help("Results of jobs superseded by a rejudge, dropped (204)")
                               .Register(registry);
  Family<Counter>& conflicts = prometheus::BuildCounter()
                                   .Name("noj_lease_conflicts_total")
                                   .Help(
                                       "complete/abort refused with 409: lease not held or an "
                                       "older attempt")
                                   .Register(registry);
  Family<Counter>& http_requests = prometheus::BuildCounter()
                                       .Name("noj_http_requests_total")
                                       .Help("HTTP requests answered, by method, route and status")
                                       .Register(registry);
  Family<Histogram>& http_latency = prometheus::BuildHistogram()
                                        .Name("noj_http_request_duration_seconds")
                                        .Help(
                                            "Request read to response written, seconds "
                                            "(long-polls include their wait)")
                                        .Register(registry);

  // From the store, identical on every node.
  Family<Gauge>& pending = prometheus::BuildGauge()
                               .Name("noj_jobs_pending")
                               .Help("Jobs waiting to be claimed, by priority (store)")
                               .Register(registry);
  Family<Gauge>& leased = prometheus::BuildGauge()
                              .Name("noj_jobs_leased")
                              .Help("Jobs leased to runners (store)")
                              .Register(registry);
  Family<Gauge>& oldest = prometheus::BuildGauge()
                              .Name("noj_oldest_pending_age_seconds")
                              .Help("Age of the oldest pending job, 0 when none (store)")
                              .Register(registry);
  Family<Counter>& reclaims = prometheus::BuildCounter()
                                  .Name("noj_reclaims_total")
                                  .Help("Orphaned jobs reclaimed after a lease expired (store)")
                                  .Register(registry);
  Family<Counter>& judge_errors = prometheus::BuildCounter()
                                      .Name("noj_judge_errors_total")
                                      .Help(
                                          "Submissions converged to JE at the maximum number of "
                                          "attempts (store)")
                                      .Register(registry);
  Family<Gauge>& runners = prometheus::BuildGauge()
                               .Name("noj_runners")
                               .Help(
                                   "Runner identities, by state: registered (not expired) or "
                                   "alive (heard from within two heartbeat intervals) (store)")
                               .Register(registry);
  // Per requirement class with pending jobs (judging.md §5); a class's series go when it empties.
  Family<Gauge>& class_pending = prometheus::BuildGauge()
                                     .Name("noj_class_jobs_pending")
                                     .Help(
                                         "Jobs waiting to be claimed, by requirement class "
                                         "(language and features) (store)")
                                     .Register(registry);
  Family<Gauge>& class_oldest = prometheus::BuildGauge()
                                    .Name("noj_class_oldest_pending_age_seconds")
                                    .Help(
                                        "Age of the oldest pending job of a requirement class "
                                        "(store)")
                                    .Register(registry);
  Family<Gauge>& class_runners = prometheus::BuildGauge()
                                     .Name("noj_class_runners_able")
                                     .Help(
                                         "Alive runners that can take the jobs of a requirement "
                                         "class; 0 means they wait for one (store)")
                                     .Register(registry);
  Family<Gauge>& runner_speed = prometheus::BuildGauge()
                                    .Name("noj_runner_speed_score")
                                    .Help(
                                        "Speed each registered runner measured at start, 1.0 = "
                                        "the reference machine (docs/runner.md) (store)")
                                    .Register(registry);
  Family<Gauge>& store_up = prometheus::BuildGauge()
                                .Name("noj_store_up")
                                .Help(
                                    "1 when the store answers: the background probe's last "
                                    "answer, as /healthz reports it")
                                .Register(registry);
  // The store executor (src/server/http/store_executor.h) and what it refused.
  Family<Gauge>& executor_queued = prometheus::BuildGauge()
                                       .Name("noj_store_executor_queued")
                                       .Help("Store calls waiting for an executor thread")
                                       .Register(registry);
  Family<Gauge>& executor_busy = prometheus::BuildGauge()
                                     .Name("noj_store_executor_busy")
                                     .Help("Executor threads running a store call")
                                     .Register(registry);
  Family<Counter>& deadline_exceeded = prometheus::BuildCounter()
                                           .Name("noj_store_deadline_exceeded_total")
                                           .Help(
                                               "Requests answered without their store call "
                                               "(503) because it missed its deadline")
                                           .Register(registry);
  Family<Counter>& queue_full = prometheus::BuildCounter()
                                    .Name("noj_store_queue_full_total")
                                    .Help(
                                        "Requests answered 503 at once because the store "
                                        "executor's queue was full")
                                    .Register(registry);
  // Store::Counters() of this node's store client (the benches read round trips here).
  Family<Counter>& store_transitions = prometheus::BuildCounter()
                                           .Name("noj_store_transitions_total")
                                           .Help("Write transitions run by this node's store")
                                           .Register(registry);
  Family<Counter>& store_commits = prometheus::BuildCounter()
                                       .Name("noj_store_commits_total")
                                       .Help(
                                           "SQLite transactions committed (transitions / commits "
                                           "= mean group-commit batch)")
                                       .Register(registry);
  Family<Counter>& store_round_trips = prometheus::BuildCounter()
                                           .Name("noj_store_round_trips_total")
                                           .Help("Redis network round trips of this node")
                                           .Register(registry);
  Family<Counter>& store_commands = prometheus::BuildCounter()
                                        .Name("noj_store_commands_total")
                                        .Help("Redis commands those round trips carried")
                                        .Register(registry);

  Counter& claims_fresh = claims.Add({{"kind", "fresh"}});
  Counter& claims_reclaimed = claims.Add({{"kind", "reclaimed"}});
  Histogram& queue_seconds = queue_latency.Add({}, kQueueBuckets);
  Histogram& judge_seconds = judge_latency.Add({}, kJudgeBuckets);
  Histogram& attempts_hist = attempts.Add({}, kAttemptBuckets);
  Counter& exhausted_count = exhausted.Add({});
  Counter& stale_count = stale.Add({});
  Counter& reclaims_count = reclaims.Add({});
  Counter& judge_errors_count = judge_errors.Add({});
  Gauge& executor_queued_gauge = executor_queued.Add({});
  Gauge& executor_busy_gauge = executor_busy.Add({});
  Counter& deadline_exceeded_count = deadline_exceeded.Add({});
  Counter& queue_full_count = queue_full.Add({});
  Counter& transitions_count = store_transitions.Add({});
  Counter& commits_count = store_commits.Add({});
  Counter& round_trips_count = store_round_trips.Add({});
  Family<Counter>& notifier_round_trips = prometheus::BuildCounter()
                                              .Name("noj_notifier_round_trips_total")
                                              .Help(
                                                  "Redis round trips of this node's wake-up "
                                                  "publisher (several nodes on one Redis)")
                                              .Register(registry);
  Family<Counter>& notifier_commands = prometheus::BuildCounter()
                                           .Name("noj_notifier_commands_total")
                                           .Help("PUBLISH commands those round trips carried")
                                           .Register(registry);
  Counter& notifier_round_trips_count = notifier_round_trips.Add({});
  Counter& notifier_commands_count = notifier_commands.Add({});
  Counter& commands_count = store_commands.Add({});
  StoreHealth store_health;

  std::mutex scrape_mu;  // store-derived counters advance by deltas, one scrape at a time
  // The per-class series of the last scrape, by class key (guarded by scrape_mu).
  struct ClassGauges {
    Gauge* pending;
    Gauge* oldest;
    Gauge* runners;
  };
  std::map<std::string, ClassGauges> class_gauges;
  std::map<std::string, Gauge*> speed_gauges;  // by runner id (guarded by scrape_mu)

  // Sets the per-runner speed series to `speeds`, removing those of runners gone since.
  void SetRunnerSpeeds(const std::vector<StoreSnapshot::RunnerSpeed>& speeds) {
    std::map<std::string, Gauge*> now;
    for (const StoreSnapshot::RunnerSpeed& r : speeds) {
      Gauge* g = &runner_speed.Add({{"runner", r.runner_id}, {"name", r.name}});
      g->Set(r.score);
      now.emplace(r.runner_id, g);
    }
    for (const auto& [id, g] : speed_gauges)
      if (now.count(id) == 0) runner_speed.Remove(g);
    speed_gauges = std::move(now);
  }

  // Sets the per-class series to `classes`, removing those of classes no longer listed.
  void SetClasses(const std::vector<ClassView>& classes) {
    std::map<std::string, ClassGauges> now;
    for (const ClassView& c : classes) {
      prometheus::Labels labels{{"class", c.key}, {"label", c.label}};
      ClassGauges g{&class_pending.Add(labels), &class_oldest.Add(labels),
                    &class_runners.Add(labels)};
      g.pending->Set(static_cast<double>(c.pending));
      g.oldest->Set(static_cast<double>(c.oldest_pending_age_ms) / 1000.0);
      g.runners->Set(static_cast<double>(c.runners_able));
      now.emplace(c.key, g);
    }
    for (const auto& [key, g] : class_gauges) {
      if (now.count(key) != 0) continue;
      class_pending.Remove(g.pending);
      class_oldest.Remove(g.oldest);
      class_runners.Remove(g.runners);
    }
    class_gauges = std::move(now);
  }

  Impl() {
    // Every verdict and both 409 endpoints from the start, so rates work before the first event.
    for (api::Verdict v :
         {api::Verdict::kAC, api::Verdict::kWA, api::Verdict::kCE, api::Verdict::kTLE,
          api::Verdict::kMLE, api::Verdict::kRE, api::Verdict::kJE, api::Verdict::kOLE})
      landed.Add({{"verdict", std::string(api::VerdictName(v))}});
    conflicts.Add({{"endpoint", "complete"}});
    conflicts.Add({{"endpoint", "abort"}});
  }

  CallbackMetrics callbacks{registry};
  std::atomic<const callbacks::CallbackStats*> callback_stats{nullptr};

  // A counter whose truth lives in the store follows it upward; a smaller store figure (a new
  // store) is not a decrease a counter could show, so it is ignored.
  static void Follow(Counter& c, int64_t store_total) {
    double delta = static_cast<double>(store_total) - c.Value();
    if (delta > 0) c.Increment(delta);
  }
};

ServerMetrics::ServerMetrics() : impl_(std::make_unique<Impl>()) {}
ServerMetrics::~ServerMetrics() = default;

void ServerMetrics::OnClaim(bool reclaimed, int attempt, int64_t queued_ms) {
  (reclaimed ? impl_->claims_reclaimed : impl_->claims_fresh).Increment();
  if (!reclaimed && attempt == 1 && queued_ms >= 0)
    impl_->queue_seconds.Observe(static_cast<double>(queued_ms) / 1000.0);
}

void ServerMetrics::OnLanded(api::Verdict verdict, int attempt, int64_t judge_ms) {
  impl_->landed.Add({{"verdict", std::string(api::VerdictName(verdict))}}).Increment();
  if (attempt > 0) impl_->attempts_hist.Observe(attempt);
  if (judge_ms >= 0) impl_->judge_seconds.Observe(static_cast<double>(judge_ms) / 1000.0);
}

void ServerMetrics::OnExhausted(size_t submissions, int attempts) {
  if (submissions == 0) return;
  impl_->exhausted_count.Increment(static_cast<double>(submissions));
  for (size_t i = 0; i < submissions; ++i) impl_->attempts_hist.Observe(attempts);
}

void ServerMetrics::OnStoreDeadlineExceeded() { impl_->deadline_exceeded_count.Increment(); }

void ServerMetrics::OnStoreQueueFull() { impl_->queue_full_count.Increment(); }

void ServerMetrics::SetStoreExecutorLoad(size_t queued, int busy) {
  impl_->executor_queued_gauge.Set(static_cast<double>(queued));
  impl_->executor_busy_gauge.Set(static_cast<double>(busy));
}

StoreHealth& ServerMetrics::store_health() { return impl_->store_health; }

void ServerMetrics::SetCallbackStats(const callbacks::CallbackStats* stats) {
  impl_->callback_stats.store(stats);
}

void ServerMetrics::OnJudgeError(dispatch::JeReason reason, int attempts) {
  impl_->judge_errors_by_reason.Add({{"reason", std::string(dispatch::JeReasonName(reason))}})
      .Increment();
  // noj_exhausted_total keeps its meaning: JE at the maximum number of attempts only.
  if (reason == dispatch::JeReason::kExhausted || reason == dispatch::JeReason::kAbortAtMaxAttempts)
    impl_->exhausted_count.Increment();
  if (attempts > 0) impl_->attempts_hist.Observe(attempts);
}

void ServerMetrics::Count(const dispatch::Event& e) {
  using dispatch::EventKind;
  switch (e.kind) {
    case EventKind::kClaimed:
    case EventKind::kReclaimed:
      OnClaim(e.kind == EventKind::kReclaimed, e.attempt, e.latency_ms);
      return;
    case EventKind::kLanded:
      OnLanded(e.verdict, e.attempt, e.latency_ms);
      return;
    case EventKind::kJudgeError:
      OnJudgeError(e.je_reason, e.attempt);
      return;
    case EventKind::kStaleResultDropped:
      OnStaleDropped();
      return;
    case EventKind::kLeaseConflict:
      OnLeaseConflict(dispatch::EndpointName(e.endpoint));
      return;
    default:
      return;  // logged only
  }
}

void ServerMetrics::OnStaleDropped() { impl_->stale_count.Increment(); }

void ServerMetrics::OnLeaseConflict(std::string_view endpoint) {
  impl_->conflicts.Add({{"endpoint", std::string(endpoint)}}).Increment();
}

void ServerMetrics::OnHttp(std::string_view method, std::string_view route, int status,
                           double seconds) {
  prometheus::Labels labels{{"method", std::string(method)},
                            {"route", std::string(route)},
                            {"status", std::to_string(status)}};
  impl_->http_requests.Add(labels).Increment();
  impl_->http_latency.Add(labels, kHttpBuckets).Observe(seconds);
}

std::string ServerMetrics::Render(const StoreSnapshot& snap) {
  {
    std::lock_guard lock(impl_->scrape_mu);
    impl_->store_up.Add({}).Set(snap.up.value_or(snap.ok) ? 1 : 0);
    Impl::Follow(impl_->transitions_count, snap.counters.transitions);
    Impl::Follow(impl_->commits_count, snap.counters.commits);
    Impl::Follow(impl_->round_trips_count, snap.counters.round_trips);
    Impl::Follow(impl_->commands_count, snap.counters.commands);
    Impl::Follow(impl_->notifier_round_trips_count, snap.relay.round_trips);
    Impl::Follow(impl_->notifier_commands_count, snap.relay.commands);
    if (snap.ok) {
      const store::QueueStats& q = snap.queue;
      for (int p = 0; p < 3; ++p)
        impl_->pending.Add({{"priority", std::to_string(p)}})
            .Set(static_cast<double>(q.pending[p]));
      impl_->leased.Add({}).Set(static_cast<double>(q.leased));
      double age = q.oldest_pending_enqueued_at > 0
                       ? static_cast<double>(
                             std::max<int64_t>(0, snap.now_ms - q.oldest_pending_enqueued_at)) /
                             1000.0
                       : 0.0;
      impl_->oldest.Add({}).Set(age);
      Impl::Follow(impl_->reclaims_count, q.reclaimed_total);
      Impl::Follow(impl_->judge_errors_count, q.judge_error_total);
      impl_->runners.Add({{"state", "registered"}})
          .Set(static_cast<double>(snap.runners_registered));
      impl_->runners.Add({{"state", "alive"}}).Set(static_cast<double>(snap.runners_alive));
      impl_->SetClasses(snap.classes);
      impl_->SetRunnerSpeeds(snap.runner_speeds);
    }
    impl_->callbacks.Update(snap.deliveries, snap.now_ms, impl_->callback_stats.load());
  }
  return prometheus::TextSerializer().Serialize(impl_->registry.Collect());
}

}  // namespace noj::server

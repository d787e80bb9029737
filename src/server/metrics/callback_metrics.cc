#include "server/metrics/callback_metrics.h"

#include <algorithm>
#include <vector>

namespace noj::server {
namespace {

using prometheus::Counter;
using prometheus::Gauge;
using prometheus::Histogram;

Histogram::BucketBoundaries LatencyBoundaries() {
  Histogram::BucketBoundaries b;
  for (int64_t ms : callbacks::CallbackStats::kLatencyBucketsMs)
    b.push_back(static_cast<double>(ms) / 1000.0);
  return b;
}

// A counter that follows a total kept elsewhere (never goes back: a total that shrank, e.g. a new
// store, is left where it was).
void Follow(Counter& c, int64_t total) {
  double delta = static_cast<double>(total) - c.Value();
  if (delta > 0) c.Increment(delta);
}

}  // namespace

CallbackMetrics::CallbackMetrics(prometheus::Registry& registry)
    : outbox_(prometheus::BuildGauge()
                  .Name("noj_callbacks_outbox")
                  .Help("Result callbacks in the outbox by state: pending (leased included), "
                        "leased (a POST in flight), dead (store)")
                  .Register(registry)),
      oldest_(prometheus::BuildGauge()
                  .Name("noj_callbacks_oldest_pending_age_seconds")
                  .Help("Age of the oldest pending result callback, from its landing (store)")
                  .Register(registry)
                  .Add({})),
      left_(prometheus::BuildCounter()
                .Name("noj_callbacks_outbox_left_total")
                .Help("Result callbacks that left the outbox, by how: delivered (2xx) or "
                      "superseded (the submission was rejudged first) (store)")
                .Register(registry)),
      outcomes_(prometheus::BuildCounter()
                    .Name("noj_callback_attempts_total")
                    .Help("Result-callback outcomes on this node: delivered, retry (failed, "
                          "tried again later), dead, superseded, postponed (its target at its "
                          "in-flight cap), lost_lease (another node took it over)")
                    .Register(registry)),
      in_flight_(prometheus::BuildGauge()
                     .Name("noj_callbacks_in_flight")
                     .Help("Result-callback POSTs running on this node")
                     .Register(registry)
                     .Add({})),
      latency_(prometheus::BuildHistogram()
                   .Name("noj_callback_delivery_latency_seconds")
                   .Help("From a result's landing to its receiver's 2xx, retries included "
                         "(this node's deliveries)")
                   .Register(registry)
                   .Add({}, LatencyBoundaries())) {}

void CallbackMetrics::Update(const std::optional<store::DeliveryStats>& outbox, int64_t now_ms,
                             const callbacks::CallbackStats* node) {
  if (outbox) {
    outbox_.Add({{"state", "pending"}}).Set(static_cast<double>(outbox->pending));
    outbox_.Add({{"state", "leased"}}).Set(static_cast<double>(outbox->leased));
    outbox_.Add({{"state", "dead"}}).Set(static_cast<double>(outbox->dead));
    oldest_.Set(outbox->oldest_pending_created_at > 0
                    ? static_cast<double>(
                          std::max<int64_t>(0, now_ms - outbox->oldest_pending_created_at)) /
                          1000.0
                    : 0.0);
    Follow(left_.Add({{"how", "delivered"}}), outbox->delivered_total);
    Follow(left_.Add({{"how", "superseded"}}), outbox->superseded_total);
  }
  if (node == nullptr) return;
  Follow(outcomes_.Add({{"outcome", "delivered"}}), node->delivered.load());
  Follow(outcomes_.Add({{"outcome", "retry"}}), node->retries.load());
  Follow(outcomes_.Add({{"outcome", "dead"}}), node->dead.load());
  Follow(outcomes_.Add({{"outcome", "superseded"}}), node->superseded.load());
  Follow(outcomes_.Add({{"outcome", "postponed"}}), node->postponed.load());
  Follow(outcomes_.Add({{"outcome", "lost_lease"}}), node->lost_leases.load());
  in_flight_.Set(static_cast<double>(node->in_flight.load()));
  std::vector<double> increments(seen_buckets_.size(), 0.0);
  bool any = false;
  for (size_t i = 0; i < seen_buckets_.size(); ++i) {
    const int64_t now = node->latency_buckets[i].load();
    if (now > seen_buckets_[i]) {
      increments[i] = static_cast<double>(now - seen_buckets_[i]);
      seen_buckets_[i] = now;
      any = true;
    }
  }
  const int64_t sum_ms = node->latency_sum_ms.load();
  if (any)
    latency_.ObserveMultiple(increments, static_cast<double>(sum_ms - seen_sum_ms_) / 1000.0);
  seen_sum_ms_ = sum_ms;
}

}  // namespace noj::server

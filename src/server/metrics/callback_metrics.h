#pragma once
// Result-callback figures on /metrics (docs/callbacks.md, docs/operations.md lists them):
// - the outbox's truth, read from the store at scrape time — pending, leased, dead, the oldest
//   pending delivery's age, and what left it (delivered, superseded) — the same on every node;
// - this node's deliverer (callbacks::CallbackStats): deliveries, retries, dead, superseded,
//   postponed, in flight, and the latency from landing to the receiver's 2xx — sum across nodes.
//
// Not thread-safe on its own: ServerMetrics::Render calls Update under its scrape lock.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <cstdint>
#include <optional>

#include "callbacks/callback_stats.h"
#include "store/records.h"

namespace noj::server {

class CallbackMetrics {
 public:
  explicit CallbackMetrics(prometheus::Registry& registry);

  // `outbox`: unset when the store did not answer (the last values stay); `node`: null when this
  // process delivers nothing (tests, the fuzz harness).
  void Update(const std::optional<store::DeliveryStats>& outbox, int64_t now_ms,
              const callbacks::CallbackStats* node);

 private:
  prometheus::Family<prometheus::Gauge>& outbox_;
  prometheus::Gauge& oldest_;
  prometheus::Family<prometheus::Counter>& left_;  // noj_callbacks_outbox_left_total{how}
  prometheus::Family<prometheus::Counter>& outcomes_;
  prometheus::Gauge& in_flight_;
  prometheus::Histogram& latency_;
  // What the histogram has been given so far (CallbackStats keeps totals).
  std::array<int64_t, callbacks::CallbackStats::kLatencyBucketsMs.size() + 1> seen_buckets_{};
  int64_t seen_sum_ms_ = 0;
};

}  // namespace noj::server

#pragma once
// Counters of the result-callback deliverer for /metrics and the status page (this node's
// figures; the outbox's own — pending, dead, oldest — come from Store::GetDeliveryStats).
//
// Thread safety: every member is an atomic; read and written from any thread.

#include <array>
#include <atomic>
#include <cstdint>

namespace noj::callbacks {

class CallbackStats {
 public:
  // Upper bounds (ms) of the landing -> 2xx latency buckets; the last bucket is +Inf.
  static constexpr std::array<int64_t, 12> kLatencyBucketsMs = {
      5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10'000, 60'000, 600'000};

  std::atomic<int64_t> delivered{0};    // 2xx
  std::atomic<int64_t> retries{0};      // failed attempts that will be tried again
  std::atomic<int64_t> dead{0};         // given up (410, max age, submission gone)
  std::atomic<int64_t> superseded{0};   // not sent: the submission was rejudged
  std::atomic<int64_t> postponed{0};    // not tried: its target was at its in-flight cap
  std::atomic<int64_t> in_flight{0};    // POSTs running now
  std::atomic<int64_t> lost_leases{0};  // finished after another node took the delivery over

  // Delivery latency, from the landing (created_at) to the 2xx: cumulative-free bucket counts
  // (bucket i counts latencies <= kLatencyBucketsMs[i] and > the previous bound), plus sum.
  std::array<std::atomic<int64_t>, kLatencyBucketsMs.size() + 1> latency_buckets{};
  std::atomic<int64_t> latency_sum_ms{0};
  std::atomic<int64_t> latency_count{0};

  void ObserveLatency(int64_t ms);
};

}  // namespace noj::callbacks

#include "callbacks/callback_stats.h"

#include <algorithm>

namespace noj::callbacks {

void CallbackStats::ObserveLatency(int64_t ms) {
  ms = std::max<int64_t>(0, ms);
  size_t i = 0;
  while (i < kLatencyBucketsMs.size() && ms > kLatencyBucketsMs[i]) ++i;
  latency_buckets[i].fetch_add(1, std::memory_order_relaxed);
  latency_sum_ms.fetch_add(ms, std::memory_order_relaxed);
  latency_count.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace noj::callbacks

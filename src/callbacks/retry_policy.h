#pragma once
// When a failed callback is tried again, and when it is given up (docs/callbacks.md): any 2xx
// delivers it; 410 Gone kills it at once (the receiver says the endpoint is gone for good);
// anything else (other 4xx, 5xx, 3xx, a timeout, a refused connection) is retried after an
// exponential backoff with full jitter, until the next try would fall past the delivery's
// max age — then it is dead with its last error. Unlike Judge0 (3 tries, any answer final), a
// back-end restarting for an hour still gets its results.
//
// Thread safety: Decide and Delay may be called from any thread (the jitter's PRNG is locked).

#include <cstdint>
#include <random>
#include <string>

#include "common/thread_annotations.h"
#include "store/records.h"

namespace noj::callbacks {

// How one POST ended.
struct AttemptResult {
  int http_status = 0;  // 0: no HTTP answer (timeout, refused, not allowed)
  std::string error;    // set unless 2xx: "HTTP 500", "timeout", "address not allowed: …"
  bool ok() const { return http_status >= 200 && http_status < 300; }
};

struct RetryOptions {
  int64_t base_ms = 1000;                 // the delay before the first retry (before jitter)
  double factor = 2.0;                    // each retry waits this many times longer…
  int64_t cap_ms = 10 * 60'000;           // …up to this
  int64_t max_age_ms = 24 * 3'600'000LL;  // from the delivery's created_at
};

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {}, uint64_t seed = std::random_device{}());

  // The backoff after `attempts_done` + 1 failed attempts, before jitter:
  // min(cap, base * factor^attempts_done).
  int64_t Ceiling(int attempts_done) const;
  // Ceiling with full jitter: uniform in [ceiling / 2, ceiling].
  int64_t Delay(int attempts_done);

  // The outcome of an attempt of a delivery created at `created_at` that had `attempts_done`
  // attempts before this one: kDelivered, kDead ("HTTP 410 Gone", or "max age reached after N
  // attempts: <error>"), or kRetry at now + Delay.
  store::DeliveryAttempt Decide(const AttemptResult& result, int attempts_done, int64_t created_at,
                                int64_t now);

  const RetryOptions& options() const { return options_; }

 private:
  const RetryOptions options_;
  Mutex mu_;
  std::mt19937_64 rng_ GUARDED_BY(mu_);
};

}  // namespace noj::callbacks

#include "callbacks/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace noj::callbacks {

RetryPolicy::RetryPolicy(RetryOptions options, uint64_t seed) : options_(options), rng_(seed) {}

int64_t RetryPolicy::Ceiling(int attempts_done) const {
  // In double, capped before converting: factor^n overflows int64 long before n is large.
  double d =
      static_cast<double>(options_.base_ms) * std::pow(options_.factor, std::max(0, attempts_done));
  if (!(d < static_cast<double>(options_.cap_ms))) return options_.cap_ms;
  return std::max<int64_t>(1, static_cast<int64_t>(d));
}

int64_t RetryPolicy::Delay(int attempts_done) {
  int64_t ceiling = Ceiling(attempts_done);
  std::uniform_int_distribution<int64_t> jitter(ceiling / 2, ceiling);
  MutexLock lock(&mu_);
  return jitter(rng_);
}

store::DeliveryAttempt RetryPolicy::Decide(const AttemptResult& result, int attempts_done,
                                           int64_t created_at, int64_t now) {
  using Kind = store::DeliveryAttempt::Kind;
  if (result.ok()) return {.kind = Kind::kDelivered};
  if (result.http_status == 410) return {.kind = Kind::kDead, .error = "HTTP 410 Gone"};
  std::string error =
      result.error.empty() ? "HTTP " + std::to_string(result.http_status) : result.error;
  int64_t next = now + Delay(attempts_done);
  if (next > created_at + options_.max_age_ms)
    return {.kind = Kind::kDead,
            .error = "max age reached after " + std::to_string(attempts_done + 1) +
                     " attempts: " + error};
  return {.kind = Kind::kRetry, .next_attempt_at = next, .error = std::move(error)};
}

}  // namespace noj::callbacks

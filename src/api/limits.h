#pragma once
// Bounds of the runner protocol that the server and the runner must agree on (docs/protocol.md).

#include <cstddef>

namespace noj::api {

// A heartbeat lists at most this many jobs (a longer `active_job_ids` is a 400), so a runner is
// never given more leases than one heartbeat can renew: next-job hands it no job while it holds
// this many (the claim bound).
inline constexpr size_t kMaxJobsPerHeartbeat = 1024;

// Language codes are 0..kMaxLanguageCode (judging.md §5); job_payload.h says which are valid.
inline constexpr int kMaxLanguageCode = 63;

// Job priorities (protocol.md §3): 0 contest, 1 normal, 2 rejudge and bulk; lower runs first. The
// one definition: the client API decodes with it, the stores check their invariant with it, and
// the Redis scripts get it as generated constants (store/redis/scripts.cc).
inline constexpr int kMinPriority = 0;
inline constexpr int kMaxPriority = 2;
constexpr bool IsValidPriority(int64_t p) { return p >= kMinPriority && p <= kMaxPriority; }

}  // namespace noj::api

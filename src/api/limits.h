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

}  // namespace noj::api

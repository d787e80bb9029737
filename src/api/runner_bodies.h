#pragma once
// The bodies of the runner protocol's small endpoints (protocol.md §2.1, 2.2, 2.5): register,
// heartbeat and abort. The next-job payload and the complete body are in codec.h (JobPayload,
// ReportedCases). `…ToJson` writes what the sender sends (the server wraps its replies in
// RunnerEnvelope); `…FromJson` reads what the receiver gets, with FieldReader's messages.

#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/requirements.h"
#include "common/status.h"

namespace noj::api {

namespace bj = boost::json;

inline constexpr size_t kMaxRunnerName = 128;
inline constexpr size_t kMaxAbortReason = 1024;
inline constexpr double kMaxSpeedScore = 1e6;

// POST /runners/register. Key order: registration_token, name, [sandbox], languages, features.
struct RegisterRequest {
  std::string registration_token;
  std::string name = "unnamed";
  // Extension (docs/protocol.md): the runner's sandbox protections line, "" when not stated.
  std::string sandbox;
  RunnerCapabilities capabilities;
  // Extension (docs/protocol.md): the runner's speed measured at start (work units per
  // CPU-second / the reference's, docs/runner.md "Speed score"); nullopt when not stated.
  std::optional<double> speed_score;
};
bj::object RegisterRequestToJson(const RegisterRequest& r);
// Only the token (the server checks it before anything else in the body: 401 before 400).
// kInvalidArgument when missing or not a string.
Result<std::string> RegistrationTokenFromJson(const bj::object& body);
// The whole request: name optional (absent, null or "" → "unnamed"; at most kMaxRunnerName);
// a `sandbox` that is not a string is ignored (another runner may use the name for something
// else); capabilities as RunnerCapabilitiesFromJson; `speed_score` absent or null is nullopt,
// else a number in (0, kMaxSpeedScore] (kInvalidArgument otherwise).
Result<RegisterRequest> RegisterRequestFromJson(const bj::object& body);

// The `config` advertised at registration.
struct RunnerConfig {
  int heartbeat_interval_sec = 15;
  int poll_interval_sec = 3;
  int max_concurrent_jobs = 8;
  bool operator==(const RunnerConfig&) const = default;
};

// 201 of register. Fields in order: runner_id, token, config{heartbeat_interval_sec,
// poll_interval_sec, max_concurrent_jobs}.
struct RegisterResponse {
  std::string runner_id;
  std::string token;
  RunnerConfig config;
};
bj::object RegisterResponseToJson(const RegisterResponse& r);
// From the top level or `data`. runner_id and token must be non-empty strings; a config value
// that is absent, not an integer or outside 1..1000000 keeps its default (the runner works with
// a server that advertises less).
Result<RegisterResponse> RegisterResponseFromJson(const bj::object& body);

// POST /runners/{rn}/heartbeat. Key order: active_job_ids, want_hints.
struct HeartbeatRequest {
  std::vector<std::string> active_job_ids;
  bool want_hints = false;
};
bj::object HeartbeatRequestToJson(const HeartbeatRequest& r);
// active_job_ids: absent or null is empty; else an array of at most kMaxJobsPerHeartbeat strings.
Result<HeartbeatRequest> HeartbeatRequestFromJson(const bj::object& body);

// 200 of heartbeat with want_hints: {"cancel":[…]}.
struct HeartbeatResponse {
  std::vector<std::string> cancel;
};
bj::object HeartbeatResponseToJson(const HeartbeatResponse& r);
// Hints are advisory: from the top level or `data`; anything that is not a string is skipped and
// a missing list is empty. Never fails.
HeartbeatResponse HeartbeatResponseFromJson(const bj::object& body);

// PUT /runners/{rn}/jobs/{jb}/abort: {"reason":…}.
struct AbortRequest {
  std::string reason;  // "drain", "prep_failed", "rejected" or free text; "" when absent
};
bj::object AbortRequestToJson(const AbortRequest& r);
// reason: absent or null is ""; else a string of at most kMaxAbortReason bytes.
Result<AbortRequest> AbortRequestFromJson(const bj::object& body);

}  // namespace noj::api

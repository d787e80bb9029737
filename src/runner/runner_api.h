#pragma once
// The runner side of the protocol (protocol.md §2): one method per endpoint, bodies through the
// codecs of api/ (runner_bodies.h, codec.h), HTTP statuses mapped to ErrorCodes by retry semantics
// (api/http_status.h). Policy (retries, give-up) lives in the loops.

#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "api/job_payload.h"
#include "api/requirements.h"
#include "api/results.h"
#include "api/runner_bodies.h"
#include "common/status.h"
#include "runner/client/http_client.h"

namespace noj::runner {

// The `config` the server advertises at registration (§2.1).
using ServerConfig = api::RunnerConfig;

struct Registration {
  std::string runner_id;
  std::string token;  // rk_…: never logged
  ServerConfig config;
};

// A claimed job. `payload` is absent when the body could not be decoded; `job_id` is then
// recovered on a best-effort basis so the job can be aborted.
struct PolledJob {
  std::optional<api::JobPayload> payload;
  std::string job_id;
  Status parse_status;
};

// 2xx → OK, else the code api::ErrorCodeForHttp gives (400/415 kInvalidArgument, 401
// kUnauthenticated, 403 kPermissionDenied, 404 kNotFound, 409 kAborted, 413 kResourceExhausted,
// anything else — 5xx, 429, 3xx — kUnavailable), with "what: HTTP n: <the server's message>".
Status StatusFromHttp(int http_status, std::string_view body, std::string_view what);

// Percent-encodes one path segment.
std::string EscapePathSegment(std::string_view s);

// POST /runners/register (no auth). Thread-safe. `sandbox` (the probed protections line) goes in
// the body as the extension field "sandbox" when not empty (docs/protocol.md); `capabilities` as
// "languages" and "features" (judging.md §5: only jobs it can take are handed to it).
Result<Registration> Register(client::HttpClient& http, std::string_view server_url,
                              std::string_view registration_token, std::string_view name,
                              std::string_view sandbox, const api::RunnerCapabilities& capabilities,
                              std::stop_token stop,
                              std::optional<double> speed_score = std::nullopt);

// The authenticated endpoints of one registered runner. Thread-safe (stateless over `http`).
class RunnerApi {
 public:
  RunnerApi(client::HttpClient& http, std::string server_url, std::string runner_id,
            std::string token);

  const std::string& runner_id() const { return runner_id_; }

  // POST /runners/{rn}/heartbeat with want_hints; returns the jobs to cancel (empty on 204).
  Result<std::vector<std::string>> Heartbeat(const std::vector<std::string>& active_job_ids,
                                             std::stop_token stop);
  // GET /runners/{rn}/next-job?wait=N; nullopt on 204.
  Result<std::optional<PolledJob>> NextJob(int wait_sec, std::stop_token stop);
  // PUT /runners/{rn}/jobs/{jb}/complete with X-Job-Attempt (when attempt > 0).
  Status Complete(const std::string& job_id, int attempt, const api::ReportedCases& cases,
                  std::stop_token stop);
  // PUT /runners/{rn}/jobs/{jb}/abort.
  Status Abort(const std::string& job_id, std::string_view reason, std::stop_token stop);

  // GET code_url (no auth header).
  Result<std::string> DownloadCode(const std::string& code_url, std::stop_token stop);
  // GET /problem/{pid}/checksum → the md5 hex.
  Result<std::string> Checksum(int64_t problem_id, std::stop_token stop);
  // GET /problem/{pid}/testdata → the zip bytes. `version` > 0 asks for that version of the
  // problem (?version=N, judging.md §6: a lease finishes on the version it was claimed with);
  // 0 for the current one, as Normal-OJ's runner asks.
  Result<std::string> Testdata(int64_t problem_id, std::stop_token stop, int64_t version = 0);
  // GET /problem/{pid}/meta → its `data` object serialised like Python's json.dumps; `version`
  // as for Testdata.
  Result<std::string> MetaForChecksum(int64_t problem_id, std::stop_token stop,
                                      int64_t version = 0);

 private:
  client::HttpRequest Authed(std::string method, std::string path) const;
  Result<client::HttpResponse> Call(const client::HttpRequest& r, std::string_view what,
                                    std::stop_token stop);

  client::HttpClient& http_;
  const std::string base_;
  const std::string runner_id_;
  const std::string token_;
};

}  // namespace noj::runner

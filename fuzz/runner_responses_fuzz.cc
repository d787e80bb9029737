// The runner's parsing of server responses (src/runner/runner_api.cc, api/envelope.cc): register
// (runner_id, token, config), heartbeat hints, the next-job payload, checksum, meta, and the error
// envelope, over a fake HTTP client that answers every call with the fuzzed response.
// Input: byte 0 picks the HTTP status (kStatuses), the rest is the response body.
// Invariants: no crash or UB; a non-2xx status always gives the error code StatusFromHttp maps it
// to; a decoded registration has an id, a token and a sane config; a decoded job payload
// re-encodes to itself.

#include <cstdio>
#include <cstdlib>
#include <stop_token>
#include <string>

#include "api/codec.h"
#include "api/envelope.h"
#include "runner/client/http_client.h"
#include "runner/runner_api.h"

namespace {

using namespace noj;

constexpr int kStatuses[] = {200, 200, 200, 200, 201, 202, 204, 400, 401, 403,
                             404, 409, 413, 415, 429, 500, 502, 503, 302, 0};

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "\n*** noj fuzz invariant violated: %s\n", what);
  std::abort();
}

class ScriptedClient final : public runner::client::HttpClient {
 public:
  ScriptedClient(int status, std::string body) : status_(status), body_(std::move(body)) {}
  Result<runner::client::HttpResponse> Send(const runner::client::HttpRequest&,
                                            std::stop_token) override {
    return runner::client::HttpResponse{status_, body_};
  }

 private:
  int status_;
  std::string body_;
};

// An error from a non-2xx reply carries the code StatusFromHttp gives that status.
void CheckError(const Status& s, int http_status, const std::string& body) {
  if (http_status >= 200 && http_status < 300) return;
  if (s.ok()) Fail("a call succeeded on a non-2xx status");
  if (s.code() != runner::StatusFromHttp(http_status, body, "x").code())
    Fail("a call mapped a non-2xx status to another error code");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  int status = kStatuses[data[0] % (sizeof kStatuses / sizeof kStatuses[0])];
  std::string body(reinterpret_cast<const char*>(data) + 1, size - 1);
  ScriptedClient http(status, body);
  std::stop_token stop;

  (void)api::ErrorEnvelopeMessage(body);
  if (auto reg = runner::Register(http, "http://127.0.0.1:8080/", "secret", "fuzz", "",
                                  api::RunnerCapabilities{}, stop);
      reg.ok()) {
    if (reg->runner_id.empty() || reg->token.empty()) Fail("registration without id or token");
    const runner::ServerConfig& c = reg->config;
    for (int v : {c.heartbeat_interval_sec, c.poll_interval_sec, c.max_concurrent_jobs})
      if (v <= 0 || v > 1000000) Fail("registration config value out of range");
  } else {
    CheckError(reg.status(), status, body);
  }

  runner::RunnerApi api(http, "http://127.0.0.1:8080", "rn_01KA0000000000000000000001",
                        "rk_FuzzRunnerToken0000000000000000000000000001");
  if (auto hints = api.Heartbeat({"jb_01KA0000000000000000000011"}, stop); !hints.ok())
    CheckError(hints.status(), status, body);

  if (auto job = api.NextJob(0, stop); job.ok()) {
    if (*job && (*job)->payload) {
      const api::JobPayload& p = *(*job)->payload;
      if ((*job)->job_id.empty()) Fail("a decoded payload without a job id");
      auto again = api::JobPayloadFromJson(api::JobPayloadToJson(p));
      if (!again.ok() || !(*again == p)) Fail("a job payload does not survive a round trip");
    } else if (*job && (*job)->parse_status.ok()) {
      Fail("an undecodable payload without a parse error");
    }
  } else {
    CheckError(job.status(), status, body);
  }

  if (auto sum = api.Checksum(1, stop); sum.ok()) {
    if (sum->empty()) Fail("an empty checksum");
  } else {
    CheckError(sum.status(), status, body);
  }
  if (auto meta = api.MetaForChecksum(1, stop); !meta.ok()) CheckError(meta.status(), status, body);
  CheckError(api.Complete("jb_01KA0000000000000000000011", 1, {}, stop), status, body);
  CheckError(api.Abort("jb_01KA0000000000000000000011", "rejected", stop), status, body);
  if (auto code = api.DownloadCode("http://127.0.0.1:8080/code/x", stop); !code.ok())
    CheckError(code.status(), status, body);
  return 0;
}

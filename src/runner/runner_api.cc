#include "runner/runner_api.h"

#include <cctype>

#include "api/codec.h"
#include "api/envelope.h"
#include "api/http_status.h"
#include "api/runner_bodies.h"
#include "common/json_util.h"

namespace noj::runner {
namespace {

// "?version=N" for a given version, "" for the current one.
std::string VersionQuery(int64_t version) {
  return version > 0 ? "?version=" + std::to_string(version) : "";
}

namespace bj = boost::json;
using namespace std::chrono_literals;
using client::HttpRequest;
using client::HttpResponse;

constexpr uint64_t kMiB = uint64_t{1} << 20;

std::string TrimSlash(std::string_view url) {
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  return std::string(url);
}

std::string StringField(const bj::object& body, std::string_view key) {
  const bj::value* v = api::EnvelopeField(body, key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

Result<bj::object> ParseBody(const HttpResponse& r, std::string_view what) {
  auto obj = json::ParseObject(r.body);
  if (!obj.ok()) return UnavailableError(std::string(what) + ": " + obj.status().message());
  return std::move(obj).value();
}

}  // namespace

Status StatusFromHttp(int http_status, std::string_view body, std::string_view what) {
  ErrorCode code = api::ErrorCodeForHttp(http_status);
  if (code == ErrorCode::kOk) return Status::Ok();
  return Status(code, std::string(what) + ": HTTP " + std::to_string(http_status) + ": " +
                          api::ErrorEnvelopeMessage(body));
}

std::string EscapePathSegment(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

Result<Registration> Register(client::HttpClient& http, std::string_view server_url,
                              std::string_view registration_token, std::string_view name,
                              std::string_view sandbox, const api::RunnerCapabilities& capabilities,
                              std::stop_token stop, std::optional<double> speed_score) {
  api::RegisterRequest request{.registration_token = std::string(registration_token),
                               .name = std::string(name),
                               .sandbox = std::string(sandbox),
                               .capabilities = capabilities,
                               .speed_score = speed_score};
  HttpRequest r{.method = "POST",
                .url = TrimSlash(server_url) + "/runners/register",
                .body = json::Dump(api::RegisterRequestToJson(request)),
                .timeout = 30s};
  NOJ_ASSIGN_OR_RETURN(HttpResponse resp, http.Send(r, stop));
  NOJ_RETURN_IF_ERROR(StatusFromHttp(resp.status, resp.body, "register"));
  NOJ_ASSIGN_OR_RETURN(bj::object obj, ParseBody(resp, "register"));
  auto reply = api::RegisterResponseFromJson(obj);
  if (!reply.ok()) return UnavailableError("register: reply lacks runner_id or token");
  return Registration{.runner_id = std::move(reply->runner_id),
                      .token = std::move(reply->token),
                      .config = reply->config};
}

RunnerApi::RunnerApi(client::HttpClient& http, std::string server_url, std::string runner_id,
                     std::string token)
    : http_(http),
      base_(TrimSlash(server_url)),
      runner_id_(std::move(runner_id)),
      token_(std::move(token)) {}

HttpRequest RunnerApi::Authed(std::string method, std::string path) const {
  HttpRequest r{.method = std::move(method), .url = base_ + path};
  r.headers.emplace_back("Authorization", "Bearer " + token_);
  return r;
}

Result<HttpResponse> RunnerApi::Call(const HttpRequest& r, std::string_view what,
                                     std::stop_token stop) {
  NOJ_ASSIGN_OR_RETURN(HttpResponse resp, http_.Send(r, stop));
  NOJ_RETURN_IF_ERROR(StatusFromHttp(resp.status, resp.body, what));
  return resp;
}

Result<std::vector<std::string>> RunnerApi::Heartbeat(const std::vector<std::string>& active,
                                                      std::stop_token stop) {
  HttpRequest r = Authed("POST", "/runners/" + EscapePathSegment(runner_id_) + "/heartbeat");
  r.body = json::Dump(api::HeartbeatRequestToJson({.active_job_ids = active, .want_hints = true}));
  r.timeout = 15s;
  NOJ_ASSIGN_OR_RETURN(HttpResponse resp, Call(r, "heartbeat", stop));
  if (resp.status == 204 || resp.body.empty()) return std::vector<std::string>();
  auto obj = json::ParseObject(resp.body);
  // Hints are advisory: a server without them is fine.
  if (!obj.ok()) return std::vector<std::string>();
  return api::HeartbeatResponseFromJson(*obj).cancel;
}

Result<std::optional<PolledJob>> RunnerApi::NextJob(int wait_sec, std::stop_token stop) {
  std::string path = "/runners/" + EscapePathSegment(runner_id_) + "/next-job";
  if (wait_sec > 0) path += "?wait=" + std::to_string(wait_sec);
  HttpRequest r = Authed("GET", path);
  r.timeout = std::chrono::seconds(wait_sec + 15);
  NOJ_ASSIGN_OR_RETURN(HttpResponse resp, Call(r, "next-job", stop));
  if (resp.status == 204 || resp.body.empty()) return std::optional<PolledJob>();
  PolledJob job;
  auto obj = json::ParseObject(resp.body);
  if (!obj.ok()) {
    job.parse_status = obj.status();
    return std::optional<PolledJob>(std::move(job));
  }
  job.job_id = StringField(*obj, "job_id");
  auto payload = api::JobPayloadFromJson(*obj);
  if (payload.ok()) {
    job.payload = std::move(payload).value();
    if (job.job_id.empty()) job.job_id = job.payload->job_id;
  } else {
    job.parse_status = payload.status();
  }
  return std::optional<PolledJob>(std::move(job));
}

Status RunnerApi::Complete(const std::string& job_id, int attempt, const api::ReportedCases& cases,
                           std::stop_token stop) {
  HttpRequest r = Authed("PUT", "/runners/" + EscapePathSegment(runner_id_) + "/jobs/" +
                                    EscapePathSegment(job_id) + "/complete");
  // The fencing number (§4); a payload without one (a server without fencing) sends none.
  if (attempt > 0) r.headers.emplace_back("X-Job-Attempt", std::to_string(attempt));
  r.body = json::Dump(api::ReportedCasesToJson(cases));
  r.timeout = 60s;
  return Call(r, "complete " + job_id, stop).status();
}

Status RunnerApi::Abort(const std::string& job_id, std::string_view reason, std::stop_token stop) {
  HttpRequest r = Authed("PUT", "/runners/" + EscapePathSegment(runner_id_) + "/jobs/" +
                                    EscapePathSegment(job_id) + "/abort");
  r.body = json::Dump(api::AbortRequestToJson({.reason = std::string(reason)}));
  r.timeout = 15s;
  return Call(r, "abort " + job_id, stop).status();
}

Result<std::string> RunnerApi::DownloadCode(const std::string& code_url, std::stop_token stop) {
  HttpRequest r{.method = "GET", .url = code_url, .timeout = 60s, .max_response_bytes = 16 * kMiB};
  NOJ_ASSIGN_OR_RETURN(HttpResponse resp, Call(r, "code download", stop));
  return std::move(resp.body);
}

Result<std::string> RunnerApi::Checksum(int64_t problem_id, std::stop_token stop) {
  HttpRequest r = Authed("GET", "/problem/" + std::to_string(problem_id) + "/checksum");
  NOJ_ASSIGN_OR_RETURN(HttpResponse resp, Call(r, "checksum", stop));
  NOJ_ASSIGN_OR_RETURN(bj::object obj, ParseBody(resp, "checksum"));
  std::string sum = StringField(obj, "checksum");
  if (sum.empty()) sum = StringField(obj, "data");
  if (sum.empty()) return UnavailableError("checksum: reply has no checksum");
  return sum;
}

Result<std::string> RunnerApi::Testdata(int64_t problem_id, std::stop_token stop, int64_t version) {
  HttpRequest r =
      Authed("GET", "/problem/" + std::to_string(problem_id) + "/testdata" + VersionQuery(version));
  r.timeout = 600s;
  r.max_response_bytes = 1024 * kMiB;
  NOJ_ASSIGN_OR_RETURN(HttpResponse resp, Call(r, "testdata", stop));
  return std::move(resp.body);
}

Result<std::string> RunnerApi::MetaForChecksum(int64_t problem_id, std::stop_token stop,
                                               int64_t version) {
  HttpRequest r =
      Authed("GET", "/problem/" + std::to_string(problem_id) + "/meta" + VersionQuery(version));
  NOJ_ASSIGN_OR_RETURN(HttpResponse resp, Call(r, "meta", stop));
  NOJ_ASSIGN_OR_RETURN(bj::object obj, ParseBody(resp, "meta"));
  auto it = obj.find("data");
  if (it == obj.end() || !it->value().is_object()) return UnavailableError("meta: no data object");
  return json::PythonDumps(it->value());
}

}  // namespace noj::runner

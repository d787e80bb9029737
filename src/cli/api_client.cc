#include "cli/api_client.h"

#include "api/http_status.h"
#include "cli/exit_codes.h"
#include "common/json_util.h"

namespace noj::cli {
namespace {

// The code of api::ErrorCodeForHttp, except that an answer is never kUnavailable: that code means
// "could not reach nojd" here (exit 4); a busy or failing server answered (exit 3).
Status StatusForHttp(int http_status, std::string message) {
  message += " (HTTP " + std::to_string(http_status) + ")";
  ErrorCode code = api::ErrorCodeForHttp(http_status);
  if (code == ErrorCode::kUnavailable) code = ErrorCode::kResourceExhausted;
  if (code == ErrorCode::kUnauthenticated)
    message += "; check --token, --token-file or NOJ_API_TOKEN";
  return Status(code, std::move(message));
}

// "extra: a, b; missing: c" for every array of strings in the envelope's `data`.
std::string DetailText(const bj::value& data) {
  if (!data.is_object()) return "";
  constexpr size_t kMaxNames = 8;
  std::string out;
  for (const auto& [key, value] : data.as_object()) {
    if (!value.is_array() || value.as_array().empty()) continue;
    std::string names;
    size_t shown = 0;
    for (const bj::value& v : value.as_array()) {
      if (!v.is_string()) continue;
      if (shown == kMaxNames) {
        names += ", …";
        break;
      }
      names += (shown++ ? ", " : "") + std::string(v.as_string());
    }
    if (names.empty()) continue;
    out += (out.empty() ? "" : "; ") + std::string(key) + ": " + names;
  }
  return out;
}

Status ErrorFromBody(int http_status, const std::string& body) {
  auto parsed = json::ParseObject(body);
  std::string message;
  std::string detail;
  if (parsed.ok()) {
    if (const bj::value* m = parsed->if_contains("message"); m != nullptr && m->is_string())
      message = std::string(m->as_string());
    if (const bj::value* d = parsed->if_contains("data")) detail = DetailText(*d);
  }
  if (message.empty()) message = "the server answered HTTP " + std::to_string(http_status);
  if (!detail.empty()) message += " (" + detail + ")";
  return StatusForHttp(http_status, std::move(message));
}

// The reason libcurl gave, without the method and URL our HttpClient puts in front of it.
std::string TransportReason(const Status& s) {
  const std::string& m = s.message();
  size_t colon = m.rfind(": ");
  return colon == std::string::npos ? m : m.substr(colon + 2);
}

}  // namespace

ApiClient::ApiClient(runner::client::HttpClient& http, std::string server, std::string token)
    : http_(http), server_(std::move(server)), token_(std::move(token)) {
  while (!server_.empty() && server_.back() == '/') server_.pop_back();
}

Result<bj::value> ApiClient::Call(std::string_view method, std::string_view path, std::string body,
                                  std::string content_type, std::chrono::seconds timeout) {
  runner::client::HttpRequest req;
  req.method = std::string(method);
  req.url = server_ + std::string(path);
  req.headers.emplace_back("Authorization", "Bearer " + token_);
  req.headers.emplace_back("Accept", "application/json");
  req.body = std::move(body);
  req.content_type = std::move(content_type);
  req.timeout = timeout;
  req.max_response_bytes = uint64_t{256} << 20;
  auto resp = http_.Send(req, {});
  if (!resp.ok()) {
    if (resp.status().code() == ErrorCode::kInvalidArgument)
      return InvalidArgumentError("bad server URL " + server_ + " (" +
                                  TransportReason(resp.status()) + ")");
    return UnavailableError("cannot reach nojd at " + server_ + " (" +
                            TransportReason(resp.status()) + ")");
  }
  if (resp->status < 200 || resp->status > 299) return ErrorFromBody(resp->status, resp->body);
  if (resp->body.find_first_not_of(" \t\r\n") == std::string::npos) return bj::value(nullptr);
  auto v = json::Parse(resp->body);
  if (!v.ok())
    return InternalError("the server at " + server_ + " did not answer JSON (is it nojd?)");
  return std::move(v).value();
}

Status UnexpectedAnswer(std::string_view request, const Status& decode_error) {
  return InternalError("nojd's answer to " + std::string(request) + " is not what nojctl reads (" +
                       decode_error.message() + "); are nojd and nojctl the same version?");
}

const bj::object& AnswerObject(const bj::value& answer) {
  static const bj::object kEmpty;
  return answer.is_object() ? answer.as_object() : kEmpty;
}

int ExitCodeForApiError(const Status& status) {
  return status.code() == ErrorCode::kUnavailable ? kExitUnreachable : kExitRefused;
}

Result<std::string> NormalizeServerUrl(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
    return InvalidArgumentError("--server must start with http:// or https:// (got '" + url + "')");
  if (url.size() <= std::string_view("https://").size() && url.find("://") + 3 >= url.size())
    return InvalidArgumentError("--server has no host (got '" + url + "')");
  return url;
}

}  // namespace noj::cli

#pragma once
// nojd's client API (protocol.md §5) over the HttpClient interface: JSON in, JSON out, and every
// failure as one sentence a user can act on.

#include <boost/json.hpp>
#include <chrono>
#include <string>
#include <string_view>

#include "common/status.h"
#include "runner/client/http_client.h"

namespace noj::cli {

namespace bj = boost::json;

class ApiClient {
 public:
  // `server`: base URL ("http://host:port", a trailing '/' is dropped). `http` must outlive this.
  ApiClient(runner::client::HttpClient& http, std::string server, std::string token);
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // One request; `path` starts with '/'. A 2xx answer gives its parsed body (null when empty).
  // Errors, with the server's envelope message (and the names its `data` lists, such as the
  // extra/missing testdata files) as the message:
  //   the code api::ErrorCodeForHttp gives the status (kInvalidArgument 400/415,
  //   kUnauthenticated 401, kPermissionDenied 403, kNotFound 404, kAborted 409,
  //   kResourceExhausted 413) except that 429, 5xx and other statuses are kResourceExhausted
  //   (the server answered); kInternal for a 2xx body that is not JSON; kUnavailable only when
  //   the server cannot be reached or does not answer.
  Result<bj::value> Call(std::string_view method, std::string_view path, std::string body = "",
                         std::string content_type = "application/json",
                         std::chrono::seconds timeout = std::chrono::seconds(30));

  Result<bj::value> Get(std::string_view path,
                        std::chrono::seconds timeout = std::chrono::seconds(30)) {
    return Call("GET", path, "", "application/json", timeout);
  }

  const std::string& server() const { return server_; }

 private:
  runner::client::HttpClient& http_;
  std::string server_;
  std::string token_;
};

// A 2xx answer read with an api/ codec (api::QueueViewFromJson …): the codec's refusal becomes
// kInternal naming the request — nojd answered something this nojctl does not read.
Status UnexpectedAnswer(std::string_view request, const Status& decode_error);
template <typename T>
Result<T> DecodeAnswer(std::string_view request, Result<T> decoded) {
  if (decoded.ok()) return decoded;
  return UnexpectedAnswer(request, decoded.status());
}
// The answer as an object for a codec; anything else reads as {} (the codec names what is missing).
const bj::object& AnswerObject(const bj::value& answer);

// The exit code for a failed call: kExitUnreachable for kUnavailable, kExitRefused otherwise.
int ExitCodeForApiError(const Status& status);

// Strips trailing '/' and checks the scheme; kInvalidArgument names the flag.
Result<std::string> NormalizeServerUrl(std::string url);

}  // namespace noj::cli

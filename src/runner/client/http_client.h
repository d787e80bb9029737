#pragma once
// The runner's HTTP client interface: one blocking request at a time per call, any number of calls
// in parallel. The libcurl implementation lives in client/curl/; tests use a scripted fake.

#include <chrono>
#include <cstdint>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace noj::runner::client {

struct HttpRequest {
  std::string method = "GET";  // GET, POST, PUT
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. {"Authorization", "Bearer …"}
  std::string body;                                          // sent when non-empty or not GET
  std::string content_type = "application/json";             // for a body
  std::chrono::milliseconds timeout{30000};                  // whole request
  uint64_t max_response_bytes = 1 << 20;                     // larger bodies fail the request
};

struct HttpResponse {
  int status = 0;
  std::string body;
};

class HttpClient {
 public:
  HttpClient() = default;
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;
  virtual ~HttpClient() = default;

  // Performs the request. Any HTTP status is a successful call (the caller reads `status`).
  // Errors: kUnavailable (connect/DNS/TLS/timeout/reset), kResourceExhausted (body larger than
  // max_response_bytes), kAborted (`stop` was requested: the transfer is interrupted promptly),
  // kInvalidArgument (malformed URL). Thread-safe.
  virtual Result<HttpResponse> Send(const HttpRequest& request, std::stop_token stop) = 0;
};

}  // namespace noj::runner::client

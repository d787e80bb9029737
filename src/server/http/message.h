#pragma once
// Our own small HTTP request/response types. Handlers see only these (no Beast), which keeps the
// slow-to-compile Beast headers in src/server/http/ and makes handlers testable without sockets.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace noj::server {

struct Request {
  std::string method;                          // "GET", "POST", …
  std::string target;                          // raw target as received
  std::vector<std::string> segments;           // percent-decoded path segments
  std::map<std::string, std::string> query;    // percent-decoded; last one wins
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  const std::string* Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? nullptr : &it->second;
  }
  const std::string* Query(const std::string& name) const {
    auto it = query.find(name);
    return it == query.end() ? nullptr : &it->second;
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// A handler that has nothing to answer yet asks the connection to park (long-poll): the connection
// waits for a notification on `topic` (or a periodic re-check) and calls `retry` again until it
// yields a response or `deadline_ms` (MonotonicMs) passes, then answers `on_timeout()`.
struct LongPoll {
  std::string topic;
  int64_t deadline_ms = 0;
  std::function<std::optional<Response>()> retry;
  std::function<Response()> on_timeout;
  // Which "<topic>@<detail>" notifications concern it (Waiters); empty: all of them.
  std::function<bool(std::string_view detail)> accepts;
};

using HandlerResult = std::variant<Response, LongPoll>;

}  // namespace noj::server

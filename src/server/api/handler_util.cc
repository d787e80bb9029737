#include "server/api/handler_util.h"

#include <charconv>

#include "common/json_util.h"

namespace noj::server {

Result<boost::json::object> ParseJsonBody(const Request& req, bool allow_empty, int& http_status) {
  http_status = 400;
  bool blank = req.body.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank) {
    if (allow_empty) return boost::json::object();
    return InvalidArgumentError("request body must be a JSON object");
  }
  if (const std::string* ct = req.Header("content-type"); ct != nullptr) {
    std::string lower;
    for (char c : *ct) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.rfind("application/json", 0) != 0) {
      http_status = 415;
      return InvalidArgumentError("content type must be application/json");
    }
  }
  return json::ParseObject(req.body);
}

std::optional<int64_t> ParseIntInRange(const std::string& s, int64_t lo, int64_t hi) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s[0] == '-' || s[0] == '+')
    return std::nullopt;
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

std::optional<int64_t> ParseProblemId(const std::string& s) {
  return ParseIntInRange(s, 1, INT64_MAX / 2);
}

Result<int64_t> ParseWaitSeconds(const Request& req) {
  const std::string* w = req.Query("wait");
  if (w == nullptr || w->empty()) return int64_t{0};
  auto v = ParseIntInRange(*w, 0, 30);
  if (!v) return InvalidArgumentError("wait must be an integer from 0 to 30");
  return *v;
}

}  // namespace noj::server

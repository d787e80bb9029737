#include "server/http/router.h"

#include <exception>

#include "common/logging.h"
#include "server/http/respond.h"

namespace noj::server {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool PercentDecode(std::string_view in, bool plus_is_space, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    if (c == '\0') return false;
    out += c;
  }
  return true;
}

}  // namespace

std::vector<std::string> SplitPattern(const std::string& pattern) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '/') {
      ++i;
      continue;
    }
    size_t j = pattern.find('/', i);
    if (j == std::string::npos) j = pattern.size();
    out.push_back(pattern.substr(i, j - i));
    i = j;
  }
  return out;
}

bool ParseTarget(const std::string& target, std::vector<std::string>& segments,
                 std::map<std::string, std::string>& query) {
  segments.clear();
  query.clear();
  size_t q = target.find('?');
  std::string_view path(target.data(), q == std::string::npos ? target.size() : q);
  std::string decoded;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (!PercentDecode(path.substr(i, j - i), false, decoded)) return false;
    segments.push_back(decoded);
    i = j;
  }
  if (q == std::string::npos) return true;
  std::string_view qs(target.data() + q + 1, target.size() - q - 1);
  size_t k = 0;
  while (k <= qs.size()) {
    size_t amp = qs.find('&', k);
    if (amp == std::string_view::npos) amp = qs.size();
    std::string_view pair = qs.substr(k, amp - k);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string key, value;
      if (!PercentDecode(pair.substr(0, eq), true, key)) return false;
      if (eq != std::string_view::npos && !PercentDecode(pair.substr(eq + 1), true, value))
        return false;
      query[key] = value;
    }
    k = amp + 1;
  }
  return true;
}

void Router::Add(std::string method, const std::string& pattern, Handler handler,
                 RouteOptions options) {
  routes_.push_back(Route{std::move(method), pattern, SplitPattern(pattern), std::move(handler),
                          std::move(options)});
}

Router::Match Router::Find(const Request& request) const {
  static const std::string kUnmatched = "(unmatched)";
  Match m;
  m.route = &kUnmatched;
  bool path_matched = false;
  for (const Route& route : routes_) {
    if (route.pattern.size() != request.segments.size()) continue;
    PathParams params;
    bool match = true;
    for (size_t i = 0; i < route.pattern.size() && match; ++i) {
      const std::string& p = route.pattern[i];
      if (p.size() >= 2 && p.front() == '{' && p.back() == '}')
        params.values.push_back(request.segments[i]);
      else
        match = p == request.segments[i];
    }
    if (!match) continue;
    path_matched = true;
    m.route = &route.name;
    if (route.method != request.method) continue;
    m.handler = &route.handler;
    m.options = &route.options;
    m.params = std::move(params);
    return m;
  }
  m.refusal = path_matched ? ErrorResponse(405, "method not allowed")
                           : ErrorResponse(404, "no such endpoint");
  return m;
}

HandlerResult Router::Invoke(const Handler& handler, const Request& request,
                             const PathParams& params) {
  try {
    return handler(request, params);
  } catch (const std::exception& e) {
    NOJ_LOG_ERROR("event=handler_exception method={} what={}", logging::Quote(request.method),
                  logging::Quote(e.what()));
    return ErrorResponse(500, "internal error");
  }
}

HandlerResult Router::Dispatch(const Request& request, std::string* route_name) const {
  Match m = Find(request);
  if (route_name) *route_name = *m.route;
  if (m.handler == nullptr) return std::move(m.refusal);
  return Invoke(*m.handler, request, m.params);
}

}  // namespace noj::server

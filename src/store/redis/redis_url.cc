// ParseRedisUrl: redis://[:PASSWORD@]HOST:PORT[/DB][?key=value&...]

#include <charconv>
#include <string_view>

#include "store/redis/redis_store.h"

namespace noj::store::redis {

namespace {

bool ToInt(std::string_view text, int& out, int min, int max) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return false;
  }
  out = value;
  return true;
}

Status Bad(const std::string& url, const std::string& why) {
  return InvalidArgumentError("bad Redis URL '" + url + "': " + why +
                              " (want redis://HOST:PORT/DB)");
}

Status ApplyParam(const std::string& url, std::string_view key, std::string_view value,
                  RedisOptions& o) {
  int n = 0;
  if (key == "prefix") {
    if (value.empty()) return Bad(url, "empty prefix");
    o.key_prefix = std::string(value);
  } else if (key == "pool") {
    if (!ToInt(value, n, 1, 1024)) return Bad(url, "pool must be 1..1024");
    o.pool_size = n;
  } else if (key == "connect_timeout_ms") {
    if (!ToInt(value, n, 1, 600'000)) return Bad(url, "connect_timeout_ms must be 1..600000");
    o.connect_timeout_ms = n;
  } else if (key == "command_timeout_ms") {
    if (!ToInt(value, n, 1, 600'000)) return Bad(url, "command_timeout_ms must be 1..600000");
    o.command_timeout_ms = n;
  } else if (key == "max_testdata_mb") {
    if (!ToInt(value, n, 1, 511)) return Bad(url, "max_testdata_mb must be 1..511");
    o.max_testdata_bytes = static_cast<size_t>(n) << 20;
  } else {
    return Bad(url, "unknown parameter '" + std::string(key) + "'");
  }
  return Status::Ok();
}

}  // namespace

Result<RedisOptions> ParseRedisUrl(const std::string& url) {
  constexpr std::string_view kScheme = "redis://";
  std::string_view rest(url);
  if (rest.substr(0, kScheme.size()) != kScheme) return Bad(url, "not redis://");
  rest.remove_prefix(kScheme.size());
  RedisOptions o;
  std::string_view query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    if (size_t colon = userinfo.find(':'); colon != std::string_view::npos) {
      userinfo.remove_prefix(colon + 1);  // a user name before ':' is ignored (Redis < 6 AUTH)
    }
    o.password = std::string(userinfo);
  }
  std::string_view hostport = rest;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    hostport = rest.substr(0, slash);
    std::string_view db = rest.substr(slash + 1);
    if (!db.empty() && !ToInt(db, o.db, 0, 1'000'000)) return Bad(url, "bad db index");
  }
  const size_t colon = hostport.rfind(':');
  if (colon == std::string_view::npos) {
    o.host = std::string(hostport);
  } else {
    o.host = std::string(hostport.substr(0, colon));
    if (!ToInt(hostport.substr(colon + 1), o.port, 1, 65535)) return Bad(url, "bad port");
  }
  if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') {
    o.host = o.host.substr(1, o.host.size() - 2);
  }
  if (o.host.empty()) return Bad(url, "no host");
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = param.find('=');
    if (eq == std::string_view::npos) return Bad(url, "parameter without '='");
    NOJ_RETURN_IF_ERROR(ApplyParam(url, param.substr(0, eq), param.substr(eq + 1), o));
  }
  return o;
}

}  // namespace noj::store::redis

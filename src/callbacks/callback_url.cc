#include "callbacks/callback_url.h"

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>
#include <cctype>

namespace noj::callbacks {
namespace {

namespace urls = boost::urls;

bool IsHostNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

// WHATWG and curl read a host whose last label is numeric (decimal, octal or 0x-hex) as IPv4.
bool EndsInNumber(std::string_view host) {
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  std::string_view label =
      host.substr(host.rfind('.') == std::string_view::npos ? 0 : host.rfind('.') + 1);
  if (label.empty()) return false;
  if (label.size() >= 2 && label[0] == '0' && label[1] == 'x') return true;
  return std::all_of(label.begin(), label.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status Bad(std::string_view why) {
  return InvalidArgumentError("callback_url: " + std::string(why));
}

}  // namespace

std::string CallbackUrl::target() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return scheme + "://" + h + ":" + std::to_string(port);
}

Result<CallbackUrl> ParseCallbackUrl(std::string_view text) {
  if (text.empty()) return Bad("empty");
  if (text.size() > kMaxCallbackUrlBytes)
    return Bad("longer than " + std::to_string(kMaxCallbackUrlBytes) + " bytes");
  auto parsed = urls::parse_absolute_uri(text);
  if (!parsed) return Bad("not an absolute URL");
  const urls::url_view& u = *parsed;
  CallbackUrl out;
  out.scheme = std::string(u.scheme());
  std::transform(out.scheme.begin(), out.scheme.end(), out.scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (out.scheme != "http" && out.scheme != "https") return Bad("scheme must be http or https");
  if (u.has_userinfo()) return Bad("userinfo (user:password@) is not allowed");
  if (u.has_fragment()) return Bad("a fragment (#...) is not allowed");
  switch (u.host_type()) {
    case urls::host_type::ipv4:
      out.host = u.host_ipv4_address().to_string();
      out.host_is_ip = true;
      break;
    case urls::host_type::ipv6:
      out.host = u.host_ipv6_address().to_string();
      out.host_is_ip = true;
      break;
    case urls::host_type::name: {
      // Percent-encoded host names are refused rather than decoded: what curl resolves must be
      // exactly what the allow-list saw.
      std::string host(u.encoded_host());
      std::transform(host.begin(), host.end(), host.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (host.empty()) return Bad("a host is required");
      if (!std::all_of(host.begin(), host.end(), IsHostNameChar))
        return Bad("host has characters other than letters, digits, '-', '.' and '_'");
      if (EndsInNumber(host)) return Bad("a host ending in a number is not allowed");
      out.host = std::move(host);
      break;
    }
    default:
      return Bad("a host is required");
  }
  if (u.has_port()) {
    std::string_view port = u.port();
    if (port.empty() || port.size() > 5) return Bad("bad port");
    int p = 0;
    for (char c : port) p = p * 10 + (c - '0');
    if (p <= 0 || p > 65535) return Bad("bad port");
    out.port = static_cast<uint16_t>(p);
  } else {
    out.port = out.scheme == "https" ? 443 : 80;
  }
  out.text = std::string(text);
  return out;
}

}  // namespace noj::callbacks

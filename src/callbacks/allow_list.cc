#include "callbacks/allow_list.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>
#include <cstring>

namespace noj::callbacks {
namespace {

constexpr IpBytes kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0};

IpBytes FromV4(const uint8_t* b) {
  IpBytes ip = kMappedPrefix;
  std::memcpy(ip.data() + 12, b, 4);
  return ip;
}

bool InNet(const IpBytes& ip, const IpBytes& net, int prefix) {
  for (int i = 0; i < 16 && prefix > 0; ++i, prefix -= 8) {
    uint8_t mask = prefix >= 8 ? 0xff : static_cast<uint8_t>(0xff << (8 - prefix));
    if ((ip[i] & mask) != (net[i] & mask)) return false;
  }
  return true;
}

struct Net {
  const char* addr;
  int prefix;  // of the address as written (IPv4: 0..32)
};

// Everything that is not public unicast. IPv4 ones are matched in mapped form (prefix + 96).
constexpr Net kNonPublic[] = {
    {"0.0.0.0", 8},      {"10.0.0.0", 8},     {"100.64.0.0", 10}, {"127.0.0.0", 8},
    {"169.254.0.0", 16}, {"172.16.0.0", 12},  {"192.0.0.0", 24},  {"192.168.0.0", 16},
    {"198.18.0.0", 15},  {"224.0.0.0", 4},    {"240.0.0.0", 4},  // multicast; reserved+broadcast
    {"::", 128},         {"::1", 128},        {"::", 96},        // IPv4-compatible (deprecated)
    {"64:ff9b::", 96},   {"64:ff9b:1::", 48},                    // NAT64: reaches IPv4 inside
    {"fc00::", 7},       {"fe80::", 10},      {"fec0::", 10},     {"ff00::", 8},
};

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::optional<int> ParseNumber(const std::string& s, int max) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

}  // namespace

std::optional<IpBytes> ParseIp(const std::string& text) {
  uint8_t buf[16];
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) return FromV4(buf);
  IpBytes ip;
  if (inet_pton(AF_INET6, text.c_str(), ip.data()) == 1) return ip;
  return std::nullopt;
}

std::optional<IpBytes> IpOf(const sockaddr* addr) {
  if (addr == nullptr) return std::nullopt;
  if (addr->sa_family == AF_INET) {
    sockaddr_in in;
    std::memcpy(&in, addr, sizeof in);
    return FromV4(reinterpret_cast<const uint8_t*>(&in.sin_addr));
  }
  if (addr->sa_family == AF_INET6) {
    sockaddr_in6 in6;
    std::memcpy(&in6, addr, sizeof in6);
    IpBytes ip;
    std::memcpy(ip.data(), &in6.sin6_addr, 16);
    return ip;
  }
  return std::nullopt;
}

std::string IpToString(const IpBytes& ip) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (InNet(ip, kMappedPrefix, 96)) {
    inet_ntop(AF_INET, ip.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, ip.data(), buf, sizeof buf);
  }
  return buf;
}

bool IsNonPublic(const IpBytes& ip) {
  bool mapped = InNet(ip, kMappedPrefix, 96);
  for (const Net& n : kNonPublic) {
    auto net = ParseIp(n.addr);
    bool v4 = std::strchr(n.addr, ':') == nullptr;
    if (v4 != mapped) continue;
    if (InNet(ip, *net, v4 ? n.prefix + 96 : n.prefix)) return true;
  }
  return false;
}

Result<CallbackAllowList::Entry> CallbackAllowList::ParseEntry(const std::string& raw) {
  auto bad = [&raw](std::string_view why) {
    return InvalidArgumentError("--callback-allow entry \"" + raw + "\": " + std::string(why));
  };
  std::string text = Lower(raw);
  if (text.empty()) return bad("empty");
  Entry e;
  std::string host = text;
  // The port: "[v6]:port", "name:port", "v4:port"; a bare IPv6 literal has several colons.
  if (text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string::npos) return bad("missing ']'");
    host = text.substr(1, close - 1);
    std::string rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return bad("expected ':port' after ']'");
      auto port = ParseNumber(rest.substr(1), 65535);
      if (!port || *port == 0) return bad("bad port");
      e.port = static_cast<uint16_t>(*port);
    }
    if (!ParseIp(host) || host.find(':') == std::string::npos)
      return bad("not an IPv6 address in brackets");
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    size_t colon = text.find(':');
    host = text.substr(0, colon);
    auto port = ParseNumber(text.substr(colon + 1), 65535);
    if (!port || *port == 0) return bad("bad port");
    e.port = static_cast<uint16_t>(*port);
  }
  // CIDR.
  if (size_t slash = host.find('/'); slash != std::string::npos) {
    if (e.port) return bad("a CIDR takes no port");
    auto net = ParseIp(host.substr(0, slash));
    if (!net) return bad("not an address before '/'");
    bool v4 = host.find(':') == std::string::npos;
    auto prefix = ParseNumber(host.substr(slash + 1), v4 ? 32 : 128);
    if (!prefix) return bad("bad prefix length");
    e.kind = Entry::Kind::kNet;
    e.net = *net;
    e.prefix = *prefix + (v4 ? 96 : 0);
    return e;
  }
  if (auto ip = ParseIp(host)) {
    e.kind = Entry::Kind::kNet;
    e.net = *ip;
    e.prefix = 128;
    return e;
  }
  // A host name, or "*." + a suffix.
  bool wildcard = host.rfind("*.", 0) == 0;
  std::string name = wildcard ? host.substr(2) : host;
  auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  };
  if (name.empty() || name.front() == '.' || name.back() == '.' ||
      !std::all_of(name.begin(), name.end(), ok_char))
    return bad("not a host name, *.suffix, IP address or CIDR");
  e.kind = wildcard ? Entry::Kind::kWildcard : Entry::Kind::kHost;
  e.name = wildcard ? "." + name : name;
  return e;
}

Result<CallbackAllowList> CallbackAllowList::Parse(const std::vector<std::string>& entries) {
  CallbackAllowList list;
  for (const std::string& text : entries) {
    NOJ_ASSIGN_OR_RETURN(Entry e, ParseEntry(text));
    list.entries_.push_back(std::move(e));
  }
  return list;
}

void CallbackAllowList::AllowExact(const CallbackUrl& url) {
  Entry e;
  e.port = url.port;
  if (auto ip = url.host_is_ip ? ParseIp(url.host) : std::nullopt) {
    e.kind = Entry::Kind::kNet;
    e.net = *ip;
    e.prefix = 128;
  } else {
    e.kind = Entry::Kind::kHost;
    e.name = url.host;
  }
  entries_.push_back(std::move(e));
}

bool CallbackAllowList::NetCovers(const IpBytes& ip, uint16_t port) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) {
    return e.kind == Entry::Kind::kNet && PortMatches(e, port) && InNet(ip, e.net, e.prefix);
  });
}

bool CallbackAllowList::ExactHost(const CallbackUrl& url) const {
  return !url.host_is_ip && std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) {
    return e.kind == Entry::Kind::kHost && e.name == url.host && PortMatches(e, url.port);
  });
}

Status CallbackAllowList::CheckUrl(const CallbackUrl& url) const {
  bool ok = false;
  if (url.host_is_ip) {
    auto ip = ParseIp(url.host);
    ok = ip && NetCovers(*ip, url.port);
  } else {
    ok = ExactHost(url) || std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) {
           return e.kind == Entry::Kind::kWildcard && PortMatches(e, url.port) &&
                  url.host.size() > e.name.size() &&
                  url.host.compare(url.host.size() - e.name.size(), e.name.size(), e.name) == 0;
         });
  }
  if (ok) return Status::Ok();
  return InvalidArgumentError("callback_url: " + url.target() +
                              " is not in the callback allow-list");
}

bool CallbackAllowList::AddressAllowed(const CallbackUrl& url, const sockaddr* addr) const {
  auto ip = IpOf(addr);
  if (!ip || !CheckUrl(url).ok()) return false;
  if (!IsNonPublic(*ip)) return true;
  return NetCovers(*ip, url.port) || ExactHost(url);
}

}  // namespace noj::callbacks

#pragma once
// The operator's allow-list of callback targets (--callback-allow), checked twice: at submit time
// against the URL (CheckUrl: a client cannot name arbitrary hosts) and at connect time against
// the address actually connected (AddressAllowed: a public name resolving to 127.0.0.1 or to the
// cloud metadata address does not reach it — DNS rebinding included).
//
// Entries: `host` and `host:port` (exact, case-insensitive), `*.suffix` (any name below suffix,
// not suffix itself; `*.suffix:port`), an IPv4 or IPv6 literal (`10.0.0.5`, `::1`,
// `[::1]:8080`), a CIDR (`10.0.0.0/8`, `fd00::/8`). Addresses are compared in one 16-byte form
// where IPv4 is its IPv4-mapped IPv6 address (::ffff:a.b.c.d), so a mapped address is judged
// as the IPv4 address it is.
//
// Thread safety: immutable after Parse/AllowExact; const methods may be called from any thread.

#include <sys/socket.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "callbacks/callback_url.h"
#include "common/status.h"

namespace noj::callbacks {

using IpBytes = std::array<uint8_t, 16>;

// `text` as an address in the 16-byte form above; nullopt if it is not an IP literal.
std::optional<IpBytes> ParseIp(const std::string& text);
// The address of an AF_INET/AF_INET6 sockaddr in the 16-byte form; nullopt for other families.
std::optional<IpBytes> IpOf(const sockaddr* addr);
std::string IpToString(const IpBytes& ip);
// Not public unicast: loopback, RFC 1918, CGNAT 100.64/10, link-local (the 169.254.169.254
// metadata address), ULA fc00::/7, 0.0.0.0/8, ::, multicast, broadcast and reserved ranges.
bool IsNonPublic(const IpBytes& ip);

class CallbackAllowList {
 public:
  // kInvalidArgument naming the first bad entry. An empty list allows nothing.
  static Result<CallbackAllowList> Parse(const std::vector<std::string>& entries);

  // Adds `url`'s host (and port) as an exact entry: the operator's own --callback-url.
  void AllowExact(const CallbackUrl& url);

  // Submit time: kInvalidArgument unless the host (and the port, where the entry has one)
  // matches an entry. An IP-literal host must be covered by an IP or CIDR entry.
  Status CheckUrl(const CallbackUrl& url) const;

  // Connect time, `addr` being where the connection for `url` is about to go: CheckUrl passes
  // and the address is public, or it is covered by an IP/CIDR entry, or the url's host is an
  // exact host-name entry (the operator named that host: wherever it resolves is meant).
  bool AddressAllowed(const CallbackUrl& url, const sockaddr* addr) const;

  bool empty() const { return entries_.empty(); }

 private:
  struct Entry {
    enum class Kind { kHost, kWildcard, kNet } kind = Kind::kHost;
    std::string name;  // kHost: the host; kWildcard: ".suffix"
    IpBytes net{};     // kNet
    int prefix = 128;  // kNet: bits of the 16-byte form
    std::optional<uint16_t> port;
  };
  static Result<Entry> ParseEntry(const std::string& text);
  static bool PortMatches(const Entry& e, uint16_t port) { return !e.port || *e.port == port; }
  bool NetCovers(const IpBytes& ip, uint16_t port) const;
  bool ExactHost(const CallbackUrl& url) const;

  std::vector<Entry> entries_;
};

}  // namespace noj::callbacks

#pragma once
// A result callback's target as given by a client or the operator (docs/callbacks.md): an
// absolute http(s) URL, parsed once so the allow-list, the per-target cap and the connect-time
// address check all see the same host and port.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace noj::callbacks {

inline constexpr size_t kMaxCallbackUrlBytes = 2048;

struct CallbackUrl {
  std::string scheme;  // "http" or "https"
  std::string host;    // lower-case; an IPv6 literal without brackets, in canonical form
  bool host_is_ip = false;
  uint16_t port = 0;  // the default port of the scheme when the URL has none
  std::string text;   // the URL as given (what is requested)

  // "scheme://host:port" (IPv6 in brackets): one target for the per-target in-flight cap.
  std::string target() const;
};

// kInvalidArgument (naming what is wrong) unless `text` is an absolute http or https URL of at
// most 2048 bytes with a host, no userinfo and no fragment. A host name that ends in a number
// ("0x7f.1", "2130706433") is refused: resolvers read it as an IPv4 address, so it would slip
// past the allow-list's host entries.
Result<CallbackUrl> ParseCallbackUrl(std::string_view text);

}  // namespace noj::callbacks

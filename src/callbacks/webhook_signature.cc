#include "callbacks/webhook_signature.h"

#include "common/crypto.h"

namespace noj::callbacks {

namespace {
constexpr std::string_view kPrefix = "whsec_";
}  // namespace

std::string GenerateWebhookSecret() {
  return std::string(kPrefix) + crypto::Base64Encode(crypto::RandomBytes(32));
}

Result<WebhookKey> WebhookKey::Parse(std::string_view secret) {
  if (secret.substr(0, kPrefix.size()) == kPrefix) secret.remove_prefix(kPrefix.size());
  auto bytes = crypto::Base64Decode(secret);
  if (!bytes) return InvalidArgumentError("webhook secret: not base64 (\"whsec_\" + base64)");
  if (bytes->size() < 24 || bytes->size() > 64)
    return InvalidArgumentError("webhook secret: must decode to 24..64 bytes");
  return WebhookKey(std::move(*bytes));
}

std::string WebhookKey::Sign(std::string_view id, int64_t timestamp_s,
                             std::string_view body) const {
  std::string msg;
  msg.reserve(id.size() + body.size() + 24);
  msg.append(id).append(".").append(std::to_string(timestamp_s)).append(".").append(body);
  return "v1," + crypto::Base64Encode(crypto::HmacSha256(bytes_, msg));
}

bool Verify(const WebhookKey& key, std::string_view id, int64_t timestamp_s, std::string_view body,
            std::string_view header) {
  const std::string expected = key.Sign(id, timestamp_s, body);
  bool found = false;
  while (!header.empty()) {
    size_t space = header.find(' ');
    std::string_view one = header.substr(0, space);
    header = space == std::string_view::npos ? std::string_view() : header.substr(space + 1);
    if (one.substr(0, 3) != "v1,") continue;
    // No early return: every entry is compared (the count of entries is not secret).
    found = crypto::ConstantTimeEquals(one, expected) || found;
  }
  return found;
}

}  // namespace noj::callbacks

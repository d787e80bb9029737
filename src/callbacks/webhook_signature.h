#pragma once
// Signatures of result callbacks, the Standard Webhooks way (standardwebhooks.com), so receivers
// can verify them with the libraries that already exist:
//   webhook-signature: v1,<base64(HMAC-SHA256(key, id + "." + timestamp + "." + body))>
// where key is the base64-decoded secret after its "whsec_" prefix, and timestamp is epoch
// seconds (the webhook-timestamp header). The secret is never logged.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace noj::callbacks {

// "whsec_" + base64(32 random bytes): a fresh per-deployment secret (secrets.json).
std::string GenerateWebhookSecret();

// The decoded key of a secret. Copyable; holds the secret's bytes (never log it).
class WebhookKey {
 public:
  // kInvalidArgument unless `secret` is base64 (with or without the "whsec_" prefix) of 24 to 64
  // bytes. The message never repeats the secret.
  static Result<WebhookKey> Parse(std::string_view secret);

  // "v1,<base64 MAC>".
  std::string Sign(std::string_view id, int64_t timestamp_s, std::string_view body) const;

 private:
  explicit WebhookKey(std::string bytes) : bytes_(std::move(bytes)) {}
  std::string bytes_;
};

// What a receiver does (tests, the example receiver): true if one of the space-separated
// signatures of `header` ("v1,<b64> v1,<b64>") is the v1 signature of id, timestamp and body.
// Compared in constant time; entries of other versions are skipped.
bool Verify(const WebhookKey& key, std::string_view id, int64_t timestamp_s, std::string_view body,
            std::string_view header);

}  // namespace noj::callbacks

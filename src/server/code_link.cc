#include "server/code_link.h"

#include <charconv>

#include "common/crypto.h"

namespace noj::server {

std::string SignCodeLink(const std::string& key, const std::string& submission_id,
                         int64_t expires_s) {
  return crypto::HmacSha256Hex(key, "code:" + submission_id + ":" + std::to_string(expires_s));
}

std::string MakeCodeUrl(const std::string& public_url, const std::string& key,
                        const std::string& submission_id, int64_t expires_s) {
  return public_url + "/code/" + submission_id + "?expires=" + std::to_string(expires_s) +
         "&sig=" + SignCodeLink(key, submission_id, expires_s);
}

bool VerifyCodeLink(const std::string& key, const std::string& submission_id,
                    const std::string& expires, const std::string& sig, int64_t now_s) {
  int64_t e = 0;
  auto [p, ec] = std::from_chars(expires.data(), expires.data() + expires.size(), e);
  if (ec != std::errc() || p != expires.data() + expires.size()) return false;
  if (!crypto::ConstantTimeEquals(SignCodeLink(key, submission_id, e), sig)) return false;
  return now_s < e;
}

}  // namespace noj::server

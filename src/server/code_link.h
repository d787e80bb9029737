#pragma once
// Signed, expiring links to a submission's code zip: /code/{sid}?expires=<epoch s>&sig=<hmac>.

#include <cstdint>
#include <string>

namespace noj::server {

std::string SignCodeLink(const std::string& key, const std::string& submission_id,
                         int64_t expires_s);
std::string MakeCodeUrl(const std::string& public_url, const std::string& key,
                        const std::string& submission_id, int64_t expires_s);
// True when `sig` is the signature of (submission_id, expires) and now_s < expires.
bool VerifyCodeLink(const std::string& key, const std::string& submission_id,
                    const std::string& expires, const std::string& sig, int64_t now_s);

}  // namespace noj::server

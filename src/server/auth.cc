#include "server/auth.h"

#include "common/crypto.h"
#include "common/ids.h"

namespace noj::server {
namespace {

constexpr size_t kMaxTokenLength = 512;

bool LooksLikeToken(const std::string& t) {
  if (t.empty() || t.size() > kMaxTokenLength) return false;
  for (unsigned char c : t)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

}  // namespace

std::optional<std::string> BearerToken(const Request& req) {
  const std::string* h = req.Header("authorization");
  if (h == nullptr) return std::nullopt;
  static constexpr std::string_view kPrefix = "Bearer ";
  if (h->size() <= kPrefix.size()) return std::nullopt;
  for (size_t i = 0; i < kPrefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>((*h)[i])) !=
        std::tolower(static_cast<unsigned char>(kPrefix[i])))
      return std::nullopt;
  std::string token = h->substr(kPrefix.size());
  while (!token.empty() && token.back() == ' ') token.pop_back();
  if (!LooksLikeToken(token)) return std::nullopt;
  return token;
}

Status AuthenticateRunner(ServerContext& ctx, const Request& req, const std::string& runner_id,
                          api::RunnerCapabilities* capabilities) {
  std::optional<std::string> token = BearerToken(req);
  if (!token) return UnauthenticatedError("missing or malformed Authorization header");
  if (!ids::IsRunnerId(runner_id)) return UnauthenticatedError("invalid runner token");
  int64_t now = ctx.clock.NowMs();
  std::string digest = crypto::Sha256Hex(*token);
  if (auto cached = ctx.auth_cache.Verified(runner_id, digest, now)) {
    if (capabilities != nullptr) *capabilities = std::move(*cached);
    return Status::Ok();
  }
  auto runner = ctx.store.GetRunner(runner_id, now);
  if (!runner.ok()) {
    if (runner.status().code() == ErrorCode::kNotFound)
      return UnauthenticatedError("invalid runner token");
    return runner.status();
  }
  if (!crypto::ConstantTimeEquals(digest, runner->token_sha256))
    return UnauthenticatedError("invalid runner token");
  ctx.auth_cache.Remember(runner_id, digest, runner->expires_at, runner->capabilities, now);
  if (capabilities != nullptr) *capabilities = std::move(runner->capabilities);
  return Status::Ok();
}

Status AuthenticateClient(const ServerContext& ctx, const Request& req) {
  std::optional<std::string> token = BearerToken(req);
  if (!token) return UnauthenticatedError("missing or malformed Authorization header");
  // Compare digests so the comparison does not depend on the length of the secret.
  if (!crypto::ConstantTimeEquals(crypto::Sha256Hex(*token),
                                  crypto::Sha256Hex(ctx.secrets.api_token)))
    return UnauthenticatedError("invalid API token");
  return Status::Ok();
}

Status AuthenticateTestdata(ServerContext& ctx, const Request& req) {
  std::optional<std::string> token;
  if (const std::string* q = req.Query("token"); q != nullptr && LooksLikeToken(*q))
    token = *q;
  else
    token = BearerToken(req);
  if (!token) return UnauthenticatedError("missing or malformed token");
  std::string digest = crypto::Sha256Hex(*token);
  if (!ctx.secrets.sandbox_token.empty() &&
      crypto::ConstantTimeEquals(digest, crypto::Sha256Hex(ctx.secrets.sandbox_token)))
    return Status::Ok();
  if (token->rfind("rk_", 0) != 0) return UnauthenticatedError("invalid token");
  auto runner = ctx.store.GetRunnerByTokenHash(digest, ctx.clock.NowMs());
  if (!runner.ok()) {
    if (runner.status().code() == ErrorCode::kNotFound)
      return UnauthenticatedError("invalid token");
    return runner.status();
  }
  return Status::Ok();
}

}  // namespace noj::server

#pragma once
// Authentication of the three kinds of caller: runners (rk_ tokens, per runner id), the client API
// (the API token), and testdata downloads (any runner's token, or the legacy sandbox token).
// Tokens are compared as SHA-256 in constant time; hostile values give kUnauthenticated, never
// more.

#include <optional>
#include <string>

#include "common/status.h"
#include "server/context.h"
#include "server/http/message.h"

namespace noj::server {

// The token of "Authorization: Bearer <token>"; nullopt when missing or malformed.
std::optional<std::string> BearerToken(const Request& req);

// OK when the bearer token belongs to `runner_id`; `capabilities`, when given, receives what the
// runner declared it can do (judging.md §5).
// kUnauthenticated "missing or malformed Authorization header" / "invalid runner token".
Status AuthenticateRunner(ServerContext& ctx, const Request& req, const std::string& runner_id,
                          api::RunnerCapabilities* capabilities = nullptr);

// OK when the bearer token is the API token. kUnauthenticated otherwise.
Status AuthenticateClient(const ServerContext& ctx, const Request& req);

// Token from ?token= or Bearer: a registered runner's token or the legacy sandbox token.
Status AuthenticateTestdata(ServerContext& ctx, const Request& req);

}  // namespace noj::server

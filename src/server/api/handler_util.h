#pragma once
// Small parsing helpers shared by the handlers: JSON bodies with content-type checks, ids, ?wait=.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "common/status.h"
#include "server/http/message.h"

namespace noj::server {

// 415 check then parse. An empty body is `{}` when allow_empty. kInvalidArgument when malformed,
// kResourceExhausted is never returned here (the HTTP layer enforces the body limit).
// Returns an HTTP status hint in `http_status` (400 or 415) on failure.
Result<boost::json::object> ParseJsonBody(const Request& req, bool allow_empty, int& http_status);

// A positive decimal problem id ("42"); nullopt for anything else ("0", "-1", "4x", "../").
std::optional<int64_t> ParseProblemId(const std::string& s);

// A non-negative decimal int within [lo, hi]; nullopt otherwise.
std::optional<int64_t> ParseIntInRange(const std::string& s, int64_t lo, int64_t hi);

// ?wait=N within [0, 30]; 0 when absent. kInvalidArgument otherwise.
Result<int64_t> ParseWaitSeconds(const Request& req);

}  // namespace noj::server

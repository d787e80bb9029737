#pragma once
// Opaque identifiers of the protocol: prefix + ULID (Crockford base32, time-ordered),
// and runner tokens: "rk_" + 43 url-safe chars (256 random bits).

#include <cstdint>
#include <string>
#include <string_view>

namespace noj::ids {

// 26-char ULID for the given epoch milliseconds (80 random bits).
std::string Ulid(int64_t now_ms);

std::string NewRunnerId(int64_t now_ms);      // rn_…
std::string NewJobId(int64_t now_ms);         // jb_…
std::string NewSubmissionId(int64_t now_ms);  // sn_…
std::string NewRunnerToken();                 // rk_… (shown once, stored as SHA-256)
std::string NewSecret();                      // 43 url-safe chars, for generated API/registration tokens

// True if `id` is `prefix` followed by a well-formed ULID. Used to reject path tricks early.
bool IsWellFormed(std::string_view id, std::string_view prefix);
inline bool IsRunnerId(std::string_view id) { return IsWellFormed(id, "rn_"); }
inline bool IsJobId(std::string_view id) { return IsWellFormed(id, "jb_"); }
inline bool IsSubmissionId(std::string_view id) { return IsWellFormed(id, "sn_"); }

}  // namespace noj::ids

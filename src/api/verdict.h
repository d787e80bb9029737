#pragma once
// Verdict codes of protocol.md §3. Ordered so that "worse" has the larger code (max = aggregate).

#include <optional>
#include <string_view>

namespace noj::api {

enum class Verdict : int {
  kNoCode = -2,
  kPending = -1,
  kAC = 0,
  kWA = 1,
  kCE = 2,
  kTLE = 3,
  kMLE = 4,
  kRE = 5,
  kJE = 6,
  kOLE = 7,
};

inline int VerdictCode(Verdict v) { return static_cast<int>(v); }
// The status of a submission with no final result yet, as the wire carries it (-1).
inline constexpr int kPendingCode = static_cast<int>(Verdict::kPending);

// "AC", "WA", … for the eight final verdicts; "PENDING" / "NO_CODE" for the others.
std::string_view VerdictName(Verdict v);

// Parses the eight status strings of a case result ("AC" … "OLE"); nullopt for anything else.
std::optional<Verdict> ParseCaseVerdict(std::string_view s);

// From a code in [-2, 7]; nullopt otherwise.
std::optional<Verdict> VerdictFromCode(int code);

}  // namespace noj::api

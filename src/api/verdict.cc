#include "api/verdict.h"

#include <array>
#include <utility>

namespace noj::api {
namespace {

constexpr std::array<std::pair<std::string_view, Verdict>, 8> kCaseVerdicts = {{
    {"AC", Verdict::kAC},
    {"WA", Verdict::kWA},
    {"CE", Verdict::kCE},
    {"TLE", Verdict::kTLE},
    {"MLE", Verdict::kMLE},
    {"RE", Verdict::kRE},
    {"JE", Verdict::kJE},
    {"OLE", Verdict::kOLE},
}};

}  // namespace

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kNoCode:
      return "NO_CODE";
    case Verdict::kPending:
      return "PENDING";
    default:
      break;
  }
  for (const auto& [name, verdict] : kCaseVerdicts)
    if (verdict == v) return name;
  return "UNKNOWN";  // only reachable through a cast from an out-of-range int
}

std::optional<Verdict> ParseCaseVerdict(std::string_view s) {
  for (const auto& [name, verdict] : kCaseVerdicts)
    if (name == s) return verdict;
  return std::nullopt;
}

std::optional<Verdict> VerdictFromCode(int code) {
  if (code < VerdictCode(Verdict::kNoCode) || code > VerdictCode(Verdict::kOLE))
    return std::nullopt;
  return static_cast<Verdict>(code);
}

}  // namespace noj::api

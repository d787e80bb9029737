#include "cli/format.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>

#include "api/job_payload.h"
#include "api/requirements.h"

namespace noj::cli {
namespace {

constexpr std::array<const char*, 10> kVerdicts = {"NO_CODE", "PENDING", "AC", "WA", "CE",
                                                   "TLE",     "MLE",     "RE", "JE", "OLE"};

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string OneDecimal(double v, const char* unit) {
  char buf[64];
  std::snprintf(buf, sizeof buf, v < 10 ? "%.2f %s" : "%.1f %s", v, unit);
  return buf;
}

}  // namespace

std::string VerdictText(int64_t code) {
  if (code < -2 || code > 7) return "?(" + std::to_string(code) + ")";
  return kVerdicts[static_cast<size_t>(code + 2)];
}

std::optional<int> ParseVerdict(std::string_view text) {
  std::string lower = Lower(text);
  for (size_t i = 0; i < kVerdicts.size(); ++i)
    if (lower == Lower(kVerdicts[i])) return static_cast<int>(i) - 2;
  int v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec == std::errc() && p == text.data() + text.size() && v >= -2 && v <= 7) return v;
  return std::nullopt;
}

std::string LanguageText(int64_t code) {
  const char* name = code >= 0 && code <= api::kMaxLanguageCode
                         ? api::BuiltinLanguageName(static_cast<int>(code))
                         : nullptr;
  return name != nullptr ? name : "?(" + std::to_string(code) + ")";
}

std::optional<int> ParseLanguage(std::string_view text) {
  std::string l = Lower(text);
  if (l == "c") return 0;
  if (l == "cpp" || l == "c++" || l == "cc" || l == "cxx") return 1;
  if (l == "py" || l == "python" || l == "python3") return 2;
  // The shipped languages file's keys (config/languages.toml).
  if (l == "cpp20" || l == "c++20") return 4;
  if (l == "java") return 5;
  if (l == "rust" || l == "rs") return 6;
  if (l == "go") return 7;
  if (l == "pypy" || l == "pypy3") return 8;
  if (l == "javascript" || l == "js" || l == "node") return 9;
  // Any code a runner's languages file may define (judging.md §5).
  int v = 0;
  auto [p, ec] = std::from_chars(l.data(), l.data() + l.size(), v);
  if (ec == std::errc() && p == l.data() + l.size() && api::IsValidLanguage(v)) return v;
  return std::nullopt;
}

std::optional<int> LanguageFromPath(std::string_view path) {
  size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || path.find('/', dot) != std::string_view::npos)
    return std::nullopt;
  std::string_view ext = path.substr(dot + 1);
  if (ext == "c") return 0;
  if (ext == "C") return 1;
  std::string l = Lower(ext);
  if (l == "cc" || l == "cpp" || l == "cxx" || l == "c++") return 1;
  if (l == "py") return 2;
  if (l == "java") return 5;
  if (l == "rs") return 6;
  if (l == "go") return 7;
  if (l == "js") return 9;
  return std::nullopt;
}

std::string FormatMs(int64_t ms) {
  if (ms < 1000) return std::to_string(ms) + " ms";
  return OneDecimal(static_cast<double>(ms) / 1000.0, "s");
}

std::string FormatKiB(int64_t kib) {
  if (kib < 10 * 1024) return std::to_string(kib) + " KiB";
  if (kib < 10 * 1024 * 1024) return OneDecimal(static_cast<double>(kib) / 1024.0, "MiB");
  return OneDecimal(static_cast<double>(kib) / (1024.0 * 1024.0), "GiB");
}

std::string FormatAgo(int64_t now_ms, int64_t then_ms) {
  if (then_ms <= 0) return "-";
  int64_t s = std::max<int64_t>(0, now_ms - then_ms) / 1000;
  if (s < 120) return std::to_string(s) + "s ago";
  if (s < 120 * 60) return std::to_string(s / 60) + "m ago";
  if (s < 48 * 3600) return std::to_string(s / 3600) + "h ago";
  return std::to_string(s / 86400) + "d ago";
}

int64_t WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace noj::cli

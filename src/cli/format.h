#pragma once
// How nojctl shows the server's values: verdicts, languages, durations, sizes, ages.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace noj::cli {

// "AC", "WA", … "PENDING", "NO_CODE"; "?(n)" for a code outside the protocol.
std::string VerdictText(int64_t code);
// Accepts a verdict name (any case) or a code from -2 to 7.
std::optional<int> ParseVerdict(std::string_view text);

// 0 → "C", 1 → "C++", 2 → "Python 3", the shipped codes' names (5 → "Java"), else "?(N)".
std::string LanguageText(int64_t code);
// "c", "cpp"/"c++"/"cc", "py"/"python"/"python3" → 0, 1, 2; the shipped languages file's keys
// ("cpp20" 4, "java" 5, "rust" 6, "go" 7, "pypy3" 8, "javascript"/"js" 9); or any valid code
// as a number (0..63 but 3).
std::optional<int> ParseLanguage(std::string_view text);
// By file extension: .c → 0; .cc/.cpp/.cxx/.C → 1; .py → 2 (CPython, never PyPy); .java → 5;
// .rs → 6; .go → 7; .js → 9.
std::optional<int> LanguageFromPath(std::string_view path);

std::string FormatMs(int64_t ms);    // "12 ms", "1.25 s"
std::string FormatKiB(int64_t kib);  // "812 KiB", "12.3 MiB"
// "5s ago", "3m ago", "2h ago", "4d ago"; "-" when `then_ms` is 0 or absent.
std::string FormatAgo(int64_t now_ms, int64_t then_ms);

int64_t WallClockMs();

}  // namespace noj::cli

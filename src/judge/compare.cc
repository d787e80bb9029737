#include "judge/compare.h"

namespace noj::judge {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

// Strips trailing whitespace and line breaks: the same as stripping every line and then
// dropping the trailing empty lines.
std::string_view StripEnd(std::string_view s) {
  while (!s.empty() && (IsSpace(s.back()) || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::string_view StripLineEnd(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Pops the next line (without its '\n') off `rest`.
std::string_view NextLine(std::string_view& rest) {
  size_t nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  return line;
}

}  // namespace

bool OutputsMatch(std::string_view expected, std::string_view actual) {
  // After StripEnd, an empty text has no lines and a non-empty one ends with a non-empty line,
  // so both sides run out of lines at the same time exactly when they hold as many lines.
  std::string_view a = StripEnd(expected);
  std::string_view b = StripEnd(actual);
  while (!a.empty() && !b.empty()) {
    if (StripLineEnd(NextLine(a)) != StripLineEnd(NextLine(b))) return false;
  }
  return a.empty() && b.empty();
}

}  // namespace noj::judge

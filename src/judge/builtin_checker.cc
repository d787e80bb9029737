#include "judge/builtin_checker.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

#include "judge/compare.h"

namespace noj::judge {
namespace {

bool IsTokenSeparator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

// Hands out the tokens of a text one by one, without copying.
class Tokens {
 public:
  explicit Tokens(std::string_view text) : rest_(text) {}
  // False at the end.
  bool Next(std::string_view* token) {
    size_t i = 0;
    while (i < rest_.size() && IsTokenSeparator(rest_[i])) ++i;
    size_t j = i;
    while (j < rest_.size() && !IsTokenSeparator(rest_[j])) ++j;
    *token = rest_.substr(i, j - i);
    rest_.remove_prefix(j);
    return !token->empty();
  }

 private:
  std::string_view rest_;
};

std::string Ordinal(size_t n) {
  const char* suffix = "th";
  if (n % 100 < 11 || n % 100 > 13) {
    if (n % 10 == 1) suffix = "st";
    if (n % 10 == 2) suffix = "nd";
    if (n % 10 == 3) suffix = "rd";
  }
  return std::to_string(n) + suffix;
}

std::string Quote(std::string_view token) {
  constexpr size_t kMax = 32;
  if (token.size() <= kMax) return "'" + std::string(token) + "'";
  return "'" + std::string(token.substr(0, kMax)) + "...'";
}

bool DigitsAt(std::string_view s, size_t& i) {
  size_t start = i;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  return i > start;
}

// The grammar only: from_chars would also take "inf", "nan" and hex digits after "0x".
bool IsDecimalNumber(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  bool int_part = DigitsAt(s, i);
  bool frac_part = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    frac_part = DigitsAt(s, i);
  }
  if (!int_part && !frac_part) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!DigitsAt(s, i)) return false;
  }
  return i == s.size();
}

// Roughly log10 of the value of a decimal number the grammar accepted (sign stripped): enough
// to tell an overflow from an underflow when from_chars reports the range exceeded.
int64_t DecimalMagnitude(std::string_view s) {
  size_t e = s.find_first_of("eE");
  std::string_view mantissa = s.substr(0, e);
  int64_t exponent = 0;
  if (e != std::string_view::npos) {
    std::string_view x = s.substr(e + 1);
    bool negative = !x.empty() && x.front() == '-';
    if (!x.empty() && (x.front() == '+' || x.front() == '-')) x.remove_prefix(1);
    for (char c : x) exponent = std::min<int64_t>(exponent * 10 + (c - '0'), int64_t{1} << 40);
    if (negative) exponent = -exponent;
  }
  size_t dot = mantissa.find('.');
  std::string_view int_part = mantissa.substr(0, dot);
  size_t first = int_part.find_first_not_of('0');
  if (first != std::string_view::npos) {
    return exponent + static_cast<int64_t>(int_part.size() - first) - 1;
  }
  std::string_view frac = dot == std::string_view::npos ? "" : mantissa.substr(dot + 1);
  size_t nonzero = frac.find_first_not_of('0');
  if (nonzero == std::string_view::npos) return 0;  // zero
  return exponent - static_cast<int64_t>(nonzero) - 1;
}

bool NumbersClose(double expected, double actual, CheckerTolerance t) {
  double diff = std::fabs(actual - expected);
  return diff <= t.abs || diff <= t.rel * std::fabs(expected);
}

bool TokensMatch(BuiltinChecker checker, CheckerTolerance t, std::string_view expected,
                 std::string_view actual) {
  if (checker == BuiltinChecker::kFloat) {
    double e = 0, a = 0;
    if (ParseFiniteNumber(expected, &e) && ParseFiniteNumber(actual, &a)) {
      return NumbersClose(e, a, t);
    }
  }
  return expected == actual;
}

CheckVerdict CompareTokens(BuiltinChecker checker, CheckerTolerance t, std::string_view expected,
                           std::string_view actual) {
  Tokens want(expected), got(actual);
  std::string_view w, g;
  size_t n = 0;
  for (;;) {
    bool more_w = want.Next(&w);
    bool more_g = got.Next(&g);
    if (!more_w && !more_g) return {true, "ok " + std::to_string(n) + " tokens"};
    ++n;
    if (!more_g) {
      return {false, "wrong answer unexpected end of output: expected " + Ordinal(n) + " token " +
                         Quote(w)};
    }
    if (!more_w) {
      return {false, "wrong answer extra output: " + Ordinal(n) + " token " + Quote(g)};
    }
    if (!TokensMatch(checker, t, w, g)) {
      return {false, "wrong answer " + Ordinal(n) + " token: expected " + Quote(w) + ", found " +
                         Quote(g)};
    }
  }
}

}  // namespace

bool ParseFiniteNumber(std::string_view token, double* value) {
  if (!IsDecimalNumber(token)) return false;
  std::string_view digits = token;
  bool negative = false;
  if (digits.front() == '+' || digits.front() == '-') {
    negative = digits.front() == '-';
    digits.remove_prefix(1);  // from_chars takes no '+', and "-" only before digits
  }
  double v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (ec == std::errc::result_out_of_range) {
    // Too large for a double is no finite number; too small is zero.
    if (DecimalMagnitude(digits) > 0) return false;
    v = 0;
  } else if (ec != std::errc() || end != digits.data() + digits.size()) {
    return false;
  }
  if (!std::isfinite(v)) return false;
  *value = negative ? -v : v;
  return true;
}

CheckVerdict Check(BuiltinChecker checker, CheckerTolerance tolerance, std::string_view expected,
                   std::string_view actual) {
  switch (checker) {
    case BuiltinChecker::kDefault:
      if (OutputsMatch(expected, actual)) return {true, "ok"};
      return {false, "wrong answer output differs (trailing whitespace ignored)"};
    case BuiltinChecker::kExact:
      if (expected == actual) return {true, "ok " + std::to_string(actual.size()) + " bytes"};
      for (size_t i = 0; i < std::min(expected.size(), actual.size()); ++i) {
        if (expected[i] != actual[i]) {
          return {false, "wrong answer differs at byte " + std::to_string(i + 1)};
        }
      }
      return {false, expected.size() < actual.size()
                         ? "wrong answer extra output after byte " + std::to_string(expected.size())
                         : "wrong answer output ends at byte " + std::to_string(actual.size())};
    case BuiltinChecker::kTokens:
    case BuiltinChecker::kFloat:
      return CompareTokens(checker, tolerance, expected, actual);
  }
  return {false, "unknown checker"};
}

}  // namespace noj::judge

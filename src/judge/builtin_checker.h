#pragma once
// The built-in checkers of judging.md §2: how a program's output is compared with the expected
// one when the problem ships no checker of its own. Pure functions over the two texts.
//
//   default  protocol.md §3: trailing whitespace of each line and trailing blank lines ignored
//   exact    byte for byte
//   tokens   whitespace-separated tokens equal, case-sensitive (space, \t, \n, \v, \f, \r)
//   float    tokens; two that both parse as finite decimal numbers match when
//            |a - b| <= abs or |a - b| <= rel * |b| (b expected); any other pair must be equal
//            text, so nan/inf (or a number too large for a double) never match a finite number

#include <string>
#include <string_view>

namespace noj::judge {

enum class BuiltinChecker { kDefault, kExact, kTokens, kFloat };

struct CheckerTolerance {
  double abs = 0;  // >= 0
  double rel = 0;  // >= 0
};

struct CheckVerdict {
  bool accepted = false;
  // testlib-like, for the case's message: "ok 3 tokens", "wrong answer 2nd token: expected
  // '3', found '4'". Tokens quoted in it are cut to 32 bytes.
  std::string message;
};

CheckVerdict Check(BuiltinChecker checker, CheckerTolerance tolerance, std::string_view expected,
                   std::string_view actual);

// The whole token as a finite decimal number ([+-]digits[.digits][e[+-]digits], or .digits):
// false for anything else (hex, "inf", "nan", "1e999", "3abc", "1,5").
bool ParseFiniteNumber(std::string_view token, double* value);

}  // namespace noj::judge

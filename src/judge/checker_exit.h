#pragma once
// What a custom checker's or an interactor's end means (judging.md §3, testlib's exit statuses):
//   0 → AC · 1 → WA · 2 → WA (presentation error) · 8 → WA (unexpected end of file)
//   7 → points p from stderr ("points <p> …", else the first number on it), p in [0, 1]:
//       AC when p = 1, else WA with points p; p missing or outside [0, 1] → JE
//   3 → JE (the checker says the test data is wrong) · anything else, a signal, a limit → JE
// The message is the checker's stderr, cut to its first 1 KiB on a UTF-8 boundary (invalid
// sequences replaced), so it can be stored and shown.

#include <cstddef>
#include <string>
#include <string_view>

namespace noj::judge {

inline constexpr size_t kCheckerMessageBytes = 1024;

enum class CheckerJudgement { kAccepted, kWrongAnswer, kJudgeError };

struct CheckerOutcome {
  CheckerJudgement judgement = CheckerJudgement::kJudgeError;
  double points = 0;    // 1 for AC, 0 for WA and JE, p for a partial WA
  std::string message;  // the cut stderr; for JE without stderr, why ("checker killed by signal 9")
};

struct CheckerEnd {
  bool exited = false;  // false: killed by a signal or stopped by a limit
  int exit_code = 0;    // when exited
  std::string why_not;  // when !exited: "time limit", "signal 9", … (for the JE message)
};

CheckerOutcome InterpretCheckerEnd(const CheckerEnd& end, std::string_view stderr_text);

// `text` cut to at most `max_bytes`, invalid UTF-8 replaced by U+FFFD, never splitting a sequence.
std::string CleanMessage(std::string_view text, size_t max_bytes = kCheckerMessageBytes);

}  // namespace noj::judge

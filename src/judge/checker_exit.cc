#include "judge/checker_exit.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <string>

namespace noj::judge {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitWrongAnswer = 1;
constexpr int kExitPresentationError = 2;
constexpr int kExitFail = 3;
constexpr int kExitPoints = 7;
constexpr int kExitUnexpectedEof = 8;

// The first decimal number in `text` at or after `from`, as strtod reads it (no hex, inf, nan).
std::optional<double> FirstNumber(std::string_view text, size_t from) {
  for (size_t i = from; i < text.size(); ++i) {
    const char c = text[i];
    const bool starts =
        std::isdigit(static_cast<unsigned char>(c)) ||
        ((c == '-' || c == '+' || c == '.') && i + 1 < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '.'));
    if (!starts) continue;
    size_t j = i;
    if (text[j] == '-' || text[j] == '+') ++j;
    while (j < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == '.' || text[j] == 'e' ||
            text[j] == 'E' ||
            ((text[j] == '-' || text[j] == '+') && (text[j - 1] == 'e' || text[j - 1] == 'E'))))
      ++j;
    std::string token(text.substr(i, j - i));
    char* end = nullptr;
    double value = std::strtod(token.c_str(), &end);
    if (end != token.c_str()) return value;
  }
  return std::nullopt;
}

// testlib's quitp writes "points <p> <message>"; a checker may also just print the number.
std::optional<double> PointsOf(std::string_view text) {
  size_t start = text.find_first_not_of(" \t\r\n");
  if (start != std::string_view::npos && text.substr(start).starts_with("points"))
    return FirstNumber(text, start + 6);
  return FirstNumber(text, 0);
}

CheckerOutcome JudgeError(std::string message) {
  return CheckerOutcome{CheckerJudgement::kJudgeError, 0, std::move(message)};
}

}  // namespace

std::string CleanMessage(std::string_view text, size_t max_bytes) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    bool valid = len > 0 && i + len <= text.size();
    for (size_t k = 1; valid && k < len; ++k)
      valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (valid && len == 2) valid = c >= 0xC2;
    if (valid && len == 3) {
      const unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
      valid = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
    }
    if (valid && len == 4) {
      const unsigned char c1 = static_cast<unsigned char>(text[i + 1]);
      valid = c <= 0xF4 && !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    std::string_view piece = valid ? text.substr(i, len) : std::string_view("\xEF\xBF\xBD");
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
    i += valid ? len : 1;
  }
  return out;
}

CheckerOutcome InterpretCheckerEnd(const CheckerEnd& end, std::string_view stderr_text) {
  std::string message = CleanMessage(stderr_text);
  if (!end.exited)
    return JudgeError(message.empty() ? "checker did not finish: " + end.why_not
                                      : std::move(message));
  switch (end.exit_code) {
    case kExitOk:
      return CheckerOutcome{CheckerJudgement::kAccepted, 1, std::move(message)};
    case kExitWrongAnswer:
    case kExitPresentationError:
    case kExitUnexpectedEof:
      return CheckerOutcome{CheckerJudgement::kWrongAnswer, 0, std::move(message)};
    case kExitPoints: {
      std::optional<double> p = PointsOf(stderr_text);
      if (!p || !std::isfinite(*p) || *p < 0 || *p > 1)
        return JudgeError("checker gave points outside [0, 1]: " + message);
      if (*p == 1) return CheckerOutcome{CheckerJudgement::kAccepted, 1, std::move(message)};
      return CheckerOutcome{CheckerJudgement::kWrongAnswer, *p, std::move(message)};
    }
    case kExitFail:
      return JudgeError(message.empty() ? "checker failed (exit status 3)" : std::move(message));
    default:
      return JudgeError(message.empty()
                            ? "checker exited with status " + std::to_string(end.exit_code)
                            : "checker exited with status " + std::to_string(end.exit_code) + ": " +
                                  message);
  }
}

}  // namespace noj::judge

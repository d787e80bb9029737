#include "runner/result_builder.h"

#include "judge/checker_exit.h"

namespace noj::runner {
namespace {

using api::Verdict;
using SV = sandbox::Verdict;

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is invalid there.
size_t ValidSequenceLength(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
  if (c >= 0xF5) n = 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  unsigned char c1 = b(i + 1);
  if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
  if (c == 0xED && c1 > 0x9F) return 0;  // surrogates
  if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
  if (c == 0xF4 && c1 > 0x8F) return 0;  // above U+10FFFF
  return n;
}

}  // namespace

std::string CutUtf8(std::string_view s, size_t max_bytes) {
  static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
  s = s.substr(0, max_bytes);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = ValidSequenceLength(s, i);
    std::string_view piece = n == 0 ? kReplacement : s.substr(i, n);
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
    i += n == 0 ? 1 : n;
  }
  return out;
}

int ProgramExitCode(const sandbox::RunResult& run) {
  return run.signal != 0 ? 128 + run.signal : run.exit_code;
}

std::optional<Verdict> RunVerdict(const sandbox::RunResult& run) {
  switch (run.verdict) {
    case SV::kOk:
      if (run.exit_code != 0 || run.signal != 0) return Verdict::kRE;
      return std::nullopt;
    case SV::kRe:
      return Verdict::kRE;
    case SV::kTle:
      return Verdict::kTLE;
    case SV::kMle:
      return Verdict::kMLE;
    case SV::kOle:
      return Verdict::kOLE;
    case SV::kSe:
      return Verdict::kJE;
  }
  return Verdict::kJE;
}

api::CaseResult BuildCaseResult(const sandbox::RunResult& run, std::string_view actual_stdout,
                                std::string_view actual_stderr, size_t max_output_bytes) {
  api::CaseResult c;
  c.status = RunVerdict(run).value_or(Verdict::kAC);
  c.exit_code = ProgramExitCode(run);
  c.exec_time_ms = run.cpu_ms;
  c.memory_kib = run.memory_kib;
  c.wall_time_ms = run.wall_ms;
  c.stdout_text = CutUtf8(actual_stdout, max_output_bytes);
  // A program that could not even start (RE) says why in `error`.
  c.stderr_text = c.status == Verdict::kJE
                      ? CutUtf8("sandbox error: " + run.error, max_output_bytes)
                  : run.error.empty()
                      ? CutUtf8(actual_stderr, max_output_bytes)
                      : CutUtf8(std::string(actual_stderr) + run.error + "\n", max_output_bytes);
  return c;
}

api::ReportedCases UniformResult(const api::TaskSpecs& tasks, Verdict verdict,
                                 std::string_view message, size_t max_output_bytes,
                                 std::string_view case_message) {
  api::CaseResult c;
  c.status = verdict;
  c.stderr_text = CutUtf8(message, max_output_bytes);
  c.message = judge::CleanMessage(case_message);
  api::ReportedCases out;
  for (const auto& t : tasks) out.emplace_back(static_cast<size_t>(std::max(0, t.case_count)), c);
  return out;
}

}  // namespace noj::runner

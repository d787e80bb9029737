#pragma once
// Judging what a program that ended normally left behind (judging.md §1–§3): its stdout against
// the expected stdout, and for ContextIO every file of the case's out/ against the file of the
// same name in its working directory (a missing file is WA), each with the problem's checker —
// a built-in one (judge::Check) or the custom one (RunChecker). The texts are judged in that
// order (stdout, then out/ by name); the first that is not accepted decides the case.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stop_token>
#include <string>

#include "api/problem_meta.h"
#include "api/verdict.h"
#include "common/status.h"
#include "judge/checker_exit.h"
#include "runner/case_executor.h"
#include "runner/checker_run.h"
#include "runner/package_layout.h"
#include "runner/tool_cache.h"

namespace noj::runner {

struct OutputJudgement {
  api::Verdict verdict = api::Verdict::kAC;  // kAC, kWA or kJE
  std::optional<double> points;              // a checker's partial points (a WA with 0 < p < 1)
  // Built-in checkers: why it is WA ("wrong answer 2nd token: …"), nothing for AC. A custom
  // checker: its message, AC included. Files other than stdout are named ("out/a.txt: …").
  std::string message;
};

class OutputChecker {
 public:
  // `custom`: the compiled checker when spec.kind is kCustom (else unused; may be null).
  // `max_output_bytes`: the output limit; larger output was OLE already and is never read.
  OutputChecker(const api::CheckerSpec& spec, CaseExecutor& executor, const CompiledTool* custom,
                CheckerRunContext ctx, int64_t max_output_bytes);

  // One text: `actual` against `answer` for the case whose input is `input` (the built-in
  // checkers ignore it). kInternal when a file cannot be read, kAborted when stopped.
  Result<judge::CheckerOutcome> CheckOne(const std::filesystem::path& input,
                                         const std::filesystem::path& actual,
                                         const std::filesystem::path& answer,
                                         std::stop_token stop) const;

  // Every text of a case: `stdout_file`, then each file of files.out_dir against the file of
  // the same relative name below `collected` (what the program left in its working directory).
  Result<OutputJudgement> CheckCase(const CaseFiles& files,
                                    const std::filesystem::path& stdout_file,
                                    const std::filesystem::path& collected,
                                    std::stop_token stop) const;

 private:
  const api::CheckerSpec spec_;
  CaseExecutor& executor_;
  const CompiledTool* const custom_;
  const CheckerRunContext ctx_;
  const int64_t max_output_bytes_;
};

}  // namespace noj::runner

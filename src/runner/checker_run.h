#pragma once
// One run of a problem's custom checker (judging.md §3, testlib's conventions):
//   <checker> input output answer
// in a fresh scratch box of its own holding the checker's files and the three files, all
// read-only, under its own limits; its end is judged by judge::InterpretCheckerEnd (exit 0 AC,
// 1/2/8 WA, 7 points, 3 and anything else JE; a signal, a limit or a sandbox error JE).
// Reusable for an interactor's `tout` (input, tout, answer).

#include <cstdint>
#include <filesystem>
#include <stop_token>

#include "common/status.h"
#include "judge/checker_exit.h"
#include "runner/case_executor.h"
#include "runner/tool_cache.h"

namespace noj::runner {

// The checker's (and interactor's) limits: --checker-time-limit, --checker-memory-limit,
// --checker-max-processes.
struct ToolRunLimits {
  int64_t cpu_ms = 10000;
  int64_t memory_kib = 1 << 20;  // 1 GiB
  int64_t max_processes = 64;
  int64_t output_bytes = int64_t{64} << 20;  // its stdout and stderr files; also its /box size
};

struct CheckerRunContext {
  int box_id = -1;  // a box no other run uses meanwhile (the job's helper box)
  // A directory of this job for the checker's box dir and stdio files; emptied by every run.
  std::filesystem::path scratch;
  ToolRunLimits limits;
};

// The names of the three files in the checker's working directory (its argv).
inline constexpr char kCheckerInput[] = "input";
inline constexpr char kCheckerOutput[] = "output";
inline constexpr char kCheckerAnswer[] = "answer";

// How a checker's or interactor's run ended, for judge::InterpretCheckerEnd.
judge::CheckerEnd CheckerEndOf(const sandbox::RunResult& run);

// kAborted when stopped, kInternal for local disk trouble; everything the checker does is in
// the outcome.
Result<judge::CheckerOutcome> RunChecker(CaseExecutor& executor, const CompiledTool& checker,
                                         const std::filesystem::path& input,
                                         const std::filesystem::path& output,
                                         const std::filesystem::path& answer,
                                         const CheckerRunContext& ctx, std::stop_token stop);

}  // namespace noj::runner

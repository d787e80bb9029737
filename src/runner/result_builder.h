#pragma once
// From sandbox outcomes to the case results of protocol.md §2.4 / §3 and judging.md §6:
//   sandbox OK + exit 0 → the program ended normally: its output decides (output_checker.h);
//   OK + non-zero, or RE → RE; TLE → TLE; MLE → MLE; OLE → OLE; SE → JE.
// exitCode is the program's exit code (128 + signal when a signal ended it), execTime the CPU
// time in ms, memoryUsage the peak in KiB, wallTime the wall time in ms; stdout/stderr are cut to
// a configurable size.

#include <optional>
#include <string>
#include <string_view>

#include "api/results.h"
#include "api/task_spec.h"
#include "sandbox/run_result.h"

namespace noj::runner {

// The verdict the run alone decides; nullopt when the program ended normally (exit 0 within its
// limits), so its output is to be checked.
std::optional<api::Verdict> RunVerdict(const sandbox::RunResult& run);

// The program's exit code as reported: exit_code, or 128 + signal.
int ProgramExitCode(const sandbox::RunResult& run);

// One case, with status AC when the output is still to be checked (RunVerdict nullopt). For SE
// the stderr field carries the sandbox's error instead of the program's.
api::CaseResult BuildCaseResult(const sandbox::RunResult& run, std::string_view actual_stdout,
                                std::string_view actual_stderr, size_t max_output_bytes);

// Every case of every task with the same verdict and `message` in stderr (CE with the compiler's
// message, JE when the sandbox failed before any case ran); with `case_message` also as each
// case's message (cut to judge::kCheckerMessageBytes: a checker that did not compile).
api::ReportedCases UniformResult(const api::TaskSpecs& tasks, api::Verdict verdict,
                                 std::string_view message, size_t max_output_bytes,
                                 std::string_view case_message = "");

// At most `max_bytes` of valid UTF-8: invalid sequences become U+FFFD, a cut never splits a
// character (JSON bodies must be UTF-8, program output may be anything).
std::string CutUtf8(std::string_view s, size_t max_bytes);

}  // namespace noj::runner

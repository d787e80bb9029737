#pragma once
// From sandbox outcomes to the case results of protocol.md §2.4 / §3:
//   sandbox OK + exit 0 → compare with judge::OutputsMatch (AC / WA); OK + non-zero, or RE → RE;
//   TLE → TLE; MLE → MLE; OLE → OLE; SE → JE.
// exitCode is the program's exit code (128 + signal when a signal ended it), execTime the CPU
// time in ms, memoryUsage the peak in KiB; stdout/stderr are cut to a configurable size.

#include <string>
#include <string_view>

#include "api/results.h"
#include "api/task_spec.h"
#include "sandbox/run_result.h"

namespace noj::runner {

// The verdict of one case; `expected`/`actual` are only compared for a clean exit.
api::Verdict MapVerdict(const sandbox::RunResult& run, std::string_view expected,
                        std::string_view actual);

// The program's exit code as reported: exit_code, or 128 + signal.
int ProgramExitCode(const sandbox::RunResult& run);

// One case. For SE the stderr field carries the sandbox's error instead of the program's.
api::CaseResult BuildCaseResult(const sandbox::RunResult& run, std::string_view expected,
                                std::string_view actual_stdout, std::string_view actual_stderr,
                                size_t max_output_bytes);

// Every case of every task with the same verdict and `message` in stderr (CE with the compiler's
// message, JE when the sandbox failed before any case ran).
api::ReportedCases UniformResult(const api::TaskSpecs& tasks, api::Verdict verdict,
                                 std::string_view message, size_t max_output_bytes);

// At most `max_bytes` of valid UTF-8: invalid sequences become U+FFFD, a cut never splits a
// character (JSON bodies must be UTF-8, program output may be anything).
std::string CutUtf8(std::string_view s, size_t max_bytes);

}  // namespace noj::runner

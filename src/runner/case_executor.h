#pragma once
// CaseExecutor ("the box"): runs one command confined, the judge pipeline's only window on the
// sandbox. Production: SandboxProcessExecutor (execs noj-sandbox). Tests: a scripted fake.

#include <stop_token>
#include <utility>

#include "sandbox/run_request.h"
#include "sandbox/run_result.h"

namespace noj::runner {

class CaseExecutor {
 public:
  CaseExecutor() = default;
  CaseExecutor(const CaseExecutor&) = delete;
  CaseExecutor& operator=(const CaseExecutor&) = delete;
  virtual ~CaseExecutor() = default;

  // Runs request.argv in request.box_dir under request.limits, with the stdio paths given.
  // Never fails as a call: any trouble of the sandbox itself is Verdict::kSe with `error`.
  // A stop request ends the run promptly (kSe, error "cancelled"). Thread-safe for requests with
  // distinct box ids.
  virtual sandbox::RunResult Execute(const sandbox::RunRequest& request, std::stop_token stop) = 0;

  // Interactive problems (judging.md §4): runs `program` and `interactor` at the same time in two
  // boxes, the program's stdout piped to the interactor's stdin and the interactor's stdout to the
  // program's stdin (their own stdin_path / stdout_path are ignored). Returns {program,
  // interactor}. The default says the executor cannot do it (both kSe).
  virtual std::pair<sandbox::RunResult, sandbox::RunResult> ExecuteInteractive(
      const sandbox::RunRequest& program, const sandbox::RunRequest& interactor,
      std::stop_token stop) {
    (void)program;
    (void)interactor;
    (void)stop;
    return {sandbox::SandboxError("interactive runs are not supported by this executor"),
            sandbox::SandboxError("interactive runs are not supported by this executor")};
  }
};

}  // namespace noj::runner

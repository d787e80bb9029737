#pragma once
// CaseExecutor ("the box"): runs one command confined, the judge pipeline's only window on the
// sandbox. Production: SandboxProcessExecutor (execs noj-sandbox). Tests: a scripted fake.

#include <stop_token>

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
};

}  // namespace noj::runner

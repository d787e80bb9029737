#pragma once
// CaseExecutor that executes the noj-sandbox helper binary once per run: arguments from
// sandbox::BuildCommandLine, result from the one JSON line it prints (sandbox::ParseResultLine).
// Every run carries --require (fail closed when a protection is missing).

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"
#include "runner/case_executor.h"

namespace noj::runner {

class SandboxProcessExecutor final : public CaseExecutor {
 public:
  SandboxProcessExecutor(std::filesystem::path sandbox_path, std::vector<std::string> require);

  sandbox::RunResult Execute(const sandbox::RunRequest& request, std::stop_token stop) override;

  // `noj-sandbox --probe --require …` once at start: the protections line, or
  // kFailedPrecondition with the helper's explanation (missing protection, helper absent).
  Result<std::string> Probe();

 private:
  const std::filesystem::path sandbox_path_;
  const std::vector<std::string> require_;
};

}  // namespace noj::runner

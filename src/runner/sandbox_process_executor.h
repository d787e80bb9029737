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

  // Two noj-sandbox processes at once (their own box ids, namespaces, cgroups, limits), joined
  // by two pipes passed down as --stdin-fd/--stdout-fd; the runner closes its copies once both
  // are started, so each side sees EOF when the other box ends. REQUIRES: distinct box ids.
  std::pair<sandbox::RunResult, sandbox::RunResult> ExecuteInteractive(
      const sandbox::RunRequest& program, const sandbox::RunRequest& interactor,
      std::stop_token stop) override;

  // `noj-sandbox --probe --require …` once at start: the protections line, or
  // kFailedPrecondition with the helper's explanation (missing protection, helper absent).
  Result<std::string> Probe();

 private:
  struct Started;
  Result<Started> Start(sandbox::RunRequest request, const std::string& log_name,
                        std::vector<int> pass_fds);
  sandbox::RunResult Finish(Started& started, std::stop_token stop);

  const std::filesystem::path sandbox_path_;
  const std::vector<std::string> require_;
};

}  // namespace noj::runner

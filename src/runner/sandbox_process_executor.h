#pragma once
// CaseExecutor on the noj-sandbox helper binary: arguments from sandbox::BuildCommandLine,
// result from the one JSON line it prints (sandbox::ParseResultLine). Every run carries
// --require (fail closed when a protection is missing).
//
// With warm boxes (the default), a run in a scratch box goes to the box id's warm helper
// (`noj-sandbox --serve`, WarmBoxClient), started on the id's first run and kept across runs and
// jobs; the helper prepares each run's box ahead (docs/sandbox.md, "Warm boxes"). Interactive
// runs, and every run without warm boxes, execute the helper once per run.

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/thread_annotations.h"
#include "runner/case_executor.h"
#include "runner/warm_box_client.h"

namespace noj::runner {

class SandboxProcessExecutor final : public CaseExecutor {
 public:
  SandboxProcessExecutor(std::filesystem::path sandbox_path, std::vector<std::string> require,
                         bool warm_boxes = true);
  ~SandboxProcessExecutor() override;

  sandbox::RunResult Execute(const sandbox::RunRequest& request, std::stop_token stop) override;

  // Two noj-sandbox processes at once (their own box ids, namespaces, cgroups, limits), joined
  // by two pipes passed down as --stdin-fd/--stdout-fd; the runner closes its copies once both
  // are started, so each side sees EOF when the other box ends. REQUIRES: distinct box ids.
  std::pair<sandbox::RunResult, sandbox::RunResult> ExecuteInteractive(
      const sandbox::RunRequest& program, const sandbox::RunRequest& interactor,
      std::stop_token stop) override;

  // Starts the warm helpers of `box_ids` now (each builds its root while nobody waits), so the
  // first job's first case does not pay for it. No-op without warm boxes; a helper that cannot
  // start is started again by its first run.
  void StartWarmBoxes(const std::vector<int>& box_ids);

  // `noj-sandbox --probe --require …` once at start: the protections line, or
  // kFailedPrecondition with the helper's explanation (missing protection, helper absent).
  Result<std::string> Probe();

 private:
  struct Started;
  Result<Started> Start(sandbox::RunRequest request, const std::string& log_name,
                        std::vector<int> pass_fds);
  sandbox::RunResult Finish(Started& started, std::stop_token stop);
  sandbox::RunResult ExecuteWarm(const sandbox::RunRequest& request, std::stop_token stop);
  std::unique_ptr<WarmBoxClient> TakeWarm(int box_id);
  void ReturnWarm(int box_id, std::unique_ptr<WarmBoxClient> client);

  const std::filesystem::path sandbox_path_;
  const std::vector<std::string> require_;
  const bool warm_boxes_;
  Mutex mu_;
  // Idle helpers by box id; a run takes its id's helper out while it uses it.
  std::map<int, std::unique_ptr<WarmBoxClient>> warm_ GUARDED_BY(mu_);
};

}  // namespace noj::runner

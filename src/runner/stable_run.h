#pragma once
// Times you can trust (docs/runner.md, "Re-runs near the limit"): a case whose CPU time lies
// within 5 % of its CPU limit on either side may have been pushed over (or under) the limit by
// the machine rather than by the program, so it is run again and the verdict taken from the run
// with the lowest CPU time. The other runs are thrown away whole: the chosen run's stdout,
// stderr and collected files end up in the request's own paths, which is what the checker reads.

#include <cstdint>
#include <stop_token>

#include "runner/case_executor.h"
#include "runner/runner_metrics.h"
#include "sandbox/run_request.h"
#include "sandbox/run_result.h"

namespace noj::runner {

// 0.95·limit <= cpu_ms <= 1.05·limit (a TLE killed at the limit included).
bool NearCpuLimit(int64_t cpu_ms, int64_t limit_ms);

// Runs `request` once, then up to `reruns` more times while the best run so far is near the
// limit (NearCpuLimit) — stopping as soon as a run lands clearly inside (< 0.95·limit). Returns
// the run with the lowest CPU time (a sandbox error never wins over a measured run); its files
// are in request.stdout_path / stderr_path / collect_dir. Each re-run writes to its own paths
// (`<path>.rerun`), removed before returning. A stop request ends it at once with what the
// cancelled run returned. Interactive runs (stdin_fd / stdout_fd) are not for this function.
// `metrics` (may be null) counts the re-runs.
sandbox::RunResult RunStable(CaseExecutor& executor, const sandbox::RunRequest& request, int reruns,
                             std::stop_token stop, RunnerMetrics* metrics = nullptr);

}  // namespace noj::runner

#pragma once
// The judge pipeline of one job: lay out the box (source + the testdata's chaos/ files), compile
// once inside the sandbox (compile limits; failure → every case CE with the compiler's message),
// run every case inside the sandbox with the task's limits, compare, build the results.
// All sandboxing goes through the injected CaseExecutor, so the pipeline is unit-testable.

#include <cstdint>
#include <filesystem>
#include <stop_token>
#include <string>

#include "api/job_payload.h"
#include "api/results.h"
#include "api/task_spec.h"
#include "common/status.h"
#include "runner/case_executor.h"
#include "runner/job_judge.h"
#include "runner/languages.h"
#include "runner/runner_metrics.h"

namespace noj::runner {

struct JudgeLimits {
  int64_t output_limit_bytes = int64_t{64} << 20;  // --output-limit: OLE above it
  int64_t max_processes = 64;                      // --max-processes
  size_t report_bytes = 64 * 1024;                 // stdout/stderr kept per case in the result
  int64_t compile_cpu_ms = 20000;
  int64_t compile_memory_kib = 1 << 20;               // 1 GiB
  int64_t compile_output_bytes = int64_t{256} << 20;  // the binary is written under this limit
};

struct JudgeInput {
  api::Language language = api::Language::kC;
  api::TaskSpecs tasks;
  std::string source;                  // the contents of main.<ext>
  std::filesystem::path testdata_dir;  // TTCC.in / TTCC.out (+ chaos/), read-only
  std::filesystem::path work_dir;      // this job's own empty directory
  int box_id = 0;
};

// wall = max(2 × limit, limit + 1 s).
int64_t WallLimitMs(int64_t cpu_ms);

class JudgePipeline final : public JobJudge {
 public:
  JudgePipeline(CaseExecutor& executor, const LanguageTable& languages, JudgeLimits limits,
                RunnerMetrics* metrics = nullptr);

  // One result per case in payload order. kAborted when `stop` was requested; kInternal for local
  // trouble (disk, missing testdata file) — the job should then go back to the queue.
  // Thread-safe (distinct box ids and work dirs per concurrent call).
  Result<api::ReportedCases> Judge(const JudgeInput& input, std::stop_token stop) override;

 private:
  struct Layout;
  Result<Layout> PrepareBox(const JudgeInput& input, const LanguageSpec& spec);
  // nullopt: compiled fine; else the uniform CE/JE result to report.
  std::optional<api::ReportedCases> Compile(const JudgeInput& input, const LanguageSpec& spec,
                                            const Layout& layout, std::stop_token stop);
  Result<api::CaseResult> RunCase(const JudgeInput& input, const LanguageSpec& spec,
                                  const Layout& layout, int task, int case_index,
                                  std::stop_token stop);

  CaseExecutor& executor_;
  const LanguageTable& languages_;
  const JudgeLimits limits_;
  RunnerMetrics* const metrics_;
};

}  // namespace noj::runner

#pragma once
// The judge pipeline of one job (docs/runner.md, "Judge"):
//   lay out the boxes: src/ (source + chaos/ + include/) and prog/ (the same + share/)
//   compile the submission once in the sandbox (compile limits; include/'s *.c or *.cpp with it;
//     failure → every case CE with the compiler's message)
//   get the problem's checker (and interactor) from the compile-once ToolCache (failure → every
//     case JE saying so: the problem's fault, the job completes)
//   run every case in a fresh scratch box with the task's limits (ContextIO: its in/ files
//     placed, its out/ files collected), then judge what it left with the problem's checker.
// All sandboxing goes through the injected CaseExecutor, so the pipeline is unit-testable.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stop_token>
#include <string>

#include "api/job_payload.h"
#include "api/problem_meta.h"
#include "api/results.h"
#include "api/task_spec.h"
#include "common/status.h"
#include "runner/case_executor.h"
#include "runner/checker_run.h"
#include "runner/compile_cache.h"
#include "runner/compile_step.h"
#include "runner/job_judge.h"
#include "runner/languages.h"
#include "runner/output_checker.h"
#include "runner/package_layout.h"
#include "runner/runner_metrics.h"
#include "runner/tool_cache.h"

namespace noj::runner {

struct JudgeLimits {
  int64_t output_limit_bytes = int64_t{64} << 20;  // --output-limit: OLE above it
  int64_t max_processes = 64;                      // --max-processes
  size_t report_bytes = 64 * 1024;                 // stdout/stderr kept per case in the result
  int64_t compile_cpu_ms = 20000;
  int64_t compile_memory_kib = 1 << 20;               // 1 GiB
  int64_t compile_output_bytes = int64_t{256} << 20;  // the binary is written under this limit
  ToolRunLimits checker;  // a custom checker's and an interactor's runs (--checker-*)
  int tle_reruns = 1;     // --tle-rerun: extra runs of a case near its CPU limit (stable_run.h)
};

// The box limits of one case of `task` run as `spec` (judging.md §5): CPU = the task's limit ×
// time_factor (rounded, at least 1 ms), wall derived from it (WallLimitMs), memory = the task's
// limit + extra_memory_kib, processes = the entry's max_processes or `default_max_processes`.
// Output and box sizes are left at their defaults.
sandbox::Limits BoxRunLimits(const LanguageSpec& spec, const api::TaskSpec& task,
                             int64_t default_max_processes);

struct JudgeInput {
  api::Language language = api::Language::kC;
  api::TaskSpecs tasks;
  std::string source;  // the submission, written to /box as the language entry's `source`
  // The installed package (cases, chaos/, share/, include/, checker/, interactor/): read-only
  // but for <testdata_dir>/.noj-build/, where the ToolCache keeps the compiled checker.
  std::filesystem::path testdata_dir;
  api::ProblemMeta meta;  // checker, outputLimit, interactive
  PackageKind package = PackageKind::kSimpleIO;
  std::filesystem::path work_dir;  // this job's own empty directory
  int box_id = 0;                  // the submission's compile and runs
  // The problem's own programs (checker compile and runs, interactor): a box id distinct from
  // every box that may run meanwhile (BoxIdPool::Lease::helper_id). Needed by custom checkers.
  int helper_box_id = -1;
};

class JudgePipeline final : public JobJudge {
 public:
  // `compile_cache`: where the submission, checker and interactor compiles go through (null: none).
  JudgePipeline(CaseExecutor& executor, const LanguageTable& languages, JudgeLimits limits,
                RunnerMetrics* metrics = nullptr, CompileCache* compile_cache = nullptr);

  // One result per case in payload order. kAborted when `stop` was requested; kInternal for local
  // trouble (disk, missing testdata file) — the job should then go back to the queue.
  // Thread-safe (distinct box ids and work dirs per concurrent call).
  Result<api::ReportedCases> Judge(const JudgeInput& input, std::stop_token stop) override;

 private:
  struct Layout;
  struct Tools;  // the problem's compiled checker / interactor, copied into the job's work dir

  Result<Layout> PrepareBox(const JudgeInput& input, const LanguageSpec& spec);
  // nullopt: compiled fine; else the uniform CE/JE result to report.
  std::optional<api::ReportedCases> Compile(const JudgeInput& input, const LanguageSpec& spec,
                                            const Layout& layout, std::stop_token stop);
  // The checker (and interactor) the problem needs; `failure` set when one cannot be had.
  Result<Tools> PrepareTools(const JudgeInput& input, const Layout& layout, std::stop_token stop);
  Result<api::CaseResult> RunCase(const JudgeInput& input, const LanguageSpec& spec,
                                  const Layout& layout, const Tools& tools, int task,
                                  int case_index, std::stop_token stop);
  // The directory whose entries the case's scratch /box binds: prog/, or for ContextIO a fresh
  // copy of it (hard links) with the case's in/ files.
  Result<std::filesystem::path> CaseBoxDir(const Layout& layout, const CaseFiles& files);
  // The program's run of one case: the task's limits, stdin from the package, stdout and stderr
  // into io/ (removed first: the sandbox creates them).
  sandbox::RunRequest ProgramRequest(const JudgeInput& input, const LanguageSpec& spec,
                                     const Layout& layout, const api::TaskSpec& task,
                                     const std::filesystem::path& box,
                                     const CaseFiles& files) const;
  // An interactive case (judging.md §4): `program` and the interactor in two boxes joined by
  // pipes, then the problem's checker on the interactor's tout when one is configured.
  Result<api::CaseResult> RunInteractive(const JudgeInput& input, const Layout& layout,
                                         const Tools& tools, const OutputChecker& checker,
                                         sandbox::RunRequest program, const CaseFiles& files,
                                         std::stop_token stop);
  int64_t OutputLimit(const JudgeInput& input) const;
  // The runner's compile limits, with what the language entry overrides.
  CompileLimits CompileLimitsFor(const LanguageSpec& spec) const;

  CaseExecutor& executor_;
  const LanguageTable& languages_;
  const JudgeLimits limits_;
  RunnerMetrics* const metrics_;
  CompileCache* const compile_cache_;
  ToolCache tools_;
};

}  // namespace noj::runner

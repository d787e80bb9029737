#include "runner/compile_step.h"

#include <algorithm>

#include "runner/fs_util.h"

namespace noj::runner {
namespace {

std::string CompileLimitNote(const sandbox::RunResult& r) {
  switch (r.verdict) {
    case sandbox::Verdict::kTle:
      return "compilation exceeded the time limit\n";
    case sandbox::Verdict::kMle:
      return "compilation exceeded the memory limit\n";
    case sandbox::Verdict::kOle:
      return "compilation exceeded the output limit\n";
    default:
      return "";
  }
}

}  // namespace

int64_t WallLimitMs(int64_t cpu_ms) { return std::max(2 * cpu_ms, cpu_ms + 1000); }

CompileOutcome CompileInBox(CaseExecutor& executor, const CompileRun& run, std::stop_token stop) {
  sandbox::RunRequest r;
  r.box_dir = run.src.string();
  r.box_mode = sandbox::BoxMode::kScratch;
  r.collect_dir = run.prog.string();
  r.box_id = run.box_id;
  r.argv = run.argv;
  r.env = run.env;
  r.stdout_path = (run.io / "compile.out").string();
  r.stderr_path = (run.io / "compile.err").string();
  r.limits.cpu_ms = run.limits.cpu_ms;
  r.limits.wall_ms = WallLimitMs(run.limits.cpu_ms);
  r.limits.memory_kib = run.limits.memory_kib;
  r.limits.output_bytes = run.limits.output_bytes;
  r.limits.max_processes = run.limits.max_processes;
  sandbox::RunResult res = executor.Execute(r, stop);
  CompileOutcome out;
  out.wall_ms = res.wall_ms;
  if (res.verdict == sandbox::Verdict::kOk && res.exit_code == 0 && res.signal == 0) {
    out.kind = CompileOutcome::Kind::kOk;
  } else if (res.verdict == sandbox::Verdict::kSe) {
    out.kind = CompileOutcome::Kind::kSandboxError;
    out.message = res.error;
  } else {
    out.kind = CompileOutcome::Kind::kFailed;
    out.message = CompileLimitNote(res) + ReadFilePrefix(run.io / "compile.out", run.report_bytes) +
                  ReadFilePrefix(run.io / "compile.err", run.report_bytes);
  }
  return out;
}

}  // namespace noj::runner

#include "runner/checker_run.h"

#include "runner/box_files.h"
#include "runner/fs_util.h"

namespace noj::runner {
namespace {

// testlib's checker writes its verdict line to stderr; more than this is never needed (points
// come first, the message is cut to 1 KiB).
constexpr uint64_t kCheckerStderrBytes = 64 * 1024;

}  // namespace

judge::CheckerEnd CheckerEndOf(const sandbox::RunResult& run) {
  using V = sandbox::Verdict;
  switch (run.verdict) {
    case V::kOk:
      return {.exited = true, .exit_code = run.exit_code};
    case V::kRe:
      if (run.signal != 0) return {.why_not = "killed by signal " + std::to_string(run.signal)};
      if (!run.error.empty()) return {.why_not = "could not start: " + run.error};
      return {.exited = true, .exit_code = run.exit_code};
    case V::kTle:
      return {.why_not = "time limit exceeded"};
    case V::kMle:
      return {.why_not = "memory limit exceeded"};
    case V::kOle:
      return {.why_not = "output limit exceeded"};
    case V::kSe:
      return {.why_not = "sandbox error: " + run.error};
  }
  return {.why_not = "unknown end"};
}

Result<judge::CheckerOutcome> RunChecker(CaseExecutor& executor, const CompiledTool& checker,
                                         const fs::path& input, const fs::path& output,
                                         const fs::path& answer, const CheckerRunContext& ctx,
                                         std::stop_token stop) {
  if (ctx.box_id < 0) return InternalError("no box id for the checker");
  const fs::path box = ctx.scratch / "box";
  NOJ_RETURN_IF_ERROR(FreshDir(box));
  for (auto [from, name] : {std::pair{&input, kCheckerInput}, std::pair{&output, kCheckerOutput},
                            std::pair{&answer, kCheckerAnswer}}) {
    std::error_code ec;
    if (!fs::is_regular_file(*from, ec))
      return InternalError("checker input " + from->string() + " is missing");
    NOJ_RETURN_IF_ERROR(PlaceFile(*from, box / name));
  }
  NOJ_RETURN_IF_ERROR(PlaceTree(checker.dir, box));  // the three names above win a clash
  const fs::path out = ctx.scratch / "checker.out", err = ctx.scratch / "checker.err";
  RemoveTree(out).IgnoreError();  // fresh files per run; the sandbox creates them
  RemoveTree(err).IgnoreError();
  sandbox::RunRequest r;
  r.box_dir = box.string();
  r.box_mode = sandbox::BoxMode::kScratch;
  r.box_id = ctx.box_id;
  r.argv = checker.run;
  r.argv.insert(r.argv.end(), {kCheckerInput, kCheckerOutput, kCheckerAnswer});
  r.stdout_path = out.string();
  r.stderr_path = err.string();
  r.limits.cpu_ms = ctx.limits.cpu_ms;
  r.limits.wall_ms = WallLimitMs(ctx.limits.cpu_ms);
  r.limits.memory_kib = ctx.limits.memory_kib;
  r.limits.output_bytes = ctx.limits.output_bytes;
  r.limits.max_processes = ctx.limits.max_processes;
  sandbox::RunResult res = executor.Execute(r, stop);
  if (stop.stop_requested()) return AbortedError("judging cancelled");
  return judge::InterpretCheckerEnd(CheckerEndOf(res), ReadFilePrefix(err, kCheckerStderrBytes));
}

}  // namespace noj::runner

#include "runner/stable_run.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "common/logging.h"
#include "runner/fs_util.h"

namespace noj::runner {
namespace {

// Where a re-run writes: beside the canonical path, so the rename that keeps it stays on one
// filesystem. Empty stays empty (/dev/null, or no collecting).
std::string RerunPath(const std::string& canonical) {
  return canonical.empty() ? canonical : canonical + ".rerun";
}

// Replaces `to` by `from` (a file or a directory tree). A missing `from` (the sandbox did not
// create it) leaves `to` missing too, as it would be after a single run.
Status MoveOver(const std::string& from, const std::string& to) {
  if (from.empty()) return Status::Ok();
  NOJ_RETURN_IF_ERROR(RemoveTree(to));
  std::error_code ec;
  if (!fs::exists(from, ec)) return Status::Ok();
  if (std::rename(from.c_str(), to.c_str()) != 0)
    return InternalError("cannot move " + from + " to " + to + ": " + std::strerror(errno));
  return Status::Ok();
}

// A re-run's request: the same run, its outputs beside the canonical ones.
Result<sandbox::RunRequest> RerunRequest(const sandbox::RunRequest& request) {
  sandbox::RunRequest r = request;
  r.stdout_path = RerunPath(request.stdout_path);
  r.stderr_path = RerunPath(request.stderr_path);
  r.collect_dir = RerunPath(request.collect_dir);
  // The sandbox creates stdout/stderr itself; the collect directory must exist and be empty.
  for (const std::string& p : {r.stdout_path, r.stderr_path, r.collect_dir})
    if (!p.empty()) NOJ_RETURN_IF_ERROR(RemoveTree(p));
  if (!r.collect_dir.empty()) NOJ_RETURN_IF_ERROR(MakeDirs(r.collect_dir));
  return r;
}

void RemoveRerunFiles(const sandbox::RunRequest& request) {
  for (const std::string* p : {&request.stdout_path, &request.stderr_path, &request.collect_dir})
    if (!p->empty()) RemoveTree(RerunPath(*p)).IgnoreError();
}

}  // namespace

bool NearCpuLimit(int64_t cpu_ms, int64_t limit_ms) {
  // In integers: 20·cpu against 19·limit and 21·limit is exactly 0.95 and 1.05.
  return cpu_ms * 20 >= limit_ms * 19 && cpu_ms * 20 <= limit_ms * 21;
}

sandbox::RunResult RunStable(CaseExecutor& executor, const sandbox::RunRequest& request, int reruns,
                             std::stop_token stop, RunnerMetrics* metrics) {
  const int64_t limit = request.limits.cpu_ms;
  sandbox::RunResult best = executor.Execute(request, stop);
  // Most runs: clearly inside or clearly over, one run, no file moved.
  if (reruns <= 0 || stop.stop_requested() || best.verdict == sandbox::Verdict::kSe ||
      !NearCpuLimit(best.cpu_ms, limit))
    return best;
  const sandbox::Verdict first = best.verdict;
  const int64_t first_cpu = best.cpu_ms;
  int done = 0;
  for (; done < reruns; ++done) {
    Result<sandbox::RunRequest> rerun = RerunRequest(request);
    if (!rerun.ok()) {  // local disk trouble: keep the measured run rather than fail the case
      NOJ_LOG_WARN("event=rerun_skipped box={} error=\"{}\"", request.box_id,
                   rerun.status().message());
      break;
    }
    if (metrics != nullptr) metrics->CaseRerun();
    sandbox::RunResult again = executor.Execute(*rerun, stop);
    if (stop.stop_requested()) {
      RemoveRerunFiles(request);
      return again;  // the caller sees the stop; what it was judging no longer matters
    }
    if (again.verdict != sandbox::Verdict::kSe && again.cpu_ms < best.cpu_ms) {
      Status moved = MoveOver(rerun->stdout_path, request.stdout_path);
      if (moved.ok()) moved = MoveOver(rerun->stderr_path, request.stderr_path);
      if (moved.ok()) moved = MoveOver(rerun->collect_dir, request.collect_dir);
      if (!moved.ok()) {
        // The canonical files may now be half one run, half another: report the sandbox's
        // trouble rather than judge them.
        RemoveRerunFiles(request);
        return sandbox::SandboxError("re-run: " + std::string(moved.message()), best.protections);
      }
      best = std::move(again);
    }
    if (best.cpu_ms * 20 < limit * 19) {  // clearly inside: no need to try again
      ++done;
      break;
    }
  }
  RemoveRerunFiles(request);
  if (metrics != nullptr && best.verdict != first) metrics->RerunChangedVerdict();
  NOJ_LOG_DEBUG(
      "event=case_rerun box={} limit_ms={} first_cpu_ms={} best_cpu_ms={} runs={} "
      "first={} chosen={}",
      request.box_id, limit, first_cpu, best.cpu_ms, done + 1, sandbox::VerdictName(first),
      sandbox::VerdictName(best.verdict));
  return best;
}

}  // namespace noj::runner

#include "runner/judge_pipeline.h"

#include <algorithm>

#include "common/logging.h"
#include "judge/testdata_layout.h"
#include "runner/fs_util.h"
#include "runner/result_builder.h"

namespace noj::runner {

// Every run gets a fresh scratch /box (noj-sandbox --scratch: a bounded tmpfs) holding a
// read-only bind of each entry of one of these directories, so no run can change what a
// later run, or the judge, starts from.
struct JudgePipeline::Layout {
  fs::path src;   // the compile's files: source + chaos/
  fs::path prog;  // every case's files: source + chaos/ + what the compile made
  fs::path io;    // outside the boxes: the runs' stdout/stderr files
};

namespace {

Status CopyChaos(const fs::path& testdata_dir, const fs::path& box) {
  fs::path chaos = testdata_dir / "chaos";
  std::error_code ec;
  if (!fs::is_directory(chaos, ec)) return Status::Ok();
  fs::copy(chaos, box, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
  if (ec) return InternalError("cannot copy chaos/ into the box: " + ec.message());
  return Status::Ok();
}

// The box uid reads what we put in its box dir, whatever the runner's umask: directories
// 0755, files 0644 (the collected program keeps the 0755 noj-sandbox gave it).
Status MakeReadableByBoxes(const fs::path& dir) {
  std::error_code ec;
  fs::permissions(dir, fs::perms(0755), ec);
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    fs::file_status st = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_directory(st)) fs::permissions(it->path(), fs::perms(0755), ec);
    if (fs::is_regular_file(st)) fs::permissions(it->path(), fs::perms(0644), ec);
    if (ec) break;
  }
  if (ec) return InternalError("cannot make " + dir.string() + " readable: " + ec.message());
  return Status::Ok();
}

std::string CompileFailureNote(const sandbox::RunResult& r) {
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

JudgePipeline::JudgePipeline(CaseExecutor& executor, const LanguageTable& languages,
                             JudgeLimits limits, RunnerMetrics* metrics)
    : executor_(executor), languages_(languages), limits_(limits), metrics_(metrics) {}

Result<JudgePipeline::Layout> JudgePipeline::PrepareBox(const JudgeInput& input,
                                                        const LanguageSpec& spec) {
  Layout l{input.work_dir / "src", input.work_dir / "prog", input.work_dir / "io"};
  for (const fs::path& dir : {l.src, l.prog}) {
    NOJ_RETURN_IF_ERROR(MakeDirs(dir));
    NOJ_RETURN_IF_ERROR(CopyChaos(input.testdata_dir, dir));
    NOJ_RETURN_IF_ERROR(WriteFile(dir / spec.source, input.source));
    NOJ_RETURN_IF_ERROR(MakeReadableByBoxes(dir));
  }
  NOJ_RETURN_IF_ERROR(MakeDirs(l.io));
  return l;
}

std::optional<api::ReportedCases> JudgePipeline::Compile(const JudgeInput& input,
                                                         const LanguageSpec& spec, const Layout& l,
                                                         std::stop_token stop) {
  sandbox::RunRequest r;
  r.box_dir = l.src.string();
  r.box_mode = sandbox::BoxMode::kScratch;
  r.collect_dir = l.prog.string();  // the binary (whatever the compiler made) for the cases
  r.box_id = input.box_id;
  r.argv = spec.compile;
  r.stdout_path = (l.io / "compile.out").string();
  r.stderr_path = (l.io / "compile.err").string();
  r.limits.cpu_ms = limits_.compile_cpu_ms;
  r.limits.wall_ms = WallLimitMs(limits_.compile_cpu_ms);
  r.limits.memory_kib = limits_.compile_memory_kib;
  r.limits.output_bytes = limits_.compile_output_bytes;
  r.limits.max_processes = limits_.max_processes;
  sandbox::RunResult res = executor_.Execute(r, stop);
  if (metrics_) metrics_->CompileSeconds(static_cast<double>(res.wall_ms) / 1000.0);
  if (res.verdict == sandbox::Verdict::kOk && res.exit_code == 0 && res.signal == 0)
    return std::nullopt;
  if (res.verdict == sandbox::Verdict::kSe)
    return UniformResult(input.tasks, api::Verdict::kJE,
                         "sandbox error while compiling: " + res.error, limits_.report_bytes);
  std::string message = CompileFailureNote(res) +
                        ReadFilePrefix(l.io / "compile.out", limits_.report_bytes) +
                        ReadFilePrefix(l.io / "compile.err", limits_.report_bytes);
  return UniformResult(input.tasks, api::Verdict::kCE, message, limits_.report_bytes);
}

Result<api::CaseResult> JudgePipeline::RunCase(const JudgeInput& input, const LanguageSpec& spec,
                                               const Layout& l, int task, int case_index,
                                               std::stop_token stop) {
  const api::TaskSpec& t = input.tasks[static_cast<size_t>(task)];
  fs::path in = input.testdata_dir / judge::CaseFileName(task, case_index, "in");
  NOJ_ASSIGN_OR_RETURN(std::string expected,
                       ReadFile(input.testdata_dir / judge::CaseFileName(task, case_index, "out"),
                                uint64_t{1} << 31));
  std::error_code ec;
  if (!fs::is_regular_file(in, ec))
    return InternalError("testdata lacks " + in.filename().string());
  fs::path out = l.io / "case.out", err = l.io / "case.err";
  RemoveTree(out).IgnoreError();  // fresh files per case; the sandbox creates them
  RemoveTree(err).IgnoreError();
  sandbox::RunRequest r;
  r.box_dir = l.prog.string();
  r.box_mode = sandbox::BoxMode::kScratch;
  r.box_id = input.box_id;
  r.argv = spec.run;
  r.stdin_path = fs::absolute(in).string();
  r.stdout_path = out.string();
  r.stderr_path = err.string();
  r.limits.cpu_ms = t.time_limit_ms;
  r.limits.wall_ms = WallLimitMs(t.time_limit_ms);
  r.limits.memory_kib = t.memory_limit_kib;
  r.limits.output_bytes = limits_.output_limit_bytes;
  r.limits.max_processes = limits_.max_processes;
  sandbox::RunResult res = executor_.Execute(r, stop);
  if (stop.stop_requested()) return AbortedError("judging cancelled");
  std::string actual = ReadFilePrefix(out, static_cast<uint64_t>(limits_.output_limit_bytes) + 1);
  std::string actual_err = ReadFilePrefix(err, limits_.report_bytes);
  return BuildCaseResult(res, expected, actual, actual_err, limits_.report_bytes);
}

Result<api::ReportedCases> JudgePipeline::Judge(const JudgeInput& input, std::stop_token stop) {
  const LanguageSpec& spec = languages_.Get(input.language);
  NOJ_ASSIGN_OR_RETURN(Layout layout, PrepareBox(input, spec));
  if (!spec.compile.empty()) {
    auto failed = Compile(input, spec, layout, stop);
    if (stop.stop_requested()) return AbortedError("judging cancelled");
    if (failed) return std::move(*failed);
  }
  api::ReportedCases cases;
  for (size_t t = 0; t < input.tasks.size(); ++t) {
    cases.emplace_back();
    for (int c = 0; c < input.tasks[t].case_count; ++c) {
      NOJ_ASSIGN_OR_RETURN(api::CaseResult result,
                           RunCase(input, spec, layout, static_cast<int>(t), c, stop));
      cases.back().push_back(std::move(result));
    }
  }
  return cases;
}

}  // namespace noj::runner

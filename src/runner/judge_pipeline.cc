#include "runner/judge_pipeline.h"

#include <algorithm>
#include <cmath>

#include "common/logging.h"
#include "runner/box_files.h"
#include "runner/fs_util.h"
#include "runner/interactive_case.h"
#include "runner/output_checker.h"
#include "runner/result_builder.h"
#include "runner/stable_run.h"

namespace noj::runner {

// Every run gets a fresh scratch /box (noj-sandbox --scratch: a bounded tmpfs) holding a
// read-only bind of each entry of one of these directories, so no run can change what a
// later run, or the judge, starts from.
struct JudgePipeline::Layout {
  fs::path work;  // the job's directory
  fs::path src;   // the compile's files: chaos/ + include/ + the source
  fs::path prog;  // every case's files: the same + what the compile made + share/
  fs::path io;    // outside the boxes: the runs' stdout/stderr files, collected out/ files
  std::vector<std::string> linked_sources;  // include/'s *.c or *.cpp, compiled with the source
};

struct JudgePipeline::Tools {
  std::optional<CompiledTool> checker;     // meta.checker custom
  std::optional<CompiledTool> interactor;  // meta.interactive
  std::string failure;                     // why the problem cannot be judged (every case JE)
};

namespace {

// The top-level files of include/ a language compiles with the submission (sorted).
Result<std::vector<std::string>> LinkedSources(const fs::path& include, const LanguageSpec& spec) {
  std::string_view ext = LinkedSourceExtension(spec);
  std::vector<std::string> out;
  if (ext.empty()) return out;
  NOJ_ASSIGN_OR_RETURN(std::vector<std::string> files, ListFilesBelow(include));
  for (const std::string& f : files)
    if (f.find('/') == std::string::npos && f.ends_with(ext) && f != spec.source) out.push_back(f);
  return out;
}

// The compile's memory placeholder ({memory_mib}): the largest memory limit of the job's tasks,
// so a flag sized by it (a JVM's heap) fits every run the binary will make.
int64_t LargestMemoryKib(const api::TaskSpecs& tasks) {
  int64_t largest = 0;
  for (const api::TaskSpec& t : tasks) largest = std::max(largest, t.memory_limit_kib);
  return largest;
}

// An interactor's argv after its program: testlib's `interactor <input> <tout>`.
constexpr char kInteractorInput[] = "input";
constexpr char kInteractorTout[] = "tout";

}  // namespace

JudgePipeline::JudgePipeline(CaseExecutor& executor, const LanguageTable& languages,
                             JudgeLimits limits, RunnerMetrics* metrics,
                             CompileCache* compile_cache)
    : executor_(executor),
      languages_(languages),
      limits_(limits),
      metrics_(metrics),
      compile_cache_(compile_cache),
      tools_(executor, languages,
             CompileLimits{limits.compile_cpu_ms, limits.compile_memory_kib,
                           limits.compile_output_bytes, limits.max_processes},
             limits.report_bytes, limits.checker.memory_kib, compile_cache) {}

CompileLimits JudgePipeline::CompileLimitsFor(const LanguageSpec& spec) const {
  return CompileLimits{spec.compile_time_limit_ms.value_or(limits_.compile_cpu_ms),
                       spec.compile_memory_kib.value_or(limits_.compile_memory_kib),
                       limits_.compile_output_bytes,
                       spec.compile_max_processes.value_or(limits_.max_processes)};
}

sandbox::Limits BoxRunLimits(const LanguageSpec& spec, const api::TaskSpec& task,
                             int64_t default_max_processes) {
  sandbox::Limits l;
  // At least 1 ms: a tiny factor must not turn a limit into "none".
  l.cpu_ms = std::max<int64_t>(
      1, std::llround(static_cast<double>(task.time_limit_ms) * spec.time_factor));
  l.wall_ms = WallLimitMs(l.cpu_ms);
  l.memory_kib = task.memory_limit_kib + spec.extra_memory_kib;
  l.max_processes = spec.max_processes.value_or(default_max_processes);
  return l;
}

int64_t JudgePipeline::OutputLimit(const JudgeInput& input) const {
  return input.meta.output_limit_bytes.value_or(limits_.output_limit_bytes);
}

Result<JudgePipeline::Layout> JudgePipeline::PrepareBox(const JudgeInput& input,
                                                        const LanguageSpec& spec) {
  Layout l{
      input.work_dir, input.work_dir / "src", input.work_dir / "prog", input.work_dir / "io", {}};
  NOJ_ASSIGN_OR_RETURN(l.linked_sources, LinkedSources(input.testdata_dir / "include", spec));
  for (const fs::path& dir : {l.src, l.prog}) {
    NOJ_RETURN_IF_ERROR(MakeDirs(dir));
    // Later wins a name: chaos/, then include/, then the submission itself.
    NOJ_RETURN_IF_ERROR(CopyFolderContents(input.testdata_dir / "chaos", dir));
    NOJ_RETURN_IF_ERROR(CopyFolderContents(input.testdata_dir / "include", dir));
    NOJ_RETURN_IF_ERROR(WriteFile(dir / spec.source, input.source));
    NOJ_RETURN_IF_ERROR(MakeReadableByBoxes(dir));
  }
  NOJ_RETURN_IF_ERROR(MakeDirs(l.io));
  return l;
}

std::optional<api::ReportedCases> JudgePipeline::Compile(const JudgeInput& input,
                                                         const LanguageSpec& spec, const Layout& l,
                                                         std::stop_token stop) {
  CompileRun run{.argv = CompileArgv(spec, l.linked_sources, LargestMemoryKib(input.tasks)),
                 .src = l.src,
                 .prog = l.prog,  // the binary (whatever the compiler made) for the cases
                 .io = l.io,
                 .box_id = input.box_id,
                 .limits = CompileLimitsFor(spec),
                 .env = spec.env,
                 .report_bytes = limits_.report_bytes};
  CompileOutcome out = CompileMaybeCached(compile_cache_, executor_, run, spec, stop);
  if (metrics_ && !out.cached) metrics_->CompileSeconds(static_cast<double>(out.wall_ms) / 1000.0);
  switch (out.kind) {
    case CompileOutcome::Kind::kOk:
      return std::nullopt;
    case CompileOutcome::Kind::kSandboxError:
      return UniformResult(input.tasks, api::Verdict::kJE,
                           "sandbox error while compiling: " + out.message, limits_.report_bytes);
    case CompileOutcome::Kind::kFailed:
      break;
  }
  return UniformResult(input.tasks, api::Verdict::kCE, out.message, limits_.report_bytes);
}

Result<JudgePipeline::Tools> JudgePipeline::PrepareTools(const JudgeInput& input, const Layout& l,
                                                         std::stop_token stop) {
  Tools tools;
  std::vector<std::pair<std::string, std::optional<CompiledTool>*>> wanted;
  if (input.meta.checker.kind == api::CheckerKind::kCustom)
    wanted.emplace_back("checker", &tools.checker);
  if (input.meta.interactive) wanted.emplace_back("interactor", &tools.interactor);
  for (auto& [folder, slot] : wanted) {
    if (input.helper_box_id < 0) return InternalError("no box id for the problem's " + folder);
    NOJ_ASSIGN_OR_RETURN(ToolBuild build,
                         tools_.Get(input.testdata_dir, folder, input.helper_box_id, stop));
    if (!build.tool) {
      tools.failure = build.failure;
      return tools;
    }
    // Into the job's own directory once (links when the cache shares its filesystem), so each
    // run's box dir is made of cheap hard links.
    fs::path local = l.work / "tools" / folder;
    NOJ_RETURN_IF_ERROR(FreshDir(local));
    NOJ_RETURN_IF_ERROR(PlaceTree(build.tool->dir, local));
    *slot = CompiledTool{local, build.tool->run};
  }
  return tools;
}

Result<fs::path> JudgePipeline::CaseBoxDir(const Layout& l, const CaseFiles& files) {
  std::error_code ec;
  if (files.in_dir.empty() || !fs::is_directory(files.in_dir, ec)) return l.prog;
  fs::path box = l.work / "case";
  NOJ_RETURN_IF_ERROR(FreshDir(box));
  NOJ_RETURN_IF_ERROR(PlaceTree(l.prog, box));  // the program wins a name clash
  NOJ_RETURN_IF_ERROR(PlaceTree(files.in_dir, box));
  return box;
}

sandbox::RunRequest JudgePipeline::ProgramRequest(const JudgeInput& input, const LanguageSpec& spec,
                                                  const Layout& l, const api::TaskSpec& t,
                                                  const fs::path& box,
                                                  const CaseFiles& files) const {
  sandbox::RunRequest r;
  r.box_dir = box.string();
  r.box_mode = sandbox::BoxMode::kScratch;
  r.box_id = input.box_id;
  r.argv = ExpandArgv(spec.run, spec, t.memory_limit_kib);
  r.env = spec.env;
  r.stdin_path = fs::absolute(files.stdin_file).string();
  r.stdout_path = (l.io / "case.out").string();
  r.stderr_path = (l.io / "case.err").string();
  RemoveTree(r.stdout_path).IgnoreError();  // fresh files per case; the sandbox creates them
  RemoveTree(r.stderr_path).IgnoreError();
  // The box's limits (judging.md §5): CPU the task's × time_factor, memory the task's + the
  // entry's extra (so MLE is decided against both; the reported usage is what was used).
  r.limits = BoxRunLimits(spec, t, limits_.max_processes);
  r.limits.output_bytes = OutputLimit(input);
  return r;
}

Result<api::CaseResult> JudgePipeline::RunInteractive(
    const JudgeInput& input, const Layout& l, const Tools& tools, const OutputChecker& checker,
    sandbox::RunRequest program, const CaseFiles& files, std::stop_token stop) {
  if (!tools.interactor || input.helper_box_id < 0)
    return InternalError("an interactive case without its interactor");
  // The interactor's box: its program and the case's input, read-only; what it writes (tout) is
  // collected for the checker.
  const fs::path dir = l.work / "interactor", box = dir / "box", files_out = dir / "files";
  NOJ_RETURN_IF_ERROR(FreshDir(box));
  NOJ_RETURN_IF_ERROR(FreshDir(files_out));
  NOJ_RETURN_IF_ERROR(PlaceFile(files.stdin_file, box / kInteractorInput));
  NOJ_RETURN_IF_ERROR(PlaceTree(tools.interactor->dir, box));  // the input's name wins a clash
  const fs::path err = dir / "interactor.err";
  RemoveTree(err).IgnoreError();
  sandbox::RunRequest interactor;
  interactor.box_dir = box.string();
  interactor.box_mode = sandbox::BoxMode::kScratch;
  interactor.collect_dir = files_out.string();
  interactor.box_id = input.helper_box_id;
  interactor.argv = tools.interactor->run;
  interactor.argv.insert(interactor.argv.end(), {kInteractorInput, kInteractorTout});
  interactor.stderr_path = err.string();
  interactor.limits.cpu_ms = limits_.checker.cpu_ms;
  interactor.limits.wall_ms = WallLimitMs(limits_.checker.cpu_ms);
  interactor.limits.memory_kib = limits_.checker.memory_kib;
  interactor.limits.output_bytes = limits_.checker.output_bytes;
  interactor.limits.max_processes = limits_.checker.max_processes;

  InteractiveCaseOutcome outcome = RunInteractiveCase(
      executor_,
      InteractiveCaseSpec{std::move(program), std::move(interactor), limits_.report_bytes}, stop);
  if (stop.stop_requested()) return AbortedError("judging cancelled");
  api::CaseResult result = std::move(outcome.result);
  if (!outcome.interactor_accepted || input.meta.checker.kind == api::CheckerKind::kDefault)
    return result;
  // judging.md §4: a configured checker judges the interactor's tout against the answer.
  const fs::path tout = files_out / kInteractorTout;
  std::error_code ec;
  if (!fs::is_regular_file(tout, ec)) {
    result.status = api::Verdict::kJE;
    result.message = "the interactor accepted but wrote no tout for the checker";
    return result;
  }
  NOJ_ASSIGN_OR_RETURN(judge::CheckerOutcome judged,
                       checker.CheckOne(files.stdin_file, tout, files.answer, stop));
  switch (judged.judgement) {
    case judge::CheckerJudgement::kAccepted:
      result.status = api::Verdict::kAC;
      result.points.reset();
      break;
    case judge::CheckerJudgement::kWrongAnswer:
      result.status = api::Verdict::kWA;
      if (judged.points > 0 && judged.points < 1) result.points = judged.points;
      break;
    case judge::CheckerJudgement::kJudgeError:
      result.status = api::Verdict::kJE;
      break;
  }
  result.message = std::move(judged.message);
  return result;
}

Result<api::CaseResult> JudgePipeline::RunCase(const JudgeInput& input, const LanguageSpec& spec,
                                               const Layout& l, const Tools& tools, int task,
                                               int case_index, std::stop_token stop) {
  const api::TaskSpec& t = input.tasks[static_cast<size_t>(task)];
  const CaseFiles files = CaseFilesOf(input.testdata_dir, input.package, task, case_index);
  for (const fs::path& p : {files.stdin_file, files.answer}) {
    std::error_code ec;
    if (!fs::is_regular_file(p, ec))
      return InternalError("testdata lacks " + p.lexically_relative(input.testdata_dir).string());
  }
  const OutputChecker checker(
      input.meta.checker, executor_, tools.checker ? &*tools.checker : nullptr,
      CheckerRunContext{input.helper_box_id, l.work / "checker", limits_.checker},
      OutputLimit(input));

  NOJ_ASSIGN_OR_RETURN(fs::path box, CaseBoxDir(l, files));
  sandbox::RunRequest r = ProgramRequest(input, spec, l, t, box, files);

  if (input.meta.interactive)
    return RunInteractive(input, l, tools, checker, std::move(r), files, stop);

  NOJ_ASSIGN_OR_RETURN(std::vector<std::string> out_files, ListFilesBelow(files.out_dir));
  const fs::path out = r.stdout_path, err = r.stderr_path, collected = l.io / "files";
  if (!out_files.empty()) {
    NOJ_RETURN_IF_ERROR(FreshDir(collected));
    r.collect_dir = collected.string();
    // Each expected file may be as large as the output limit (stdout is outside the box).
    int64_t box_bytes = r.limits.output_bytes * static_cast<int64_t>(out_files.size());
    r.limits.box_kib = std::max<int64_t>(box_bytes / 1024, 1024);
  }
  sandbox::RunResult res = RunStable(executor_, r, limits_.tle_reruns, stop, metrics_);
  if (stop.stop_requested()) return AbortedError("judging cancelled");
  api::CaseResult result =
      BuildCaseResult(res, ReadFilePrefix(out, limits_.report_bytes),
                      ReadFilePrefix(err, limits_.report_bytes), limits_.report_bytes);
  if (result.status != api::Verdict::kAC) return result;  // only a normal end is checked
  NOJ_ASSIGN_OR_RETURN(OutputJudgement j, checker.CheckCase(files, out, collected, stop));
  result.status = j.verdict;
  result.points = j.points;
  result.message = std::move(j.message);
  return result;
}

Result<api::ReportedCases> JudgePipeline::Judge(const JudgeInput& input, std::stop_token stop) {
  const LanguageSpec* found = languages_.Find(input.language);
  if (found == nullptr)  // JobWorker refuses these before: never judged with another entry
    return InvalidArgumentError("language " + std::to_string(static_cast<int>(input.language)) +
                                " is not in this runner's table");
  const LanguageSpec& spec = *found;
  NOJ_ASSIGN_OR_RETURN(Layout layout, PrepareBox(input, spec));
  if (!spec.compile.empty()) {
    auto failed = Compile(input, spec, layout, stop);
    if (stop.stop_requested()) return AbortedError("judging cancelled");
    if (failed) return std::move(*failed);
  }
  NOJ_ASSIGN_OR_RETURN(Tools tools, PrepareTools(input, layout, stop));
  if (stop.stop_requested()) return AbortedError("judging cancelled");
  if (!tools.failure.empty()) {
    NOJ_LOG_WARN("event=problem_tool_failed problem_dir={} reason=\"{}\"",
                 input.testdata_dir.string(), judge::CleanMessage(tools.failure, 200));
    // In `message` only, cut to 1 KiB: the compiler quotes the problem's checker source, which
    // the contestant should not read at length.
    return UniformResult(input.tasks, api::Verdict::kJE, "", limits_.report_bytes, tools.failure);
  }
  // After the compile, so no compiler output is collected over them: share/ is for the runs.
  NOJ_RETURN_IF_ERROR(PlaceTree(input.testdata_dir / "share", layout.prog));
  api::ReportedCases cases;
  for (size_t t = 0; t < input.tasks.size(); ++t) {
    cases.emplace_back();
    for (int c = 0; c < input.tasks[t].case_count; ++c) {
      NOJ_ASSIGN_OR_RETURN(api::CaseResult result,
                           RunCase(input, spec, layout, tools, static_cast<int>(t), c, stop));
      cases.back().push_back(std::move(result));
    }
  }
  return cases;
}

}  // namespace noj::runner

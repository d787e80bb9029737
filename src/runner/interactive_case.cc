#include "runner/interactive_case.h"

#include <signal.h>

#include <algorithm>
#include <filesystem>

#include "judge/interaction_verdict.h"
#include "runner/checker_run.h"
#include "runner/fs_util.h"
#include "runner/result_builder.h"

namespace noj::runner {
namespace {

using SV = sandbox::Verdict;

// testlib interactors write little; points are looked for in this much of stderr.
constexpr uint64_t kInteractorStderrBytes = 64 * 1024;

judge::ProgramEnd ProgramEndOf(const sandbox::RunResult& r) {
  switch (r.verdict) {
    case SV::kTle:
      return judge::ProgramEnd::kTimeLimit;
    case SV::kMle:
      return judge::ProgramEnd::kMemoryLimit;
    case SV::kOle:
      return judge::ProgramEnd::kOutputLimit;
    default:
      break;
  }
  if (r.signal == SIGPIPE) return judge::ProgramEnd::kBrokenPipe;
  if (r.verdict == SV::kRe || r.exit_code != 0 || r.signal != 0) return judge::ProgramEnd::kFailed;
  return judge::ProgramEnd::kExitedOk;
}

std::string SandboxErrorOf(const sandbox::RunResult& program, const sandbox::RunResult& inter) {
  if (program.verdict == SV::kSe) return "program: " + program.error;
  if (inter.verdict == SV::kSe) return "interactor: " + inter.error;
  return "";
}

}  // namespace

InteractiveCaseOutcome RunInteractiveCase(CaseExecutor& executor, const InteractiveCaseSpec& spec,
                                          std::stop_token stop) {
  sandbox::RunRequest program = spec.program;
  sandbox::RunRequest interactor = spec.interactor;
  for (sandbox::RunRequest* r : {&program, &interactor}) {
    r->stdin_path.clear();
    r->stdout_path.clear();
  }
  // Idleness must end at the program's wall limit (TLE), never first at the interactor's (JE).
  interactor.limits.wall_ms = std::max(sandbox::EffectiveWallMs(interactor.limits),
                                       sandbox::EffectiveWallMs(program.limits) + 1000);
  auto [ran, interacted] = executor.ExecuteInteractive(program, interactor, stop);

  std::string interactor_stderr =
      interactor.stderr_path.empty()
          ? ""
          : ReadFilePrefix(interactor.stderr_path, kInteractorStderrBytes);
  judge::InteractionEnds ends{.sandbox_error = SandboxErrorOf(ran, interacted),
                              .program = ProgramEndOf(ran),
                              .interactor = CheckerEndOf(interacted),
                              .interactor_broken_pipe = interacted.signal == SIGPIPE,
                              .interactor_stderr = interactor_stderr};
  judge::InteractionVerdict decided = judge::DecideInteraction(ends);

  InteractiveCaseOutcome out;
  api::CaseResult& c = out.result;
  c.status = decided.verdict;
  c.exit_code = ProgramExitCode(ran);
  c.exec_time_ms = ran.cpu_ms;
  c.memory_kib = ran.memory_kib;
  c.wall_time_ms = ran.wall_ms;
  c.points = decided.points;
  c.message = std::move(decided.message);
  if (!program.stderr_path.empty())
    c.stderr_text =
        CutUtf8(ReadFilePrefix(program.stderr_path, spec.report_bytes), spec.report_bytes);
  out.interactor_accepted = decided.interactor_accepted;
  return out;
}

}  // namespace noj::runner

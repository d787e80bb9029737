// RunInteractiveCase with a scripted executor: what it asks of the boxes and how it reads their
// ends (the precedence itself is judge/interaction_verdict's, tested in test/judge/).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <functional>

#include "runner/fs_util.h"
#include "runner/interactive_case.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using api::Verdict;
using sandbox::RunRequest;
using sandbox::RunResult;
using ::testing::HasSubstr;

// Answers ExecuteInteractive through `script`; keeps the requests it was given.
class ScriptedInteractiveExecutor final : public CaseExecutor {
 public:
  using Script =
      std::function<std::pair<RunResult, RunResult>(const RunRequest&, const RunRequest&)>;
  explicit ScriptedInteractiveExecutor(Script script) : script_(std::move(script)) {}

  RunResult Execute(const RunRequest&, std::stop_token) override {
    ADD_FAILURE() << "an interactive case must not run a single box";
    return sandbox::SandboxError("unexpected");
  }
  std::pair<RunResult, RunResult> ExecuteInteractive(const RunRequest& program,
                                                     const RunRequest& interactor,
                                                     std::stop_token) override {
    program_ = program;
    interactor_ = interactor;
    return script_(program, interactor);
  }

  RunRequest program_, interactor_;

 private:
  Script script_;
};

RunResult Ended(sandbox::Verdict verdict, int exit_code = 0, int signal = 0) {
  RunResult r;
  r.verdict = verdict;
  r.exit_code = exit_code;
  r.signal = signal;
  r.cpu_ms = 12;
  r.wall_ms = 30;
  r.memory_kib = 2048;
  return r;
}

class InteractiveCaseUnit : public ::testing::Test {
 protected:
  InteractiveCaseSpec Spec() {
    InteractiveCaseSpec spec;
    spec.program.box_dir = (tmp_.path() / "prog").string();
    spec.program.box_id = 10;
    spec.program.argv = {"./main"};
    spec.program.stdin_path = "/somewhere/0000.in";  // ignored: the pipes replace them
    spec.program.stdout_path = (tmp_.path() / "case.out").string();
    spec.program.stderr_path = (tmp_.path() / "prog.err").string();
    spec.program.limits.cpu_ms = 3000;
    spec.program.limits.wall_ms = 6000;
    spec.interactor.box_dir = (tmp_.path() / "inter").string();
    spec.interactor.box_id = 11;
    spec.interactor.argv = {"./interactor", "input", "tout"};
    spec.interactor.stderr_path = (tmp_.path() / "inter.err").string();
    spec.interactor.limits.cpu_ms = 1000;
    spec.interactor.limits.wall_ms = 2000;
    return spec;
  }
  void Write(const char* name, const std::string& text) {
    ASSERT_OK(WriteFile(tmp_.path() / name, text));
  }

  noj::testing::TempDir tmp_;
};

TEST_F(InteractiveCaseUnit, AcceptedCaseCarriesTheProgramsFiguresAndTheInteractorsMessage) {
  ScriptedInteractiveExecutor exec([&](const RunRequest&, const RunRequest&) {
    Write("inter.err", "ok 3 answers\n");
    Write("prog.err", "debug line\n");
    return std::pair{Ended(sandbox::Verdict::kOk), Ended(sandbox::Verdict::kOk)};
  });
  InteractiveCaseOutcome out = RunInteractiveCase(exec, Spec(), {});
  EXPECT_EQ(out.result.status, Verdict::kAC);
  EXPECT_TRUE(out.interactor_accepted);
  EXPECT_EQ(out.result.message, "ok 3 answers\n");
  EXPECT_EQ(out.result.stderr_text, "debug line\n");
  EXPECT_EQ(out.result.exec_time_ms, 12);
  EXPECT_EQ(out.result.memory_kib, 2048);
  EXPECT_EQ(out.result.wall_time_ms, 30);
  EXPECT_EQ(out.result.exit_code, 0);
  EXPECT_TRUE(out.result.stdout_text.empty());
}

TEST_F(InteractiveCaseUnit, StdioPathsGiveWayToThePipesAndIdlenessEndsAtTheProgramsWall) {
  ScriptedInteractiveExecutor exec([](const RunRequest&, const RunRequest&) {
    return std::pair{Ended(sandbox::Verdict::kOk), Ended(sandbox::Verdict::kOk)};
  });
  InteractiveCaseSpec spec = Spec();
  RunInteractiveCase(exec, spec, {});
  EXPECT_TRUE(exec.program_.stdin_path.empty());
  EXPECT_TRUE(exec.program_.stdout_path.empty());
  EXPECT_EQ(exec.program_.stderr_path, spec.program.stderr_path);
  EXPECT_EQ(exec.program_.box_id, 10);
  EXPECT_EQ(exec.interactor_.box_id, 11);
  EXPECT_EQ(exec.interactor_.argv, spec.interactor.argv);
  // The interactor's own 2 s would end an idle dialogue before the program's 6 s (JE).
  EXPECT_EQ(exec.interactor_.limits.wall_ms, 7000);
  EXPECT_EQ(exec.interactor_.limits.cpu_ms, 1000);
}

TEST_F(InteractiveCaseUnit, PartialPointsAreReadFromTheInteractorsStderr) {
  ScriptedInteractiveExecutor exec([&](const RunRequest&, const RunRequest&) {
    Write("inter.err", "points 0.25 one of four\n");
    return std::pair{Ended(sandbox::Verdict::kOk), Ended(sandbox::Verdict::kRe, 7)};
  });
  InteractiveCaseOutcome out = RunInteractiveCase(exec, Spec(), {});
  EXPECT_EQ(out.result.status, Verdict::kWA);
  EXPECT_EQ(out.result.points, 0.25);
  EXPECT_FALSE(out.interactor_accepted);
}

TEST_F(InteractiveCaseUnit, ProgramKilledByBrokenPipeAfterTheInteractorGaveUpIsWrongAnswer) {
  ScriptedInteractiveExecutor exec([&](const RunRequest&, const RunRequest&) {
    Write("inter.err", "wrong answer: answer 2 is 5, expected 4\n");
    return std::pair{Ended(sandbox::Verdict::kRe, 0, SIGPIPE), Ended(sandbox::Verdict::kRe, 1)};
  });
  InteractiveCaseOutcome out = RunInteractiveCase(exec, Spec(), {});
  EXPECT_EQ(out.result.status, Verdict::kWA);
  EXPECT_EQ(out.result.exit_code, 128 + SIGPIPE);
  EXPECT_THAT(out.result.message, HasSubstr("answer 2 is 5"));
}

TEST_F(InteractiveCaseUnit, InteractorKilledByBrokenPipeIsTheProgramsWrongAnswer) {
  ScriptedInteractiveExecutor exec([](const RunRequest&, const RunRequest&) {
    return std::pair{Ended(sandbox::Verdict::kOk), Ended(sandbox::Verdict::kRe, 0, SIGPIPE)};
  });
  EXPECT_EQ(RunInteractiveCase(exec, Spec(), {}).result.status, Verdict::kWA);
}

TEST_F(InteractiveCaseUnit, InteractorLimitIsJudgeErrorSayingWhich) {
  ScriptedInteractiveExecutor exec([](const RunRequest&, const RunRequest&) {
    return std::pair{Ended(sandbox::Verdict::kOk), Ended(sandbox::Verdict::kTle, 0, SIGKILL)};
  });
  InteractiveCaseOutcome out = RunInteractiveCase(exec, Spec(), {});
  EXPECT_EQ(out.result.status, Verdict::kJE);
  EXPECT_THAT(out.result.message, HasSubstr("interactor did not finish: time limit"));
}

TEST_F(InteractiveCaseUnit, ABoxThatCouldNotRunIsJudgeError) {
  ScriptedInteractiveExecutor exec([](const RunRequest&, const RunRequest&) {
    return std::pair{Ended(sandbox::Verdict::kTle), sandbox::SandboxError("clone3 failed")};
  });
  InteractiveCaseOutcome out = RunInteractiveCase(exec, Spec(), {});
  EXPECT_EQ(out.result.status, Verdict::kJE);
  EXPECT_EQ(out.result.message, "sandbox error: interactor: clone3 failed");
}

TEST_F(InteractiveCaseUnit, TheDefaultExecutorCannotRunInteractiveCases) {
  class Plain final : public CaseExecutor {
   public:
    RunResult Execute(const RunRequest&, std::stop_token) override {
      return Ended(sandbox::Verdict::kOk);
    }
  } plain;
  InteractiveCaseOutcome out = RunInteractiveCase(plain, Spec(), {});
  EXPECT_EQ(out.result.status, Verdict::kJE);
  EXPECT_THAT(out.result.message, HasSubstr("not supported"));
}

}  // namespace
}  // namespace noj::runner

// judging.md §4's precedence for interactive cases, every ordering without processes.

#include "judge/interaction_verdict.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace noj::judge {
namespace {

using api::Verdict;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

CheckerEnd Exited(int code) { return CheckerEnd{.exited = true, .exit_code = code}; }
CheckerEnd Stopped(std::string why) { return CheckerEnd{.exited = false, .why_not = why}; }

InteractionEnds Ends(ProgramEnd program, CheckerEnd interactor, std::string_view stderr_text = "") {
  return InteractionEnds{
      .program = program, .interactor = std::move(interactor), .interactor_stderr = stderr_text};
}

TEST(InteractionVerdict, BothFineIsAcceptedWithTheInteractorsMessage) {
  InteractionVerdict v = DecideInteraction(Ends(ProgramEnd::kExitedOk, Exited(0), "ok 3 answers"));
  EXPECT_EQ(v.verdict, Verdict::kAC);
  EXPECT_EQ(v.message, "ok 3 answers");
  EXPECT_TRUE(v.interactor_accepted);
  EXPECT_FALSE(v.points.has_value());
}

TEST(InteractionVerdict, ProgramLimitsComeFirstWhateverTheInteractorSays) {
  const std::pair<ProgramEnd, Verdict> limits[] = {{ProgramEnd::kTimeLimit, Verdict::kTLE},
                                                   {ProgramEnd::kMemoryLimit, Verdict::kMLE},
                                                   {ProgramEnd::kOutputLimit, Verdict::kOLE}};
  for (auto [end, verdict] : limits) {
    for (const CheckerEnd& interactor :
         {Exited(0), Exited(1), Exited(3), Exited(7), Stopped("time limit")}) {
      InteractionVerdict v = DecideInteraction(Ends(end, interactor, "points 0.5"));
      EXPECT_EQ(v.verdict, verdict) << interactor.exit_code;
      EXPECT_THAT(v.message, IsEmpty());
      EXPECT_FALSE(v.interactor_accepted);
      EXPECT_FALSE(v.points.has_value());
    }
  }
}

// Idleness: both wait; the program's wall limit ends the run and the interactor then reads EOF.
TEST(InteractionVerdict, IdlenessIsTheProgramsTimeLimitNotTheInteractorsEof) {
  InteractionVerdict v = DecideInteraction(
      Ends(ProgramEnd::kTimeLimit, Exited(1), "wrong answer unexpected end of file"));
  EXPECT_EQ(v.verdict, Verdict::kTLE);
}

TEST(InteractionVerdict, InteractorWrongAnswerBeatsTheProgramsRuntimeError) {
  for (ProgramEnd program : {ProgramEnd::kFailed, ProgramEnd::kBrokenPipe, ProgramEnd::kExitedOk}) {
    for (int code : {1, 2, 8}) {
      InteractionVerdict v = DecideInteraction(
          Ends(program, Exited(code), "wrong answer 2nd answer is 5, expected 3"));
      EXPECT_EQ(v.verdict, Verdict::kWA);
      EXPECT_EQ(v.message, "wrong answer 2nd answer is 5, expected 3");
      EXPECT_FALSE(v.points.has_value());
      EXPECT_FALSE(v.interactor_accepted);
    }
  }
}

TEST(InteractionVerdict, ZeroPointsCountAsTheInteractorGivingUp) {
  InteractionVerdict v =
      DecideInteraction(Ends(ProgramEnd::kFailed, Exited(7), "points 0 nothing right"));
  EXPECT_EQ(v.verdict, Verdict::kWA);
}

TEST(InteractionVerdict, ProgramRuntimeErrorBeatsTheInteractorsOtherVerdicts) {
  for (const CheckerEnd& interactor : {Exited(0), Exited(3), Exited(7), Stopped("signal 9")}) {
    InteractionVerdict v = DecideInteraction(Ends(ProgramEnd::kFailed, interactor, "points 0.5"));
    EXPECT_EQ(v.verdict, Verdict::kRE) << interactor.exit_code << interactor.why_not;
    EXPECT_THAT(v.message, IsEmpty());
    EXPECT_FALSE(v.interactor_accepted);
    EXPECT_FALSE(v.points.has_value());
  }
}

// A broken pipe only says the interactor had already ended: its verdict decides.
TEST(InteractionVerdict, ProgramKilledByBrokenPipeIsJudgedByTheInteractor) {
  EXPECT_EQ(DecideInteraction(Ends(ProgramEnd::kBrokenPipe, Exited(0))).verdict, Verdict::kAC);
  EXPECT_EQ(DecideInteraction(Ends(ProgramEnd::kBrokenPipe, Exited(3))).verdict, Verdict::kJE);
  InteractionVerdict v =
      DecideInteraction(Ends(ProgramEnd::kBrokenPipe, Exited(7), "points 0.25 one of four"));
  EXPECT_EQ(v.verdict, Verdict::kWA);
  EXPECT_EQ(v.points, 0.25);
}

TEST(InteractionVerdict, PartialPointsAreWrongAnswerWithPoints) {
  InteractionVerdict v =
      DecideInteraction(Ends(ProgramEnd::kExitedOk, Exited(7), "points 0.5 half of them"));
  EXPECT_EQ(v.verdict, Verdict::kWA);
  ASSERT_TRUE(v.points.has_value());
  EXPECT_DOUBLE_EQ(*v.points, 0.5);
  EXPECT_EQ(v.message, "points 0.5 half of them");
  EXPECT_FALSE(v.interactor_accepted);
}

TEST(InteractionVerdict, FullPointsAreAccepted) {
  InteractionVerdict v = DecideInteraction(Ends(ProgramEnd::kExitedOk, Exited(7), "points 1"));
  EXPECT_EQ(v.verdict, Verdict::kAC);
  EXPECT_TRUE(v.interactor_accepted);
}

TEST(InteractionVerdict, InteractorFailureIsJudgeErrorNamingTheInteractor) {
  InteractionVerdict failed =
      DecideInteraction(Ends(ProgramEnd::kExitedOk, Exited(3), "FAIL input has 0 pairs"));
  EXPECT_EQ(failed.verdict, Verdict::kJE);
  EXPECT_EQ(failed.message, "FAIL input has 0 pairs");
  InteractionVerdict silent = DecideInteraction(Ends(ProgramEnd::kExitedOk, Exited(3)));
  EXPECT_EQ(silent.verdict, Verdict::kJE);
  EXPECT_EQ(silent.message, "interactor failed (exit status 3)");
  InteractionVerdict limit =
      DecideInteraction(Ends(ProgramEnd::kExitedOk, Stopped("time limit exceeded")));
  EXPECT_EQ(limit.verdict, Verdict::kJE);
  EXPECT_EQ(limit.message, "interactor did not finish: time limit exceeded");
  InteractionVerdict odd = DecideInteraction(Ends(ProgramEnd::kExitedOk, Exited(42)));
  EXPECT_EQ(odd.message, "interactor exited with status 42");
  InteractionVerdict bad_points =
      DecideInteraction(Ends(ProgramEnd::kExitedOk, Exited(7), "points 1.5"));
  EXPECT_EQ(bad_points.verdict, Verdict::kJE);
  EXPECT_THAT(bad_points.message, HasSubstr("interactor gave points outside [0, 1]"));
}

// Only the program can close the pipe the interactor writes to: a contestant must not be able
// to turn its own early exit into JE.
TEST(InteractionVerdict, InteractorKilledByBrokenPipeIsTheProgramsWrongAnswer) {
  for (ProgramEnd program : {ProgramEnd::kExitedOk, ProgramEnd::kFailed}) {
    InteractionEnds e = Ends(program, Stopped("signal 13"));
    e.interactor_broken_pipe = true;
    InteractionVerdict v = DecideInteraction(e);
    EXPECT_EQ(v.verdict, Verdict::kWA);
    EXPECT_THAT(v.message, HasSubstr("stopped reading"));
  }
}

TEST(InteractionVerdict, SandboxErrorIsJudgeErrorBeforeAnything) {
  InteractionEnds e = Ends(ProgramEnd::kTimeLimit, Exited(1));
  e.sandbox_error = "box setup failed at mount";
  InteractionVerdict v = DecideInteraction(e);
  EXPECT_EQ(v.verdict, Verdict::kJE);
  EXPECT_EQ(v.message, "sandbox error: box setup failed at mount");
}

TEST(InteractionVerdict, MessagesAreCutAndValidUtf8) {
  std::string long_text(5000, 'x');
  long_text += "\xff";
  InteractionVerdict v = DecideInteraction(Ends(ProgramEnd::kExitedOk, Exited(1), long_text));
  EXPECT_EQ(v.verdict, Verdict::kWA);
  EXPECT_LE(v.message.size(), kCheckerMessageBytes);
}

}  // namespace
}  // namespace noj::judge

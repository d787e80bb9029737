// judging.md §3: what a custom checker's (or an interactor's) end means, testlib's exit statuses.

#include "judge/checker_exit.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace noj::judge {
namespace {

using ::testing::HasSubstr;

CheckerOutcome ExitedWith(int status, std::string_view stderr_text = "") {
  return InterpretCheckerEnd(CheckerEnd{.exited = true, .exit_code = status}, stderr_text);
}

TEST(CheckerExit, ZeroIsAcceptedWithTheMessageKept) {
  CheckerOutcome o = ExitedWith(0, "ok 3 numbers");
  EXPECT_EQ(o.judgement, CheckerJudgement::kAccepted);
  EXPECT_EQ(o.points, 1);
  EXPECT_EQ(o.message, "ok 3 numbers");
}

TEST(CheckerExit, WrongAnswerPresentationErrorAndUnexpectedEofAreWrongAnswers) {
  for (int status : {1, 2, 8}) {
    CheckerOutcome o = ExitedWith(status, "wrong answer expected 3, found 4");
    EXPECT_EQ(o.judgement, CheckerJudgement::kWrongAnswer) << status;
    EXPECT_EQ(o.points, 0) << status;
    EXPECT_EQ(o.message, "wrong answer expected 3, found 4");
  }
}

TEST(CheckerExit, SevenReadsTestlibsPointsLine) {
  CheckerOutcome o = ExitedWith(7, "points 0.25 two of eight\n");
  EXPECT_EQ(o.judgement, CheckerJudgement::kWrongAnswer);
  EXPECT_DOUBLE_EQ(o.points, 0.25);
  EXPECT_EQ(o.message, "points 0.25 two of eight\n");
  // Without the word, the first number on stderr.
  EXPECT_DOUBLE_EQ(ExitedWith(7, "partially correct: 0.5").points, 0.5);
  // testlib's quitp with a score of 1 is an AC.
  o = ExitedWith(7, "points 1");
  EXPECT_EQ(o.judgement, CheckerJudgement::kAccepted);
  EXPECT_EQ(o.points, 1);
  EXPECT_EQ(ExitedWith(7, "points 0").judgement, CheckerJudgement::kWrongAnswer);
}

TEST(CheckerExit, SevenWithoutPointsInZeroToOneIsJudgeError) {
  for (const char* text : {"", "points", "points 1.5", "points -0.1", "no number at all",
                           "points nan", "points inf"}) {
    CheckerOutcome o = ExitedWith(7, text);
    EXPECT_EQ(o.judgement, CheckerJudgement::kJudgeError) << text;
    EXPECT_EQ(o.points, 0) << text;
  }
}

TEST(CheckerExit, ThreeAndEveryOtherStatusAreJudgeErrors) {
  CheckerOutcome o = ExitedWith(3, "FAIL answer file is empty");
  EXPECT_EQ(o.judgement, CheckerJudgement::kJudgeError);
  EXPECT_EQ(o.message, "FAIL answer file is empty");
  EXPECT_THAT(ExitedWith(3).message, HasSubstr("status 3"));
  for (int status : {4, 5, 6, 9, 42, 255}) {
    o = ExitedWith(status);
    EXPECT_EQ(o.judgement, CheckerJudgement::kJudgeError) << status;
    EXPECT_THAT(o.message, HasSubstr("status " + std::to_string(status)));
  }
}

TEST(CheckerExit, ASignalOrALimitIsJudgeErrorSayingWhy) {
  CheckerOutcome o = InterpretCheckerEnd(CheckerEnd{.why_not = "killed by signal 9"}, "");
  EXPECT_EQ(o.judgement, CheckerJudgement::kJudgeError);
  EXPECT_THAT(o.message, HasSubstr("killed by signal 9"));
  o = InterpretCheckerEnd(CheckerEnd{.why_not = "time limit exceeded"}, "partial output");
  EXPECT_EQ(o.judgement, CheckerJudgement::kJudgeError);
  EXPECT_EQ(o.message, "partial output");
}

TEST(CheckerExit, MessagesAreCutToOneKibOfValidUtf8) {
  std::string long_text(2000, 'x');
  EXPECT_EQ(ExitedWith(1, long_text).message.size(), kCheckerMessageBytes);
  // A 3-byte character straddling the cut is dropped whole.
  std::string straddling = std::string(1023, 'a') + "\xE2\x82\xAC";
  EXPECT_EQ(ExitedWith(1, straddling).message, std::string(1023, 'a'));
  // Invalid bytes become U+FFFD.
  EXPECT_EQ(CleanMessage("ok \xFF\xC0 done"), "ok \xEF\xBF\xBD\xEF\xBF\xBD done");
  EXPECT_EQ(CleanMessage("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(CleanMessage("caf\xC3\xA9"), "caf\xC3\xA9");
}

}  // namespace
}  // namespace noj::judge

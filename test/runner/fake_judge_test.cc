// FakeJudge (noj-runner --fake-judge, for the chaos harness): what the markers select, the shape
// of the results, and that the mode is refused unless explicitly enabled.
#include "runner/fake_judge.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <stop_token>

#include "runner/fakes.h"
#include "runner/runner_flags.h"
#include "support/status_matchers.h"

namespace noj::runner {
namespace {

using api::Verdict;
using noj::testing::StatusIs;
using testing::FakeSleeper;

JudgeInput InputFor(std::string source) {
  JudgeInput in;
  in.language = api::Language::kCpp;
  in.source = std::move(source);
  in.tasks = {{.score = 40, .case_count = 2, .memory_limit_kib = 65536, .time_limit_ms = 1000},
              {.score = 60, .case_count = 3, .memory_limit_kib = 65536, .time_limit_ms = 1000}};
  return in;
}

TEST(FakeJudgeAllowed, RefusedUnlessTheVariableIsOne) {
  EXPECT_OK(CheckFakeJudgeAllowed(false, nullptr));
  EXPECT_OK(CheckFakeJudgeAllowed(false, "0"));
  EXPECT_THAT(CheckFakeJudgeAllowed(true, nullptr), StatusIs(ErrorCode::kPermissionDenied));
  EXPECT_THAT(CheckFakeJudgeAllowed(true, ""), StatusIs(ErrorCode::kPermissionDenied));
  EXPECT_THAT(CheckFakeJudgeAllowed(true, "0"), StatusIs(ErrorCode::kPermissionDenied));
  EXPECT_THAT(CheckFakeJudgeAllowed(true, "yes"), StatusIs(ErrorCode::kPermissionDenied));
  EXPECT_OK(CheckFakeJudgeAllowed(true, "1"));
  Status s = CheckFakeJudgeAllowed(true, nullptr);
  EXPECT_THAT(s.message(), ::testing::HasSubstr(kAllowFakeJudgeEnv));
}

TEST(FakeJudgeFlag, OffByDefaultOnWithTheFlag) {
  std::vector<std::string> args = {"noj-runner", "--server", "http://127.0.0.1:1"};
  auto parse = [](std::vector<std::string> a) {
    std::vector<char*> argv;
    for (auto& s : a) argv.push_back(s.data());
    RunnerFlags f;
    EXPECT_EQ(ParseRunnerFlags(static_cast<int>(argv.size()), argv.data(), &f), -1);
    return f;
  };
  EXPECT_FALSE(parse(args).fake_judge);
  args.push_back("--fake-judge");
  RunnerFlags on = parse(args);
  EXPECT_TRUE(on.fake_judge);
  EXPECT_THAT(DescribeFlags(on), ::testing::HasSubstr("fake_judge=on"));
}

TEST(FakeJudgePlan, MarkersSelectTheVerdict) {
  EXPECT_EQ(PlanFor("// FAKE:WA\nint main(){}").verdict, Verdict::kWA);
  EXPECT_EQ(PlanFor("FAKE:OLE").verdict, Verdict::kOLE);
  EXPECT_EQ(PlanFor("FAKE:TLE").verdict, Verdict::kTLE);
  EXPECT_EQ(PlanFor("FAKE:JE").verdict, Verdict::kJE);
  EXPECT_EQ(PlanFor("FAKE:AC").action, FakeAction::kVerdict);
  EXPECT_EQ(PlanFor("FAKE:FAIL").action, FakeAction::kFail);
  EXPECT_EQ(PlanFor("x FAKE:CRASH y").action, FakeAction::kCrash);
  // The first marker naming a verdict or an action decides; unknown words are skipped.
  EXPECT_EQ(PlanFor("FAKE:NOPE FAKE:DELAY=5 FAKE:RE FAKE:WA").verdict, Verdict::kRE);
  // "FAKE:WAX" is not "FAKE:WA".
  EXPECT_EQ(PlanFor("FAKE:WAX FAKE:MLE").verdict, Verdict::kMLE);
}

TEST(FakeJudgePlan, DelayMarkerAndDefault) {
  EXPECT_EQ(PlanFor("FAKE:AC FAKE:DELAY=250").delay.count(), 250);
  EXPECT_EQ(PlanFor("FAKE:DELAY=999999 FAKE:AC").delay.count(), 60000);
  int64_t fallback = PlanFor("FAKE:DELAY=x1 FAKE:AC").delay.count();
  EXPECT_GE(fallback, 0);
  EXPECT_LT(fallback, 50);
  int64_t negative = PlanFor("FAKE:DELAY=-3 FAKE:AC").delay.count();  // ignored: the hash's
  EXPECT_GE(negative, 0);
  EXPECT_LT(negative, 50);
}

TEST(FakeJudgePlan, WithoutMarkerTheHashPicksAndIsStable) {
  std::set<Verdict> seen;
  for (int i = 0; i < 200; ++i) {
    std::string code = "int main() { return " + std::to_string(i) + "; }";
    FakePlan a = PlanFor(code), b = PlanFor(code);
    EXPECT_EQ(a.verdict, b.verdict);
    EXPECT_EQ(a.delay, b.delay);
    EXPECT_EQ(a.action, FakeAction::kVerdict);
    EXPECT_NE(a.verdict, Verdict::kJE);
    seen.insert(a.verdict);
  }
  EXPECT_EQ(seen.size(), 7u);  // AC WA TLE MLE RE OLE CE all come up
}

TEST(FakeJudge, VerdictOnTheLastCaseEveryOtherCaseAc) {
  FakeSleeper sleeper;
  FakeJudge judge(sleeper, "r1/42");
  auto cases = judge.Judge(InputFor("FAKE:WA FAKE:DELAY=120"), {});
  ASSERT_OK(cases.status());
  ASSERT_EQ(cases->size(), 2u);
  ASSERT_EQ((*cases)[0].size(), 2u);
  ASSERT_EQ((*cases)[1].size(), 3u);
  for (const auto& c : (*cases)[0]) EXPECT_EQ(c.status, Verdict::kAC);
  EXPECT_EQ((*cases)[1][0].status, Verdict::kAC);
  EXPECT_EQ((*cases)[1][1].status, Verdict::kAC);
  EXPECT_EQ((*cases)[1][2].status, Verdict::kWA);
  EXPECT_THAT((*cases)[1][2].stdout_text,
              ::testing::HasSubstr("r1/42 verdict=WA src=" +
                                   FakeSourceHash("FAKE:WA FAKE:DELAY=120") + " task=1 case=2"));
  EXPECT_EQ(FakeSourceHash("a").size(), 16u);
  EXPECT_NE(FakeSourceHash("a"), FakeSourceHash("b"));
  EXPECT_THAT(sleeper.sleeps(), ::testing::ElementsAre(120));
}

TEST(FakeJudge, CompileErrorIsOnEveryCase) {
  FakeSleeper sleeper;
  FakeJudge judge(sleeper, "r");
  auto cases = judge.Judge(InputFor("FAKE:CE FAKE:DELAY=0"), {});
  ASSERT_OK(cases.status());
  for (const auto& task : *cases)
    for (const auto& c : task) {
      EXPECT_EQ(c.status, Verdict::kCE);
      EXPECT_FALSE(c.stderr_text.empty());
    }
  EXPECT_TRUE(sleeper.sleeps().empty());
}

TEST(FakeJudge, FailIsLocalTroubleAndStopIsAborted) {
  FakeSleeper sleeper;
  FakeJudge judge(sleeper, "r");
  EXPECT_THAT(judge.Judge(InputFor("FAKE:FAIL"), {}), StatusIs(ErrorCode::kInternal));
  std::stop_source stop;
  stop.request_stop();
  EXPECT_THAT(judge.Judge(InputFor("FAKE:AC FAKE:DELAY=10"), stop.get_token()),
              StatusIs(ErrorCode::kAborted));
  EXPECT_THAT(judge.Judge(InputFor("FAKE:AC FAKE:DELAY=0"), stop.get_token()),
              StatusIs(ErrorCode::kAborted));
}

TEST(FakeJudgeDeathTest, CrashExitsTheProcess) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  FakeSleeper sleeper;
  FakeJudge judge(sleeper, "r");
  EXPECT_EXIT(judge.Judge(InputFor("FAKE:CRASH FAKE:DELAY=0"), {}).status().IgnoreError(),
              ::testing::ExitedWithCode(70), "");
}

}  // namespace
}  // namespace noj::runner

#include "judge/aggregate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace noj::judge {
namespace {

using api::CaseResult;
using api::Verdict;
using ::testing::HasSubstr;

CaseResult C(Verdict v, int64_t time = 1, int64_t mem = 1, int exit_code = 0) {
  return {v, exit_code, time, mem, "", ""};
}

const api::TaskSpecs kTasks = {{30, 2, 65536, 1000}, {70, 3, 65536, 1000}};

TEST(Aggregate, AllAcceptedScoresEveryTask) {
  api::ReportedCases cases = {{C(Verdict::kAC), C(Verdict::kAC)},
                              {C(Verdict::kAC), C(Verdict::kAC), C(Verdict::kAC)}};
  api::SubmissionResult r = Aggregate(kTasks, cases);
  EXPECT_EQ(r.status, Verdict::kAC);
  EXPECT_EQ(r.score, 100);
  ASSERT_EQ(r.tasks.size(), 2u);
  EXPECT_EQ(r.tasks[0].score, 30);
  EXPECT_EQ(r.tasks[1].score, 70);
  EXPECT_EQ(r.tasks[1].cases.size(), 3u);
}

TEST(Aggregate, TaskStatusIsTheMaxCodeAndScoresOnlyIfAllAccepted) {
  api::ReportedCases cases = {{C(Verdict::kAC), C(Verdict::kAC)},
                              {C(Verdict::kWA), C(Verdict::kTLE), C(Verdict::kAC)}};
  api::SubmissionResult r = Aggregate(kTasks, cases);
  EXPECT_EQ(r.tasks[0].status, Verdict::kAC);
  EXPECT_EQ(r.tasks[0].score, 30);
  EXPECT_EQ(r.tasks[1].status, Verdict::kTLE);
  EXPECT_EQ(r.tasks[1].score, 0);
  EXPECT_EQ(r.status, Verdict::kTLE);
  EXPECT_EQ(r.score, 30);
}

TEST(Aggregate, SubmissionStatusIsTheMaxOverTasks) {
  api::ReportedCases cases = {{C(Verdict::kOLE), C(Verdict::kAC)},
                              {C(Verdict::kRE), C(Verdict::kJE), C(Verdict::kMLE)}};
  api::SubmissionResult r = Aggregate(kTasks, cases);
  EXPECT_EQ(r.tasks[0].status, Verdict::kOLE);
  EXPECT_EQ(r.tasks[1].status, Verdict::kJE);
  EXPECT_EQ(r.status, Verdict::kOLE);  // OLE (7) > JE (6)
  EXPECT_EQ(r.score, 0);
}

TEST(Aggregate, CompileErrorEverywhereGivesCeAndZero) {
  api::ReportedCases cases = {
      {C(Verdict::kCE, 0, 0, 1), C(Verdict::kCE, 0, 0, 1)},
      {C(Verdict::kCE, 0, 0, 1), C(Verdict::kCE, 0, 0, 1), C(Verdict::kCE, 0, 0, 1)}};
  api::SubmissionResult r = Aggregate(kTasks, cases);
  EXPECT_EQ(r.status, Verdict::kCE);
  EXPECT_EQ(r.score, 0);
}

TEST(Aggregate, TimeAndMemoryAreMaxima) {
  api::ReportedCases cases = {
      {C(Verdict::kAC, 10, 500), C(Verdict::kAC, 40, 100)},
      {C(Verdict::kAC, 5, 2000), C(Verdict::kAC, 30, 10), C(Verdict::kAC, 1, 1)}};
  api::SubmissionResult r = Aggregate(kTasks, cases);
  EXPECT_EQ(r.tasks[0].exec_time_ms, 40);
  EXPECT_EQ(r.tasks[0].memory_kib, 500);
  EXPECT_EQ(r.tasks[1].exec_time_ms, 30);
  EXPECT_EQ(r.tasks[1].memory_kib, 2000);
  EXPECT_EQ(r.exec_time_ms, 40);
  EXPECT_EQ(r.memory_kib, 2000);
}

TEST(Aggregate, KeepsCaseSummariesWithoutOutputs) {
  api::ReportedCases cases = {{{Verdict::kRE, 139, 7, 8, "out", "err"}, C(Verdict::kAC)},
                              {C(Verdict::kAC), C(Verdict::kAC), C(Verdict::kAC)}};
  api::SubmissionResult r = Aggregate(kTasks, cases);
  EXPECT_EQ(r.tasks[0].cases[0], (api::CaseSummary{Verdict::kRE, 139, 7, 8}));
}

TEST(Aggregate, JudgeErrorResultIsJeWithNoDetail) {
  api::SubmissionResult r = JudgeErrorResult();
  EXPECT_EQ(r.status, Verdict::kJE);
  EXPECT_EQ(r.score, 0);
  EXPECT_EQ(r.exec_time_ms, 0);
  EXPECT_EQ(r.memory_kib, 0);
  EXPECT_TRUE(r.tasks.empty());
}

TEST(CheckShape, AcceptsExactShape) {
  api::ReportedCases cases = {{C(Verdict::kAC), C(Verdict::kAC)},
                              {C(Verdict::kAC), C(Verdict::kAC), C(Verdict::kAC)}};
  EXPECT_TRUE(CheckShape(kTasks, cases).ok());
}

TEST(CheckShape, NamesWrongTaskCount) {
  api::ReportedCases cases = {{C(Verdict::kAC), C(Verdict::kAC)}};
  Status s = CheckShape(kTasks, cases);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "result has 1 tasks, expected 2");
  cases.push_back({C(Verdict::kAC), C(Verdict::kAC), C(Verdict::kAC)});
  cases.push_back({});
  s = CheckShape(kTasks, cases);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "result has 3 tasks, expected 2");
}

TEST(CheckShape, NamesFirstTaskWithWrongCaseCount) {
  api::ReportedCases cases = {{C(Verdict::kAC), C(Verdict::kAC)},
                              {C(Verdict::kAC), C(Verdict::kAC)}};
  Status s = CheckShape(kTasks, cases);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "task 1 has 2 cases, expected 3");
  cases = {{C(Verdict::kAC), C(Verdict::kAC), C(Verdict::kAC)}, {}};
  s = CheckShape(kTasks, cases);
  EXPECT_EQ(s.message(), "task 0 has 3 cases, expected 2");
}

TEST(TruncatedOutputs, KeepsShortOutputsAndIndexesCases) {
  api::ReportedCases cases = {{{Verdict::kAC, 0, 0, 0, "a", "b"}},
                              {{Verdict::kAC, 0, 0, 0, "", ""}, {Verdict::kWA, 0, 0, 0, "c", "d"}}};
  std::vector<api::CaseOutput> out = TruncatedOutputs(cases, 10);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], (api::CaseOutput{0, 0, "a", "b"}));
  EXPECT_EQ(out[1], (api::CaseOutput{1, 0, "", ""}));
  EXPECT_EQ(out[2], (api::CaseOutput{1, 1, "c", "d"}));
}

TEST(TruncatedOutputs, CutsToTheCap) {
  api::ReportedCases cases = {
      {{Verdict::kOLE, 0, 0, 0, std::string(100, 'x'), std::string(5, 'e')}}};
  std::vector<api::CaseOutput> out = TruncatedOutputs(cases, 10);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].stdout_text, std::string(10, 'x'));
  EXPECT_EQ(out[0].stderr_text, "eeeee");
}

TEST(TruncatedOutputs, NeverSplitsAUtf8Character) {
  const std::string euro = "\xe2\x82\xac";       // 3 bytes
  const std::string emoji = "\xf0\x9f\x98\x80";  // 4 bytes
  auto cut = [](const std::string& s, size_t max) {
    return TruncatedOutputs({{{Verdict::kAC, 0, 0, 0, s, ""}}}, max)[0].stdout_text;
  };
  EXPECT_EQ(cut("ab" + euro, 3), "ab");
  EXPECT_EQ(cut("ab" + euro, 4), "ab");
  EXPECT_EQ(cut("ab" + euro, 5), "ab" + euro);
  EXPECT_EQ(cut("ab" + euro + "c", 5), "ab" + euro);
  EXPECT_EQ(cut("a" + emoji + "b", 4), "a");
  EXPECT_EQ(cut("a" + emoji + "b", 5), "a" + emoji);
  EXPECT_EQ(cut(emoji + emoji, 7), emoji);
  EXPECT_EQ(cut("\xc3\xa9\xc3\xa9", 3), "\xc3\xa9");
  EXPECT_EQ(cut(euro, 0), "");
}

TEST(TruncatedOutputs, CutsBinaryOutputsAtTheCap) {
  // Stray continuation bytes are not UTF-8: a plain cut.
  std::string binary(20, '\x80');
  EXPECT_EQ(TruncatedOutputs({{{Verdict::kAC, 0, 0, 0, binary, ""}}}, 8)[0].stdout_text.size(), 8u);
}

CaseResult Points(Verdict v, double p) {
  CaseResult c = C(v);
  c.points = p;
  return c;
}

api::TaskSpecs PartialTasks() {
  api::TaskSpecs tasks = {{40, 3, 65536, 1000}, {60, 2, 65536, 1000}};
  tasks[0].scoring = api::TaskScoring::kPartial;
  return tasks;
}

TEST(AggregatePartial, ScoresTheMeanOfTheCasesPointsRoundedDown) {
  // (1 + 0.5 + 0) / 3 × 40 = 20; the second task keeps Normal-OJ's all-or-nothing rule.
  api::ReportedCases cases = {{C(Verdict::kAC), Points(Verdict::kWA, 0.5), C(Verdict::kTLE)},
                              {C(Verdict::kAC), Points(Verdict::kWA, 0.9)}};
  api::SubmissionResult r = Aggregate(PartialTasks(), cases);
  EXPECT_EQ(r.tasks[0].status, Verdict::kTLE);
  EXPECT_EQ(r.tasks[0].score, 20);
  EXPECT_EQ(r.tasks[1].status, Verdict::kWA);
  EXPECT_EQ(r.tasks[1].score, 0);
  EXPECT_EQ(r.score, 20);
  EXPECT_EQ(r.status, Verdict::kTLE);
}

TEST(AggregatePartial, ThirdsThatSumToAWholeDoNotLoseAPointToRounding) {
  api::TaskSpecs tasks = PartialTasks();
  tasks[0].score = 30;
  api::ReportedCases cases = {
      {Points(Verdict::kWA, 0.7), Points(Verdict::kWA, 0.7), Points(Verdict::kWA, 0.7)},
      {C(Verdict::kAC), C(Verdict::kAC)}};
  // 30 × 0.7 = 21 exactly in decimal, 20.999… in binary.
  EXPECT_EQ(Aggregate(tasks, cases).tasks[0].score, 21);
}

TEST(AggregatePartial, PointsCountOnlyOnWrongAnswersAndAllAcceptedScoresInFull) {
  api::ReportedCases cases = {
      {Points(Verdict::kTLE, 0.9), Points(Verdict::kRE, 1), Points(Verdict::kAC, 0.2)},
      {C(Verdict::kAC), C(Verdict::kAC)}};
  api::SubmissionResult r = Aggregate(PartialTasks(), cases);
  EXPECT_EQ(r.tasks[0].score, 13);  // only the AC counts, as 1: 40 / 3
  cases[0] = {C(Verdict::kAC), C(Verdict::kAC), C(Verdict::kAC)};
  r = Aggregate(PartialTasks(), cases);
  EXPECT_EQ(r.tasks[0].score, 40);
  EXPECT_EQ(r.score, 100);
  EXPECT_EQ(r.status, Verdict::kAC);
}

TEST(AggregatePartial, CaseExtensionsAreKeptInTheSummary) {
  CaseResult c = Points(Verdict::kWA, 0.25);
  c.wall_time_ms = 17;
  c.message = "points 0.25 two of eight";
  api::ReportedCases cases = {{c, C(Verdict::kAC), C(Verdict::kAC)},
                              {C(Verdict::kAC), C(Verdict::kAC)}};
  api::SubmissionResult r = Aggregate(PartialTasks(), cases);
  const api::CaseSummary& s = r.tasks[0].cases[0];
  EXPECT_EQ(s.wall_time_ms, 17);
  EXPECT_EQ(s.points, 0.25);
  EXPECT_EQ(s.message, "points 0.25 two of eight");
  EXPECT_EQ(r.tasks[0].score, 30);  // (0.25 + 1 + 1) / 3 × 40
}

}  // namespace
}  // namespace noj::judge

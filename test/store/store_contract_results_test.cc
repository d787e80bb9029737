// StoreContract: what judging.md adds to results — partial scoring per task (§2) and the case
// extensions wallTime, points and message (§6) — lands and reads back the same in every store.

#include "judge/aggregate.h"
#include "store_contract_fixture.h"

namespace noj::store::contract {
namespace {

api::CaseResult Case(api::Verdict status, std::optional<double> points, std::string message) {
  api::CaseResult c{status, 0, 10, 1024, "out", ""};
  c.wall_time_ms = 25;
  c.points = points;
  c.message = std::move(message);
  return c;
}

TEST_P(StoreContract, PartialScoringTasksReadBackAndScoreTheMeanOfTheirPoints) {
  api::TaskSpecs tasks = {{40, 2, 65536, 1000}, {60, 1, 65536, 1000}};
  tasks[0].scoring = api::TaskScoring::kPartial;
  ASSERT_OK_AND_ASSIGN(int64_t pid, store().CreateProblem(NewProblem{"partial", tasks}, Now()));
  ASSERT_OK_AND_ASSIGN(ProblemRecord problem, store().GetProblem(pid));
  EXPECT_EQ(problem.tasks, tasks);

  const std::string rn = RegisterRunner();
  const Submitted s = Submit(1, pid);
  ExpectClaims(rn, s.job_id, 1);
  const api::ReportedCases reported = {
      {Case(api::Verdict::kWA, 0.5, "points 0.5 half"), Case(api::Verdict::kAC, 1, "ok")},
      {Case(api::Verdict::kWA, 0.9, "wrong answer")}};
  CompletionRequest completion = Completion(rn, s.job_id, 1);
  completion.result = judge::Aggregate(problem.tasks, reported);
  completion.outputs = judge::TruncatedOutputs(reported, 1024);
  ASSERT_OK_AND_ASSIGN(CompleteOutcome out, store().Complete(completion, Now()));
  EXPECT_EQ(out, CompleteOutcome::kLanded);

  SubmissionRecord rec = GetSubmission(s.submission_id);
  EXPECT_EQ(rec.status, api::VerdictCode(api::Verdict::kWA));
  EXPECT_EQ(rec.score, 30);  // (0.5 + 1) / 2 × 40; the all-or-nothing task scores 0
  ASSERT_TRUE(rec.result.has_value());
  EXPECT_EQ(*rec.result, completion.result);
  ASSERT_EQ(rec.result->tasks.size(), 2u);
  const api::CaseSummary& first = rec.result->tasks[0].cases[0];
  EXPECT_EQ(first.points, 0.5);
  EXPECT_EQ(first.wall_time_ms, 25);
  EXPECT_EQ(first.message, "points 0.5 half");
  EXPECT_EQ(rec.result->tasks[0].score, 30);
  EXPECT_EQ(rec.result->tasks[1].score, 0);
}

TEST_P(StoreContract, ResultsWithoutExtensionsReadBackWithout) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(rn, s.job_id, 1);
  ASSERT_OK(CompleteAccepted(rn, s.job_id, 1));
  SubmissionRecord rec = GetSubmission(s.submission_id);
  ASSERT_TRUE(rec.result.has_value());
  for (const api::TaskResult& t : rec.result->tasks)
    for (const api::CaseSummary& c : t.cases) {
      EXPECT_FALSE(c.wall_time_ms.has_value());
      EXPECT_FALSE(c.points.has_value());
      EXPECT_EQ(c.message, "");
    }
}

}  // namespace
}  // namespace noj::store::contract

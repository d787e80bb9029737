// StoreContract: listings, queue statistics, the stored result form, corrupted records,
// persistence across a reopen, and concurrent callers.

#include <algorithm>
#include <set>
#include <thread>

#include "store_contract_fixture.h"

namespace noj::store::contract {
namespace {

using noj::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> IdsOf(const std::vector<SubmissionRecord>& records) {
  std::vector<std::string> ids;
  for (const SubmissionRecord& r : records) ids.push_back(r.submission_id);
  return ids;
}

// ---- listings ----

TEST_P(StoreContract, ListSubmissionsIsNewestFirstAndPagesWithBefore) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(Submit().submission_id);
  SubmissionFilter page;
  page.limit = 2;
  ASSERT_OK_AND_ASSIGN(auto first, store().ListSubmissions(page));
  EXPECT_THAT(IdsOf(first), ElementsAre(ids[4], ids[3]));
  page.before = first.back().submission_id;
  ASSERT_OK_AND_ASSIGN(auto second, store().ListSubmissions(page));
  EXPECT_THAT(IdsOf(second), ElementsAre(ids[2], ids[1]));
  page.before = second.back().submission_id;
  ASSERT_OK_AND_ASSIGN(auto third, store().ListSubmissions(page));
  EXPECT_THAT(IdsOf(third), ElementsAre(ids[0]));
  page.before = ids[0];
  ASSERT_OK_AND_ASSIGN(auto none, store().ListSubmissions(page));
  EXPECT_THAT(none, IsEmpty());
}

TEST_P(StoreContract, ListSubmissionsFiltersByProblemAndStatus) {
  const std::string rn = RegisterRunner();
  const int64_t other_problem = MakeProblem();
  const Submitted p1_judged = Submit();
  const Submitted p2_pending = Submit(1, other_problem);
  const Submitted p1_pending = Submit();
  const Submitted p2_judged = Submit(1, other_problem);
  ExpectClaims(rn, p1_judged.job_id, 1);
  ASSERT_OK(CompleteAccepted(rn, p1_judged.job_id));
  ExpectClaims(rn, p2_pending.job_id, 1);
  ExpectClaims(rn, p1_pending.job_id, 1);
  ExpectClaims(rn, p2_judged.job_id, 1);
  ASSERT_OK(CompleteAccepted(rn, p2_judged.job_id));

  SubmissionFilter f;
  f.problem_id = other_problem;
  ASSERT_OK_AND_ASSIGN(auto by_problem, store().ListSubmissions(f));
  EXPECT_THAT(IdsOf(by_problem), ElementsAre(p2_judged.submission_id, p2_pending.submission_id));
  f.status = -1;
  ASSERT_OK_AND_ASSIGN(auto both, store().ListSubmissions(f));
  EXPECT_THAT(IdsOf(both), ElementsAre(p2_pending.submission_id));
  f.problem_id.reset();
  f.status = 0;
  ASSERT_OK_AND_ASSIGN(auto accepted, store().ListSubmissions(f));
  EXPECT_THAT(IdsOf(accepted), ElementsAre(p2_judged.submission_id, p1_judged.submission_id));
  f.before = p2_judged.submission_id;
  ASSERT_OK_AND_ASSIGN(auto older, store().ListSubmissions(f));
  EXPECT_THAT(IdsOf(older), ElementsAre(p1_judged.submission_id));
  // Listed records carry the same fields as GetSubmission.
  EXPECT_EQ(older[0].result, AcceptedResult());
  EXPECT_EQ(by_problem[1].job_state, "leased");
  EXPECT_EQ(by_problem[1].runner_id, rn);
}

TEST_P(StoreContract, QueueStatsCountPendingLeasedAndTheOldestWait) {
  const std::string rn = RegisterRunner();
  ASSERT_OK_AND_ASSIGN(QueueStats empty, store().GetQueueStats(Now()));
  EXPECT_EQ(empty.pending[0] + empty.pending[1] + empty.pending[2], 0);
  EXPECT_EQ(empty.leased, 0);
  EXPECT_EQ(empty.oldest_pending_enqueued_at, 0);

  const int64_t t0 = Now();
  Submit(2);
  Advance(100);
  Submit(1);
  Submit(1);
  Submit(0);
  Submit(0);
  Claim(rn);  // takes one priority-0 job
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store().GetQueueStats(Now()));
  EXPECT_EQ(stats.pending[0], 1);
  EXPECT_EQ(stats.pending[1], 2);
  EXPECT_EQ(stats.pending[2], 1);
  EXPECT_EQ(stats.leased, 1);
  EXPECT_EQ(stats.oldest_pending_enqueued_at, t0);
  EXPECT_EQ(stats.reclaimed_total, 0);
  EXPECT_EQ(stats.judge_error_total, 0);
}

TEST_P(StoreContract, EveryVerdictAndFieldOfAResultRoundTrips) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(rn, s.job_id, 1);
  using api::Verdict;
  CompletionRequest c = Completion(rn, s.job_id);
  c.result.status = Verdict::kOLE;
  c.result.score = 0;
  c.result.exec_time_ms = 59'999;
  c.result.memory_kib = 4LL * 1024 * 1024;
  c.result.tasks = {
      {Verdict::kCE, 0, 0, 0, {{Verdict::kCE, 1, 0, 0}}},
      {Verdict::kOLE,
       0,
       59'999,
       4LL * 1024 * 1024,
       {{Verdict::kWA, 0, 1, 2}, {Verdict::kTLE, -9, 59'999, 3}, {Verdict::kMLE, 137, 5, 4}}},
      {Verdict::kOLE,
       0,
       7,
       8,
       {{Verdict::kRE, 139, 6, 7}, {Verdict::kJE, 0, 0, 0}, {Verdict::kOLE, 1, 7, 8}}},
  };
  ASSERT_OK(store().Complete(c, Now()));
  SubmissionRecord rec = GetSubmission(s.submission_id);
  ASSERT_TRUE(rec.result.has_value());
  EXPECT_EQ(*rec.result, c.result);
  EXPECT_EQ(rec.status, api::VerdictCode(Verdict::kOLE));
  EXPECT_EQ(rec.exec_time_ms, 59'999);
  EXPECT_EQ(rec.memory_kib, 4LL * 1024 * 1024);
}

// ---- corrupted records (raw damage through the harness; skipped where unsupported) ----

TEST_P(StoreContract, UndecodableResultIsSkippedByListings) {
  const std::string rn = RegisterRunner();
  const Submitted older = Submit();
  const Submitted broken = Submit();
  const Submitted newer = Submit();
  for (const Submitted* s : {&older, &broken, &newer}) {
    ExpectClaims(rn, s->job_id, 1);
    ASSERT_OK(CompleteAccepted(rn, s->job_id));
  }
  if (!harness().CorruptResult(broken.submission_id)) GTEST_SKIP() << "no raw access";
  SubmissionFilter all;
  ASSERT_OK_AND_ASSIGN(auto listed, store().ListSubmissions(all));
  EXPECT_THAT(IdsOf(listed), ElementsAre(newer.submission_id, older.submission_id));
  EXPECT_FALSE(store().GetSubmission(broken.submission_id).ok());
  EXPECT_OK(store().GetSubmission(newer.submission_id));
}

TEST_P(StoreContract, JobWhoseSubmissionVanishedIsDiscardedWithoutBlockingOthers) {
  const std::string rn = RegisterRunner();
  const Submitted leased = Submit(0);
  ExpectClaims(rn, leased.job_id, 1);
  const Submitted orphaned = Submit(0);
  const Submitted fine = Submit(1);
  if (!harness().DropSubmissionRecord(orphaned.submission_id)) GTEST_SKIP() << "no raw access";
  if (!harness().DropSubmissionRecord(leased.submission_id)) GTEST_SKIP() << "no raw access";
  Advance(kLeaseTtl);
  ClaimOutcome c = Claim(RegisterRunner("other"));
  EXPECT_THAT(c.discarded_stale_jobs, ElementsAre(leased.job_id, orphaned.job_id));
  ASSERT_TRUE(c.job.has_value());
  EXPECT_EQ(c.job->job_id, fine.job_id);
  EXPECT_THAT(store().GetJob(orphaned.job_id), StatusIs(ErrorCode::kNotFound));
}

TEST_P(StoreContract, JobWhoseProblemVanishedGetsJudgeErrorWithoutBlockingOthers) {
  const std::string rn = RegisterRunner();
  const int64_t doomed_problem = MakeProblem();
  const Submitted doomed = Submit(0, doomed_problem);
  const Submitted fine = Submit(1);
  if (!harness().DropProblemRecord(doomed_problem)) GTEST_SKIP() << "no raw access";
  ClaimOutcome c = Claim(rn);
  EXPECT_THAT(c.converged_to_je, ElementsAre(doomed.submission_id));
  // The reason travels with it: the dispatcher logs and counts this JE as problem_missing.
  EXPECT_THAT(c.problem_missing_je, ElementsAre(doomed.submission_id));
  EXPECT_THAT(c.corrupt_je, IsEmpty());
  ASSERT_TRUE(c.job.has_value());
  EXPECT_EQ(c.job->job_id, fine.job_id);
  EXPECT_EQ(GetSubmission(doomed.submission_id).status, api::VerdictCode(api::Verdict::kJE));
}

// ---- persistence ----

TEST_P(StoreContract, StateSurvivesCloseAndReopen) {
  const std::string rn = RegisterRunner();
  ASSERT_OK(store().PutTestdata(problem_id_, std::string("PK\0zip", 6), "sum", false, Now()));
  const Submitted judged = Submit();
  const Submitted leased = Submit();
  const Submitted pending = Submit(2);
  ExpectClaims(rn, judged.job_id, 1);
  ASSERT_OK(CompleteAccepted(rn, judged.job_id));
  ExpectClaims(rn, leased.job_id, 1);
  if (!harness().Reopen()) GTEST_SKIP() << "backend is not persistent";

  ASSERT_OK_AND_ASSIGN(std::string zip, store().GetTestdata(problem_id_));
  EXPECT_EQ(zip, std::string("PK\0zip", 6));
  EXPECT_OK(store().GetRunner(rn, Now()));
  SubmissionRecord rec = GetSubmission(judged.submission_id);
  EXPECT_EQ(rec.result, AcceptedResult());
  ASSERT_OK_AND_ASSIGN(api::CaseOutput out, store().GetCaseOutput(judged.submission_id, 1, 1));
  EXPECT_EQ(out, Outputs(judged.job_id)[2]);
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(leased.job_id));
  EXPECT_EQ(job.state, JobState::kLeased);
  EXPECT_EQ(job.runner_id, rn);
  // The queue goes on where it was: ids, order, leases, counters.
  const int64_t next_problem = MakeProblem();
  EXPECT_GT(next_problem, problem_id_);
  ExpectClaims(rn, pending.job_id, 1);
  Advance(kLeaseTtl);
  ExpectClaims(rn, leased.job_id, 2);
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store().GetQueueStats(Now()));
  EXPECT_EQ(stats.reclaimed_total, 1);
}

// ---- concurrency ----

TEST_P(StoreContract, ConcurrentClaimsNeverShareAJob) {
  constexpr int kJobs = 40;
  constexpr int kThreads = 4;
  std::set<std::string> submitted;
  for (int i = 0; i < kJobs; ++i) submitted.insert(Submit().job_id);
  std::vector<std::string> runners;
  for (int t = 0; t < kThreads; ++t) runners.push_back(RegisterRunner("r" + std::to_string(t)));
  std::vector<std::vector<std::string>> claimed(kThreads);
  std::vector<int> errors(kThreads, 0);
  const int64_t now = Now();
  {
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        while (true) {
          auto c = store().Claim(runners[t], api::RunnerCapabilities{}, Policy(), now);
          if (!c.ok()) {
            ++errors[t];
            if (errors[t] > 100) return;
            continue;
          }
          if (!c->job) return;
          claimed[t].push_back(c->job->job_id);
        }
      });
    }
    for (std::thread& th : threads) th.join();
  }
  std::multiset<std::string> all;
  for (const auto& v : claimed) all.insert(v.begin(), v.end());
  EXPECT_EQ(all.size(), submitted.size());
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), submitted);
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(errors[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace noj::store::contract

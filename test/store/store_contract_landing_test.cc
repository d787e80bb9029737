// StoreContract: complete (INV1, INV3), fencing by attempt (INV7), abort reasons, rejudge and the
// currency of jobs (INV4).

#include "judge/aggregate.h"
#include "store_contract_fixture.h"

namespace noj::store::contract {
namespace {

using noj::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// ---- complete ----

TEST_P(StoreContract, CompleteLandsTheResultAndDeletesTheJob) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(rn, s.job_id, 1);
  const int64_t at = Advance(5000);
  ASSERT_OK_AND_ASSIGN(CompleteOutcome out, CompleteAccepted(rn, s.job_id, 1));
  EXPECT_EQ(out, CompleteOutcome::kLanded);
  EXPECT_THAT(store().GetJob(s.job_id), StatusIs(ErrorCode::kNotFound));

  SubmissionRecord rec = GetSubmission(s.submission_id);
  EXPECT_EQ(rec.status, 0);
  EXPECT_EQ(rec.score, 100);
  EXPECT_EQ(rec.exec_time_ms, 30);
  EXPECT_EQ(rec.memory_kib, 2048);
  EXPECT_EQ(rec.attempts, 1);
  EXPECT_EQ(rec.judged_at, at);
  EXPECT_EQ(rec.current_job_id, s.job_id);
  EXPECT_EQ(rec.job_state, "");
  EXPECT_EQ(rec.runner_id, "");
  ASSERT_TRUE(rec.result.has_value());
  EXPECT_EQ(*rec.result, AcceptedResult());
  for (const api::CaseOutput& expected : Outputs(s.job_id)) {
    ASSERT_OK_AND_ASSIGN(api::CaseOutput got, store().GetCaseOutput(s.submission_id, expected.task,
                                                                    expected.case_index));
    EXPECT_EQ(got, expected);
  }
  EXPECT_THAT(store().GetCaseOutput(s.submission_id, 1, 2), StatusIs(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store().GetQueueStats(Now()));
  EXPECT_EQ(stats.leased, 0);
  EXPECT_EQ(stats.pending[1], 0);
}

TEST_P(StoreContract, AtMostOneResultLandsPerJob) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(rn, s.job_id, 1);
  ASSERT_OK(CompleteAccepted(rn, s.job_id));
  CompletionRequest second = Completion(rn, s.job_id);
  second.result.status = api::Verdict::kWA;
  EXPECT_THAT(store().Complete(second, Now()), StatusIs(ErrorCode::kNotFound));
  EXPECT_EQ(GetSubmission(s.submission_id).status, 0);
}

TEST_P(StoreContract, CompleteOfAnUnknownJobIsNotFound) {
  const std::string rn = RegisterRunner();
  EXPECT_THAT(CompleteAccepted(rn, "jb_unknown"), StatusIs(ErrorCode::kNotFound));
}

TEST_P(StoreContract, CompleteByAnotherRunnerIsAborted) {
  const std::string a = RegisterRunner("a");
  const std::string b = RegisterRunner("b");
  const Submitted s = Submit();
  ExpectClaims(a, s.job_id, 1);
  EXPECT_THAT(CompleteAccepted(b, s.job_id), StatusIs(ErrorCode::kAborted));
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(s.job_id));
  EXPECT_EQ(job.runner_id, a);
  EXPECT_EQ(GetSubmission(s.submission_id).status, -1);
}

TEST_P(StoreContract, CompleteOfAPendingJobIsAborted) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  EXPECT_THAT(CompleteAccepted(rn, s.job_id), StatusIs(ErrorCode::kAborted));
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(s.job_id));
  EXPECT_EQ(job.state, JobState::kPending);
}

TEST_P(StoreContract, CompleteWithAnotherAttemptIsAborted) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(rn, s.job_id, 1);
  EXPECT_THAT(CompleteAccepted(rn, s.job_id, 2), StatusIs(ErrorCode::kAborted));
  EXPECT_THAT(CompleteAccepted(rn, s.job_id, 0), StatusIs(ErrorCode::kAborted));
  EXPECT_OK(CompleteAccepted(rn, s.job_id, 1));
}

TEST_P(StoreContract, OldAttemptCannotLandEvenFromTheSameRunnerAfterReclaim) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(rn, s.job_id, 1);
  Advance(kLeaseTtl);
  ExpectClaims(rn, s.job_id, 2);  // the same runner reclaims its own orphan
  EXPECT_THAT(CompleteAccepted(rn, s.job_id, 1), StatusIs(ErrorCode::kAborted));
  EXPECT_THAT(AbortJob(rn, s.job_id, /*drain=*/false, 1), StatusIs(ErrorCode::kAborted));
  EXPECT_EQ(GetSubmission(s.submission_id).status, -1);
  ASSERT_OK_AND_ASSIGN(CompleteOutcome out, CompleteAccepted(rn, s.job_id, 2));
  EXPECT_EQ(out, CompleteOutcome::kLanded);
  EXPECT_EQ(GetSubmission(s.submission_id).attempts, 2);
}

TEST_P(StoreContract, CaseOutputsAreReplacedOnEachLanding) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(rn, s.job_id, 1);
  ASSERT_OK(CompleteAccepted(rn, s.job_id));
  const std::string again = NextJobId();
  ASSERT_OK(store().Rejudge(s.submission_id, again, 2, Now()));
  EXPECT_THAT(store().GetCaseOutput(s.submission_id, 0, 0), StatusIs(ErrorCode::kNotFound));
  ExpectClaims(rn, again, 1);
  CompletionRequest c = Completion(rn, again);
  c.outputs = {{1, 1, "only this one", "err"}};
  ASSERT_OK(store().Complete(c, Now()));
  EXPECT_THAT(store().GetCaseOutput(s.submission_id, 0, 0), StatusIs(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(api::CaseOutput out, store().GetCaseOutput(s.submission_id, 1, 1));
  EXPECT_EQ(out.stdout_text, "only this one");
  EXPECT_EQ(out.stderr_text, "err");
}

TEST_P(StoreContract, RunnerReportedJudgeErrorLandsLikeAnyResult) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(rn, s.job_id, 1);
  CompletionRequest c = Completion(rn, s.job_id);
  c.result.status = api::Verdict::kJE;
  c.result.score = 60;
  c.result.tasks[0].status = api::Verdict::kJE;
  c.result.tasks[0].score = 0;
  c.result.tasks[0].cases[0].status = api::Verdict::kJE;
  ASSERT_OK_AND_ASSIGN(CompleteOutcome out, store().Complete(c, Now()));
  EXPECT_EQ(out, CompleteOutcome::kLanded);
  SubmissionRecord rec = GetSubmission(s.submission_id);
  EXPECT_EQ(rec.status, api::VerdictCode(api::Verdict::kJE));
  EXPECT_EQ(rec.score, 60);
  EXPECT_EQ(rec.result, c.result);
}

// ---- abort ----

TEST_P(StoreContract, AbortRequeuesAtTheEndOfItsPriorityKeepingTheAttempt) {
  const std::string rn = RegisterRunner();
  const Submitted a = Submit();
  const Submitted b = Submit();
  ExpectClaims(rn, a.job_id, 1);
  ASSERT_OK_AND_ASSIGN(AbortOutcome out, AbortJob(rn, a.job_id, /*drain=*/false));
  EXPECT_EQ(out, AbortOutcome::kRequeued);
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(a.job_id));
  EXPECT_EQ(job.state, JobState::kPending);
  EXPECT_EQ(job.attempts, 1);
  SubmissionRecord rec = GetSubmission(a.submission_id);
  EXPECT_EQ(rec.attempts, 1);
  EXPECT_EQ(rec.job_state, "pending");
  EXPECT_EQ(rec.runner_id, "");
  ExpectClaims(rn, b.job_id, 1);  // `a` went behind `b`
  ExpectClaims(rn, a.job_id, 2);
}

TEST_P(StoreContract, DrainAbortRefundsTheAttempt) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(rn, s.job_id, 1);
  ASSERT_OK_AND_ASSIGN(AbortOutcome out, AbortJob(rn, s.job_id, /*drain=*/true));
  EXPECT_EQ(out, AbortOutcome::kRequeued);
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(s.job_id));
  EXPECT_EQ(job.attempts, 0);
  EXPECT_EQ(GetSubmission(s.submission_id).attempts, 0);
  ExpectClaims(rn, s.job_id, 1);
}

TEST_P(StoreContract, AbortAtTheMaximumLandsJudgeError) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  for (int attempt = 1; attempt < kMaxAttempts; ++attempt) {
    ExpectClaims(rn, s.job_id, attempt);
    ASSERT_OK_AND_ASSIGN(AbortOutcome out, AbortJob(rn, s.job_id, false));
    ASSERT_EQ(out, AbortOutcome::kRequeued);
  }
  ExpectClaims(rn, s.job_id, kMaxAttempts);
  ASSERT_OK_AND_ASSIGN(AbortOutcome out, AbortJob(rn, s.job_id, /*drain=*/false));
  EXPECT_EQ(out, AbortOutcome::kJudgeError);
  EXPECT_THAT(store().GetJob(s.job_id), StatusIs(ErrorCode::kNotFound));
  SubmissionRecord rec = GetSubmission(s.submission_id);
  EXPECT_EQ(rec.status, api::VerdictCode(api::Verdict::kJE));
  EXPECT_EQ(rec.attempts, kMaxAttempts);
  EXPECT_EQ(rec.result, judge::JudgeErrorResult());
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store().GetQueueStats(Now()));
  EXPECT_EQ(stats.judge_error_total, 1);
}

TEST_P(StoreContract, DrainAtTheMaximumIsRefundedInsteadOfJudgeError) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  for (int attempt = 1; attempt < kMaxAttempts; ++attempt) {
    ExpectClaims(rn, s.job_id, attempt);
    ASSERT_OK(AbortJob(rn, s.job_id, false));
  }
  ExpectClaims(rn, s.job_id, kMaxAttempts);
  ASSERT_OK_AND_ASSIGN(AbortOutcome out, AbortJob(rn, s.job_id, /*drain=*/true));
  EXPECT_EQ(out, AbortOutcome::kRequeued);
  ExpectClaims(rn, s.job_id, kMaxAttempts);
}

TEST_P(StoreContract, AbortChecksLikeComplete) {
  const std::string a = RegisterRunner("a");
  const std::string b = RegisterRunner("b");
  const Submitted s = Submit();
  EXPECT_THAT(AbortJob(a, "jb_unknown", false), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(AbortJob(a, s.job_id, false), StatusIs(ErrorCode::kAborted));  // pending
  ExpectClaims(a, s.job_id, 1);
  EXPECT_THAT(AbortJob(b, s.job_id, false), StatusIs(ErrorCode::kAborted));
  EXPECT_THAT(AbortJob(a, s.job_id, false, 2), StatusIs(ErrorCode::kAborted));
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(s.job_id));
  EXPECT_EQ(job.state, JobState::kLeased);
  EXPECT_EQ(job.attempts, 1);
  EXPECT_OK(AbortJob(a, s.job_id, false, 1));
}

// ---- rejudge and currency ----

TEST_P(StoreContract, RejudgeResetsTheSubmissionOntoANewCurrentJob) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(rn, s.job_id, 1);
  ASSERT_OK(CompleteAccepted(rn, s.job_id));
  const std::string again = NextJobId();
  const int64_t at = Advance(1000);
  ASSERT_OK(store().Rejudge(s.submission_id, again, 2, at));
  SubmissionRecord rec = GetSubmission(s.submission_id);
  EXPECT_EQ(rec.status, -1);
  EXPECT_EQ(rec.score, 0);
  EXPECT_EQ(rec.exec_time_ms, 0);
  EXPECT_EQ(rec.memory_kib, 0);
  EXPECT_EQ(rec.attempts, 0);
  EXPECT_EQ(rec.judged_at, 0);
  EXPECT_FALSE(rec.result.has_value());
  EXPECT_EQ(rec.current_job_id, again);
  EXPECT_EQ(rec.job_state, "pending");
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(again));
  EXPECT_EQ(job.priority, 2);
  EXPECT_EQ(job.attempts, 0);
  EXPECT_EQ(job.enqueued_at, at);
  EXPECT_EQ(job.submission_id, s.submission_id);
  EXPECT_EQ(job.problem_id, problem_id_);
  ExpectClaims(rn, again, 1);
  ASSERT_OK(CompleteAccepted(rn, again));
  EXPECT_EQ(GetSubmission(s.submission_id).status, 0);
}

TEST_P(StoreContract, RejudgeOfAnUnknownSubmissionIsNotFound) {
  const std::string job = NextJobId();
  EXPECT_THAT(store().Rejudge("sn_unknown", job, 2, Now()), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().GetJob(job), StatusIs(ErrorCode::kNotFound));
}

TEST_P(StoreContract, RejudgeWithATakenJobIdIsAlreadyExistsAndChangesNothing) {
  const Submitted a = Submit();
  const Submitted b = Submit();
  EXPECT_THAT(store().Rejudge(a.submission_id, b.job_id, 2, Now()),
              StatusIs(ErrorCode::kAlreadyExists));
  EXPECT_EQ(GetSubmission(a.submission_id).current_job_id, a.job_id);
}

TEST_P(StoreContract, SupersededPendingJobIsDiscardedWhenPopped) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit(1);
  const std::string again = NextJobId();
  ASSERT_OK(store().Rejudge(s.submission_id, again, 2, Now()));
  ASSERT_OK_AND_ASSIGN(JobRecord old_job, store().GetJob(s.job_id));  // left in place
  EXPECT_EQ(old_job.state, JobState::kPending);
  ClaimOutcome c = Claim(rn);
  EXPECT_THAT(c.discarded_stale_jobs, ElementsAre(s.job_id));
  ASSERT_TRUE(c.job.has_value());
  EXPECT_EQ(c.job->job_id, again);
  EXPECT_THAT(store().GetJob(s.job_id), StatusIs(ErrorCode::kNotFound));
  EXPECT_EQ(GetSubmission(s.submission_id).attempts, 1);
}

TEST_P(StoreContract, ResultOfASupersededJobIsDroppedAndNothingIsWritten) {
  const std::string a = RegisterRunner("a");
  const Submitted s = Submit();
  ExpectClaims(a, s.job_id, 1);
  const std::string again = NextJobId();
  ASSERT_OK(store().Rejudge(s.submission_id, again, 2, Now()));
  ASSERT_OK_AND_ASSIGN(CompleteOutcome out, CompleteAccepted(a, s.job_id, 1));
  EXPECT_EQ(out, CompleteOutcome::kDroppedStale);
  EXPECT_THAT(store().GetJob(s.job_id), StatusIs(ErrorCode::kNotFound));
  SubmissionRecord rec = GetSubmission(s.submission_id);
  EXPECT_EQ(rec.status, -1);
  EXPECT_FALSE(rec.result.has_value());
  EXPECT_EQ(rec.current_job_id, again);
  EXPECT_EQ(rec.job_state, "pending");
  EXPECT_THAT(store().GetCaseOutput(s.submission_id, 0, 0), StatusIs(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(JobRecord current, store().GetJob(again));
  EXPECT_EQ(current.state, JobState::kPending);
  // And it may not be retried.
  EXPECT_THAT(CompleteAccepted(a, s.job_id, 1), StatusIs(ErrorCode::kNotFound));
}

TEST_P(StoreContract, AbortOfASupersededJobIsDroppedStale) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(rn, s.job_id, 1);
  ASSERT_OK(store().Rejudge(s.submission_id, NextJobId(), 2, Now()));
  ASSERT_OK_AND_ASSIGN(AbortOutcome out, AbortJob(rn, s.job_id, /*drain=*/true));
  EXPECT_EQ(out, AbortOutcome::kDroppedStale);
  EXPECT_THAT(store().GetJob(s.job_id), StatusIs(ErrorCode::kNotFound));
  EXPECT_EQ(GetSubmission(s.submission_id).status, -1);
}

TEST_P(StoreContract, SupersededJobIsCancelledNotRenewedByHeartbeat) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(rn, s.job_id, 1);
  const int64_t deadline = Now() + kLeaseTtl;
  ASSERT_OK(store().Rejudge(s.submission_id, NextJobId(), 2, Now()));
  Advance(1000);
  ASSERT_OK_AND_ASSIGN(HeartbeatOutcome hb,
                       store().Heartbeat(rn, {s.job_id}, Now(), kLeaseTtl, kIdentityTtl));
  EXPECT_THAT(hb.renewed, IsEmpty());
  EXPECT_THAT(hb.cancel, ElementsAre(s.job_id));
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(s.job_id));
  EXPECT_EQ(job.lease_deadline, deadline);
}

TEST_P(StoreContract, SupersededOrphanIsDiscardedNotReclaimed) {
  const std::string a = RegisterRunner("a");
  const std::string b = RegisterRunner("b");
  const Submitted s = Submit();
  ExpectClaims(a, s.job_id, 1);
  const std::string again = NextJobId();
  ASSERT_OK(store().Rejudge(s.submission_id, again, 2, Now()));
  Advance(kLeaseTtl);
  ClaimOutcome c = Claim(b);
  EXPECT_THAT(c.discarded_stale_jobs, ElementsAre(s.job_id));
  ASSERT_TRUE(c.job.has_value());
  EXPECT_EQ(c.job->job_id, again);
  EXPECT_FALSE(c.reclaimed);
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store().GetQueueStats(Now()));
  EXPECT_EQ(stats.reclaimed_total, 0);
}

// results_total counts every final result once: a landing, a JE by exhaustion, a landing after a
// rejudge; not a stale (superseded) result, a refused second report or an abort that requeues.
TEST_P(StoreContract, ResultsTotalCountsEachFinalResultOnce) {
  auto results = [this] {
    auto stats = store().GetQueueStats(Now());
    EXPECT_TRUE(stats.ok());
    return stats.ok() ? stats->results_total : -1;
  };
  const std::string rn = RegisterRunner();
  EXPECT_EQ(results(), 0);
  const Submitted landed = Submit();
  ExpectClaims(rn, landed.job_id, 1);
  ASSERT_OK(CompleteAccepted(rn, landed.job_id));
  EXPECT_EQ(results(), 1);
  EXPECT_FALSE(CompleteAccepted(rn, landed.job_id).ok());  // already landed
  EXPECT_EQ(results(), 1);

  const Submitted superseded = Submit();
  ExpectClaims(rn, superseded.job_id, 1);
  const std::string again = NextJobId();
  ASSERT_OK(store().Rejudge(superseded.submission_id, again, 2, Now()));
  ASSERT_OK_AND_ASSIGN(CompleteOutcome stale, CompleteAccepted(rn, superseded.job_id));
  EXPECT_EQ(stale, CompleteOutcome::kDroppedStale);
  EXPECT_EQ(results(), 1);
  ExpectClaims(rn, again, 1);
  ASSERT_OK(CompleteAccepted(rn, again));
  EXPECT_EQ(results(), 2);

  const Submitted exhausted = Submit();
  for (int attempt = 1; attempt < kMaxAttempts; ++attempt) {
    ExpectClaims(rn, exhausted.job_id, attempt);
    ASSERT_OK(AbortJob(rn, exhausted.job_id, /*drain=*/false));
    EXPECT_EQ(results(), 2);
  }
  ExpectClaims(rn, exhausted.job_id, kMaxAttempts);
  ASSERT_OK_AND_ASSIGN(AbortOutcome je, AbortJob(rn, exhausted.job_id, /*drain=*/false));
  EXPECT_EQ(je, AbortOutcome::kJudgeError);
  EXPECT_EQ(results(), 3);
}

}  // namespace
}  // namespace noj::store::contract

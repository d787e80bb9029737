// StoreContract: claim order, leases and their renewal, reclaim of orphans (INV2), the reaper and
// convergence to Judge Error (INV5).

#include "common/ids.h"
#include "judge/aggregate.h"
#include "store_contract_fixture.h"

namespace noj::store::contract {
namespace {

using noj::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST_P(StoreContract, ClaimOnAnEmptyQueueGivesNoJob) {
  const std::string rn = RegisterRunner();
  ClaimOutcome c = Claim(rn);
  EXPECT_FALSE(c.job.has_value());
  EXPECT_FALSE(c.reclaimed);
  EXPECT_THAT(c.converged_to_je, IsEmpty());
  EXPECT_THAT(c.discarded_stale_jobs, IsEmpty());
}

TEST_P(StoreContract, ClaimIsFifoWithinAPriority) {
  const std::string rn = RegisterRunner();
  const Submitted a = Submit();
  const Submitted b = Submit();
  const Submitted c = Submit();
  ExpectClaims(rn, a.job_id, 1);
  ExpectClaims(rn, b.job_id, 1);
  ExpectClaims(rn, c.job_id, 1);
  EXPECT_FALSE(Claim(rn).job.has_value());
}

TEST_P(StoreContract, ClaimTakesTheLowestPriorityNumberFirst) {
  const std::string rn = RegisterRunner();
  const Submitted bulk = Submit(2);
  const Submitted normal = Submit(1);
  const Submitted contest = Submit(0);
  const Submitted contest2 = Submit(0);
  ExpectClaims(rn, contest.job_id, 1);
  ExpectClaims(rn, contest2.job_id, 1);
  ExpectClaims(rn, normal.job_id, 1);
  ExpectClaims(rn, bulk.job_id, 1);
}

TEST_P(StoreContract, ClaimLeasesTheJobAndCountsTheAttempt) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ClaimOutcome c = Claim(rn);
  ASSERT_TRUE(c.job.has_value());
  EXPECT_EQ(c.job->job_id, s.job_id);
  EXPECT_EQ(c.job->submission_id, s.submission_id);
  EXPECT_EQ(c.job->problem_id, problem_id_);
  EXPECT_EQ(c.job->state, JobState::kLeased);
  EXPECT_EQ(c.job->attempts, 1);
  EXPECT_EQ(c.job->runner_id, rn);
  EXPECT_EQ(c.job->lease_deadline, Now() + kLeaseTtl);
  EXPECT_FALSE(c.reclaimed);
  EXPECT_FALSE(c.previous_runner.has_value());

  ASSERT_OK_AND_ASSIGN(JobRecord stored, store().GetJob(s.job_id));
  EXPECT_EQ(stored.state, JobState::kLeased);
  EXPECT_EQ(stored.runner_id, rn);
  EXPECT_EQ(stored.lease_deadline, Now() + kLeaseTtl);
  SubmissionRecord sub = GetSubmission(s.submission_id);
  EXPECT_EQ(sub.attempts, 1);
  EXPECT_EQ(sub.job_state, "leased");
  EXPECT_EQ(sub.runner_id, rn);
  EXPECT_EQ(sub.status, -1);
}

TEST_P(StoreContract, ALeasedJobIsNotClaimedTwice) {
  const std::string a = RegisterRunner("a");
  const std::string b = RegisterRunner("b");
  const Submitted s = Submit();
  ExpectClaims(a, s.job_id, 1);
  EXPECT_FALSE(Claim(b).job.has_value());
  Advance(kLeaseTtl - 1);
  EXPECT_FALSE(Claim(b).job.has_value());
}

TEST_P(StoreContract, HeartbeatRenewsOnlyTheJobsTheRunnerHolds) {
  const std::string a = RegisterRunner("a");
  const std::string b = RegisterRunner("b");
  const Submitted s1 = Submit();
  const Submitted s2 = Submit();
  ExpectClaims(a, s1.job_id, 1);
  ExpectClaims(b, s2.job_id, 1);
  const int64_t at = Advance(10'000);
  ASSERT_OK_AND_ASSIGN(HeartbeatOutcome hb,
                       store().Heartbeat(a, {s1.job_id, s2.job_id, "jb_unknown", s1.job_id}, at,
                                         kLeaseTtl, kIdentityTtl));
  EXPECT_THAT(hb.renewed, ElementsAre(s1.job_id));
  EXPECT_THAT(hb.cancel, ElementsAre(s2.job_id, "jb_unknown"));
  ASSERT_OK_AND_ASSIGN(JobRecord mine, store().GetJob(s1.job_id));
  EXPECT_EQ(mine.lease_deadline, at + kLeaseTtl);
  ASSERT_OK_AND_ASSIGN(JobRecord theirs, store().GetJob(s2.job_id));
  EXPECT_EQ(theirs.lease_deadline, at - 10'000 + kLeaseTtl);
  EXPECT_EQ(theirs.runner_id, b);
}

TEST_P(StoreContract, PendingJobListedInAHeartbeatIsCancelledNotLeased) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ASSERT_OK_AND_ASSIGN(HeartbeatOutcome hb,
                       store().Heartbeat(rn, {s.job_id}, Now(), kLeaseTtl, kIdentityTtl));
  EXPECT_THAT(hb.renewed, IsEmpty());
  EXPECT_THAT(hb.cancel, ElementsAre(s.job_id));
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(s.job_id));
  EXPECT_EQ(job.state, JobState::kPending);
}

TEST_P(StoreContract, RenewedLeaseIsNotReclaimed) {
  const std::string a = RegisterRunner("a");
  const std::string b = RegisterRunner("b");
  const Submitted s = Submit();
  ExpectClaims(a, s.job_id, 1);
  Advance(kLeaseTtl - 1);
  ASSERT_OK(store().Heartbeat(a, {s.job_id}, Now(), kLeaseTtl, kIdentityTtl));
  Advance(kLeaseTtl - 1);
  EXPECT_FALSE(Claim(b).job.has_value());
  Advance(1);
  ExpectClaims(b, s.job_id, 2);
}

TEST_P(StoreContract, SilentRunnerKeepsItsJobUntilTheLeaseExpires) {
  const std::string a = RegisterRunner("a");
  const std::string b = RegisterRunner("b");
  const Submitted s = Submit();
  ExpectClaims(a, s.job_id, 1);
  Advance(kLeaseTtl - 1);  // `a` never heartbeats
  EXPECT_FALSE(Claim(b).job.has_value());
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(s.job_id));
  EXPECT_EQ(job.runner_id, a);
}

TEST_P(StoreContract, RevokedRunnersJobIsNotReclaimedBeforeItsDeadline) {
  const std::string a = RegisterRunner("a");
  const std::string b = RegisterRunner("b");
  const Submitted s = Submit();
  ExpectClaims(a, s.job_id, 1);
  ASSERT_OK(store().RevokeRunner(a));
  Advance(kLeaseTtl - 1);
  EXPECT_FALSE(Claim(b).job.has_value());  // INV2: liveness is never consulted
  Advance(1);
  ExpectClaims(b, s.job_id, 2);
}

TEST_P(StoreContract, ExpiredLeaseIsReclaimedWithNextAttempt) {
  const std::string a = RegisterRunner("a");
  const std::string b = RegisterRunner("b");
  const Submitted s = Submit();
  ExpectClaims(a, s.job_id, 1);
  Advance(kLeaseTtl);
  ClaimOutcome c = Claim(b);
  ASSERT_TRUE(c.job.has_value());
  EXPECT_EQ(c.job->job_id, s.job_id);
  EXPECT_EQ(c.job->attempts, 2);
  EXPECT_EQ(c.job->runner_id, b);
  EXPECT_EQ(c.job->lease_deadline, Now() + kLeaseTtl);
  EXPECT_TRUE(c.reclaimed);
  EXPECT_EQ(c.previous_runner, a);
  EXPECT_EQ(GetSubmission(s.submission_id).attempts, 2);
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store().GetQueueStats(Now()));
  EXPECT_EQ(stats.reclaimed_total, 1);
  // The previous holder lost the lease.
  EXPECT_THAT(CompleteAccepted(a, s.job_id), StatusIs(ErrorCode::kAborted));
}

TEST_P(StoreContract, OrphansAreReclaimedBeforePendingJobs) {
  const std::string a = RegisterRunner("a");
  const std::string b = RegisterRunner("b");
  const Submitted first = Submit(2);
  ExpectClaims(a, first.job_id, 1);
  Advance(kLeaseTtl);
  const Submitted urgent = Submit(0);
  ExpectClaims(b, first.job_id, 2);
  ExpectClaims(b, urgent.job_id, 1);
}

TEST_P(StoreContract, OrphansAreReclaimedOldestDeadlineFirst) {
  const std::string a = RegisterRunner("a");
  const std::string b = RegisterRunner("b");
  const Submitted s1 = Submit();
  const Submitted s2 = Submit();
  ExpectClaims(a, s1.job_id, 1);
  ExpectClaims(a, s2.job_id, 1);
  Advance(1000);
  ASSERT_OK(store().Heartbeat(a, {s1.job_id}, Now(), kLeaseTtl, kIdentityTtl));
  Advance(kLeaseTtl);  // both expired; s2's deadline is the older one
  ExpectClaims(b, s2.job_id, 2);
  ExpectClaims(b, s1.job_id, 2);
}

TEST_P(StoreContract, ExpiredButUnreclaimedLeaseIsStillHeld) {
  const std::string a = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(a, s.job_id, 1);
  Advance(kLeaseTtl * 3);
  ASSERT_OK_AND_ASSIGN(HeartbeatOutcome hb,
                       store().Heartbeat(a, {s.job_id}, Now(), kLeaseTtl, kIdentityTtl));
  EXPECT_THAT(hb.renewed, ElementsAre(s.job_id));
  Advance(kLeaseTtl * 3);
  ASSERT_OK_AND_ASSIGN(CompleteOutcome out, CompleteAccepted(a, s.job_id, 1));
  EXPECT_EQ(out, CompleteOutcome::kLanded);
}

TEST_P(StoreContract, JobIsExecutedAtMostMaxAttemptsThenJudgeError) {
  const Submitted s = Submit();
  std::vector<std::string> runners;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    runners.push_back(RegisterRunner("r" + std::to_string(attempt)));
    ExpectClaims(runners.back(), s.job_id, attempt);
    Advance(kLeaseTtl);
  }
  const Submitted next = Submit();
  ClaimOutcome c = Claim(RegisterRunner("last"));
  EXPECT_THAT(c.converged_to_je, ElementsAre(s.submission_id));
  ASSERT_TRUE(c.job.has_value());  // the claim goes on to the next job
  EXPECT_EQ(c.job->job_id, next.job_id);
  EXPECT_FALSE(c.reclaimed);

  EXPECT_THAT(store().GetJob(s.job_id), StatusIs(ErrorCode::kNotFound));
  SubmissionRecord rec = GetSubmission(s.submission_id);
  EXPECT_EQ(rec.status, api::VerdictCode(api::Verdict::kJE));
  EXPECT_EQ(rec.score, 0);
  EXPECT_EQ(rec.attempts, kMaxAttempts);
  EXPECT_EQ(rec.judged_at, Now());
  EXPECT_EQ(rec.job_state, "");
  ASSERT_TRUE(rec.result.has_value());
  EXPECT_EQ(*rec.result, judge::JudgeErrorResult());
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store().GetQueueStats(Now()));
  EXPECT_EQ(stats.judge_error_total, 1);
  EXPECT_EQ(stats.reclaimed_total, kMaxAttempts - 1);
  // The last holder cannot land anything any more.
  EXPECT_THAT(CompleteAccepted(runners.back(), s.job_id), StatusIs(ErrorCode::kNotFound));
}

TEST_P(StoreContract, ReaperConvergesExhaustedLeasesWithoutAnyRunnerPolling) {
  const std::string rn = RegisterRunner();
  const Submitted exhausted = Submit();
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    ExpectClaims(rn, exhausted.job_id, attempt);
    if (attempt < kMaxAttempts) Advance(kLeaseTtl);
  }
  const Submitted young = Submit();
  ExpectClaims(rn, young.job_id, 1);  // expired below, but attempts remain: left for a claim
  ASSERT_OK_AND_ASSIGN(ReapOutcome early, store().ReapExpired(kMaxAttempts, Now(), 10));
  EXPECT_THAT(early.converged_to_je, IsEmpty());  // nothing expired yet
  Advance(kLeaseTtl);
  ASSERT_OK_AND_ASSIGN(ReapOutcome reaped, store().ReapExpired(kMaxAttempts, Now(), 10));
  EXPECT_THAT(reaped.converged_to_je, ElementsAre(exhausted.submission_id));
  EXPECT_THAT(reaped.discarded_stale_jobs, IsEmpty());
  EXPECT_EQ(GetSubmission(exhausted.submission_id).status, api::VerdictCode(api::Verdict::kJE));
  ASSERT_OK_AND_ASSIGN(JobRecord left, store().GetJob(young.job_id));
  EXPECT_EQ(left.state, JobState::kLeased);
  EXPECT_EQ(left.attempts, 1);
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store().GetQueueStats(Now()));
  EXPECT_EQ(stats.judge_error_total, 1);
}

TEST_P(StoreContract, ReaperDoesAtMostLimitPerCall) {
  const std::string rn = RegisterRunner();
  std::vector<Submitted> subs;
  for (int i = 0; i < 3; ++i) subs.push_back(Submit());
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    for (const Submitted& s : subs) ExpectClaims(rn, s.job_id, attempt);
    Advance(kLeaseTtl);
  }
  ASSERT_OK_AND_ASSIGN(ReapOutcome first, store().ReapExpired(kMaxAttempts, Now(), 2));
  EXPECT_EQ(first.converged_to_je.size(), 2u);
  ASSERT_OK_AND_ASSIGN(ReapOutcome second, store().ReapExpired(kMaxAttempts, Now(), 2));
  EXPECT_EQ(second.converged_to_je.size(), 1u);
  ASSERT_OK_AND_ASSIGN(ReapOutcome third, store().ReapExpired(kMaxAttempts, Now(), 2));
  EXPECT_THAT(third.converged_to_je, IsEmpty());
}

TEST_P(StoreContract, ReaperDiscardsExpiredSupersededLeases) {
  const std::string rn = RegisterRunner();
  const Submitted s = Submit();
  ExpectClaims(rn, s.job_id, 1);
  const std::string new_job = NextJobId();
  ASSERT_OK(store().Rejudge(s.submission_id, new_job, 2, Now()));
  Advance(kLeaseTtl);
  ASSERT_OK_AND_ASSIGN(ReapOutcome reaped, store().ReapExpired(kMaxAttempts, Now(), 10));
  EXPECT_THAT(reaped.discarded_stale_jobs, ElementsAre(s.job_id));
  EXPECT_THAT(reaped.converged_to_je, IsEmpty());
  EXPECT_THAT(store().GetJob(s.job_id), StatusIs(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(JobRecord current, store().GetJob(new_job));
  EXPECT_EQ(current.state, JobState::kPending);
  EXPECT_EQ(GetSubmission(s.submission_id).status, -1);
}

TEST_P(StoreContract, ClaimGetsPastManyDeadJobsInBoundedSteps) {
  const std::string rn = RegisterRunner();
  std::vector<Submitted> subs;
  for (int i = 0; i < 100; ++i) subs.push_back(Submit(1));
  for (const Submitted& s : subs)
    ASSERT_OK(store().Rejudge(s.submission_id, NextJobId(), 2, Now()));
  const Submitted fresh = Submit(1);
  // 100 superseded jobs sit before `fresh`: each claim settles a bounded number of them and never
  // hands one out; within 100 claims the fresh job is leased.
  size_t discarded = 0;
  std::optional<JobRecord> got;
  for (int i = 0; i < 100 && !got; ++i) {
    ClaimOutcome c = Claim(rn);
    discarded += c.discarded_stale_jobs.size();
    got = c.job;
  }
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->job_id, fresh.job_id);
  EXPECT_EQ(discarded, subs.size());
}

}  // namespace
}  // namespace noj::store::contract

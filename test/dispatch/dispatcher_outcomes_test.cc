// Abort (requeued, JE at the last attempt, stale), Judge Errors found by a claim or the reaper
// (exhausted, problem missing), revocation: one log line and one count each, with the reason.

#include <gtest/gtest.h>

#include "dispatch/dispatcher_fixture.h"

namespace noj::dispatch::testing {
namespace {

// The one SubmissionFinal published, or "" when none or several were.
std::string OnlyFinal(const std::vector<Message>& messages) {
  std::string sid;
  int n = 0;
  for (const Message& m : messages)
    if (const auto* f = std::get_if<SubmissionFinal>(&m)) sid = f->submission_id, ++n;
  return n == 1 ? sid : "";
}

TEST_F(DispatcherTest, AbortRequeuesAndWakesRunnersOfTheClass) {
  Submit(Problem());
  const std::string rn = Runner();
  ClaimResult c = MustClaim(rn);
  auto lease = dispatcher->HeldLease(rn, c.job.job_id, 1, Endpoint::kAbort);
  ASSERT_TRUE(lease.ok());
  messages.clear();
  auto out = dispatcher->Abort(*lease, 1, "sandbox broke");
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, AbortResult::kRequeued);
  EXPECT_EQ(Logged("aborted"), 1);
  EXPECT_EQ(sink.One(EventKind::kAborted).reason, "sandbox broke");
  EXPECT_NE(Log().find("reason=\"sandbox broke\""), std::string::npos) << Log();
  ASSERT_EQ(messages.size(), 1u);
  const auto* jobs = std::get_if<JobsAvailable>(&messages[0]);
  ASSERT_NE(jobs, nullptr);
  ASSERT_TRUE(jobs->requirements.has_value());
  EXPECT_EQ(api::RequirementsKey(*jobs->requirements), "1:0");
}

TEST_F(DispatcherTest, AbortAtTheLastAttemptIsOneJudgeErrorWithItsReason) {
  Enqueued e = Submit(Problem());
  const std::string rn = Runner();
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    ClaimResult c = MustClaim(rn);
    ASSERT_EQ(c.job.attempts, attempt);
    auto lease = dispatcher->HeldLease(rn, c.job.job_id, attempt, Endpoint::kAbort);
    ASSERT_TRUE(lease.ok());
    messages.clear();
    auto out = dispatcher->Abort(*lease, attempt, "crash");
    ASSERT_TRUE(out.ok());
    EXPECT_EQ(*out, attempt < kMaxAttempts ? AbortResult::kRequeued : AbortResult::kJudgeError);
  }
  EXPECT_EQ(Logged("judge_error"), 1) << Log();  // the store logs none of its own
  Event je = sink.One(EventKind::kJudgeError);
  EXPECT_EQ(je.je_reason, JeReason::kAbortAtMaxAttempts);
  EXPECT_EQ(je.attempt, kMaxAttempts);
  EXPECT_NE(Log().find("reason=abort_at_max_attempts"), std::string::npos);
  EXPECT_EQ(OnlyFinal(messages), e.submission_id);
  EXPECT_EQ(store->GetSubmission(e.submission_id)->status, api::VerdictCode(api::Verdict::kJE));
}

TEST_F(DispatcherTest, AbortOfASupersededJobDiscardsIt) {
  Enqueued e = Submit(Problem());
  const std::string rn = Runner();
  ClaimResult c = MustClaim(rn);
  auto lease = dispatcher->HeldLease(rn, c.job.job_id, std::nullopt, Endpoint::kAbort);
  ASSERT_TRUE(lease.ok());
  ASSERT_TRUE(dispatcher->Rejudge(e.submission_id, 0).ok());
  EXPECT_EQ(Logged("rejudge"), 1);
  messages.clear();
  auto out = dispatcher->Abort(*lease, std::nullopt, "crash");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, AbortResult::kDroppedStale);
  EXPECT_EQ(Logged("stale_job_discarded"), 1);
  EXPECT_EQ(sink.One(EventKind::kStaleJobDiscarded).job, c.job.job_id);
  EXPECT_EQ(Logged("aborted"), 0);
  EXPECT_TRUE(messages.empty());
}

TEST_F(DispatcherTest, ExhaustedLeaseFoundByAClaimIsOneJudgeError) {
  Enqueued e = Submit(Problem());
  const std::string rn = Runner();
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    MustClaim(rn);
    clock.Advance(kLeaseTtlMs + 1);
  }
  messages.clear();
  auto c = dispatcher->Claim(rn, {}, /*arrival=*/false);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->kind, ClaimKind::kNothing);
  EXPECT_EQ(Logged("judge_error"), 1) << Log();
  Event je = sink.One(EventKind::kJudgeError);
  EXPECT_EQ(je.je_reason, JeReason::kExhausted);
  EXPECT_EQ(je.submission, e.submission_id);
  EXPECT_EQ(je.attempt, kMaxAttempts);
  EXPECT_NE(Log().find("reason=exhausted"), std::string::npos);
  EXPECT_EQ(Log().find("source=reaper"), std::string::npos);
  EXPECT_EQ(OnlyFinal(messages), e.submission_id);
}

TEST_F(DispatcherTest, ExhaustedLeaseFoundByTheReaperIsOneJudgeError) {
  Enqueued e = Submit(Problem());
  const std::string rn = Runner();
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    if (attempt > 1) clock.Advance(kLeaseTtlMs + 1);
    MustClaim(rn);
  }
  clock.Advance(kLeaseTtlMs + 1);
  messages.clear();
  dispatcher->Reap();
  EXPECT_EQ(Logged("judge_error"), 1) << Log();
  Event je = sink.One(EventKind::kJudgeError);
  EXPECT_EQ(je.je_reason, JeReason::kExhausted);
  EXPECT_EQ(je.source, "reaper");
  EXPECT_NE(Log().find("reason=exhausted source=reaper"), std::string::npos) << Log();
  EXPECT_EQ(OnlyFinal(messages), e.submission_id);
  dispatcher->Reap();  // nothing left: no second line
  EXPECT_EQ(Logged("judge_error"), 1);
}

TEST_F(DispatcherTest, ReaperDiscardsAnExpiredSupersededLease) {
  Enqueued e = Submit(Problem());
  const std::string rn = Runner();
  ClaimResult c = MustClaim(rn);
  ASSERT_TRUE(dispatcher->Rejudge(e.submission_id, 1).ok());
  clock.Advance(kLeaseTtlMs + 1);
  dispatcher->Reap();
  EXPECT_EQ(Logged("stale_job_discarded"), 1) << Log();
  Event discarded = sink.One(EventKind::kStaleJobDiscarded);
  EXPECT_EQ(discarded.job, c.job.job_id);
  EXPECT_EQ(discarded.source, "reaper");
}

TEST_F(DispatcherTest, JobWhoseProblemCannotBeReadIsJudgeErrorAtOnce) {
  Enqueued e = Submit(Problem());
  const std::string rn = Runner();
  store->hide_problem_versions = true;
  messages.clear();
  auto c = dispatcher->Claim(rn, {}, /*arrival=*/false);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->kind, ClaimKind::kNothing);
  EXPECT_EQ(Logged("judge_error"), 1) << Log();
  Event je = sink.One(EventKind::kJudgeError);
  EXPECT_EQ(je.je_reason, JeReason::kProblemMissing);
  EXPECT_EQ(je.attempt, 1);
  EXPECT_NE(Log().find("reason=problem_missing"), std::string::npos);
  EXPECT_EQ(OnlyFinal(messages), e.submission_id);
  // Converged, not left leased to burn its other attempts.
  EXPECT_EQ(store->GetSubmission(e.submission_id)->status, api::VerdictCode(api::Verdict::kJE));
  EXPECT_EQ(store->GetJob(e.job_id).status().code(), ErrorCode::kNotFound);
}

TEST_F(DispatcherTest, RevokeIsLoggedOnceAndBroadcast) {
  const std::string rn = Runner();
  messages.clear();
  ASSERT_TRUE(dispatcher->Revoke(rn).ok());
  EXPECT_EQ(Logged("runner_revoked"), 1);
  EXPECT_EQ(sink.One(EventKind::kRunnerRevoked).runner, rn);
  ASSERT_EQ(messages.size(), 1u);
  const auto* revoked = std::get_if<RunnerRevoked>(&messages[0]);
  ASSERT_NE(revoked, nullptr);
  EXPECT_EQ(revoked->runner_id, rn);
  EXPECT_EQ(dispatcher->Revoke(rn).code(), ErrorCode::kNotFound);
  EXPECT_EQ(Logged("runner_revoked"), 1);
}

TEST_F(DispatcherTest, ExpiredIdentitiesAreForgottenByTheReaper) {
  Runner();
  clock.Advance(DispatchConfig{}.identity_ttl_ms + 1);
  dispatcher->Reap();
  EXPECT_EQ(Logged("runners_forgotten"), 1) << Log();
  EXPECT_EQ(sink.One(EventKind::kRunnersForgotten).count, 1);
}

TEST_F(DispatcherTest, BulkRejudgeQueuesEverySubmissionAndWakesRunners) {
  const int64_t pid = Problem();
  Submit(pid);
  Submit(pid);
  messages.clear();
  auto queued = dispatcher->RejudgeProblem(pid, std::nullopt);
  ASSERT_TRUE(queued.ok()) << queued.status().ToString();
  EXPECT_EQ(*queued, 2);
  EXPECT_EQ(Logged("problem_rejudged"), 1);
  EXPECT_NE(Log().find("status=any queued=2"), std::string::npos) << Log();
  ASSERT_EQ(messages.size(), 1u);
  const auto* jobs = std::get_if<JobsAvailable>(&messages[0]);
  ASSERT_NE(jobs, nullptr);
  EXPECT_FALSE(jobs->requirements.has_value());
  EXPECT_EQ(jobs->count, 2);
}

TEST_F(DispatcherTest, EnqueueRefusesAProblemWithoutTestdata) {
  auto pid = store->CreateProblem({"bare", {{100, 1, 65536, 1000}}}, clock.NowMs());
  ASSERT_TRUE(pid.ok());
  auto e = dispatcher->Enqueue(SubmitRequest{*pid, 1, "x", 1});
  EXPECT_EQ(e.status().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(Logged("enqueued"), 0);
  EXPECT_TRUE(messages.empty());
}

}  // namespace
}  // namespace noj::dispatch::testing

// Register, claim (fresh, reclaimed, the arrival gate), complete (landed, stale): each outcome's
// event logged once and counted once, and what the broadcast carried.

#include <gtest/gtest.h>

#include "dispatch/dispatcher_fixture.h"

namespace noj::dispatch::testing {
namespace {

TEST_F(DispatcherTest, RegisterLogsAndCountsOnce) {
  auto r = dispatcher->Register(Registration{"judge-1", "seccomp=on", {{0, 1}, 0}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->runner_id.rfind("rn_", 0), 0u);
  EXPECT_EQ(r->token.rfind("rk_", 0), 0u);
  EXPECT_EQ(Logged("runner_registered"), 1);
  EXPECT_EQ(sink.One(EventKind::kRunnerRegistered).runner, r->runner_id);
  EXPECT_NE(Log().find("name=\"judge-1\""), std::string::npos) << Log();
  EXPECT_NE(Log().find("languages=0,1"), std::string::npos) << Log();
  EXPECT_TRUE(store->GetRunner(r->runner_id, clock.NowMs()).ok());
}

TEST_F(DispatcherTest, EnqueueAnnouncesJobsOfItsClassOnly) {
  const int64_t pid = Problem();
  Enqueued e = Submit(pid);
  EXPECT_EQ(Logged("enqueued"), 1);
  EXPECT_EQ(sink.One(EventKind::kEnqueued).submission, e.submission_id);
  ASSERT_EQ(messages.size(), 1u);
  const auto* jobs = std::get_if<JobsAvailable>(&messages[0]);
  ASSERT_NE(jobs, nullptr);
  ASSERT_TRUE(jobs->requirements.has_value());
  EXPECT_EQ(api::RequirementsKey(*jobs->requirements), "1:0");  // C++, no feature
  EXPECT_EQ(jobs->count, 1);
}

TEST_F(DispatcherTest, ClaimLeasesWithTheProblemVersion) {
  const int64_t pid = Problem();
  Enqueued e = Submit(pid);
  const std::string rn = Runner();
  ClaimResult c = MustClaim(rn);
  EXPECT_EQ(c.job.job_id, e.job_id);
  EXPECT_EQ(c.job.attempts, 1);
  ASSERT_NE(c.problem, nullptr);
  EXPECT_EQ(c.problem->problem_id, pid);
  EXPECT_EQ(Logged("claimed"), 1);
  Event claimed = sink.One(EventKind::kClaimed);
  EXPECT_EQ(claimed.attempt, 1);
  EXPECT_EQ(claimed.runner, rn);
  EXPECT_EQ(claimed.latency_ms, 0);  // enqueued and claimed at the same fake instant
  EXPECT_EQ(sink.Counted(EventKind::kReclaimed), 0);
}

TEST_F(DispatcherTest, ExpiredLeaseIsReclaimedByAnotherRunner) {
  Submit(Problem());
  const std::string first = Runner();
  const std::string second = Runner();
  MustClaim(first);
  clock.Advance(kLeaseTtlMs + 1);
  ClaimResult c = MustClaim(second);
  EXPECT_EQ(c.job.attempts, 2);
  EXPECT_EQ(Logged("reclaimed"), 1);
  Event reclaimed = sink.One(EventKind::kReclaimed);
  EXPECT_EQ(reclaimed.previous, first);
  EXPECT_EQ(reclaimed.runner, second);
  EXPECT_EQ(reclaimed.attempt, 2);
  EXPECT_NE(Log().find("previous=" + first), std::string::npos) << Log();
}

TEST_F(DispatcherTest, CompleteLandsOnceAndAnnouncesTheSubmission) {
  Enqueued e = Submit(Problem());
  const std::string rn = Runner();
  ClaimResult c = MustClaim(rn);
  messages.clear();
  auto lease = dispatcher->HeldLease(rn, c.job.job_id, 1, Endpoint::kComplete);
  ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  clock.Advance(1500);
  auto out = dispatcher->Complete(*lease, 1, Accepted());
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, CompleteResult::kLanded);
  EXPECT_EQ(Logged("landed"), 1);
  Event landed = sink.One(EventKind::kLanded);
  EXPECT_EQ(landed.verdict, api::Verdict::kAC);
  EXPECT_EQ(landed.attempt, 1);
  EXPECT_EQ(landed.latency_ms, 1500);
  EXPECT_NE(Log().find("submission=" + e.submission_id), std::string::npos);
  ASSERT_EQ(messages.size(), 1u);
  const auto* final = std::get_if<SubmissionFinal>(&messages[0]);
  ASSERT_NE(final, nullptr);
  EXPECT_EQ(final->submission_id, e.submission_id);
  EXPECT_EQ(store->GetSubmission(e.submission_id)->status, api::VerdictCode(api::Verdict::kAC));
}

TEST_F(DispatcherTest, ResultOfASupersededJobIsDroppedAsStale) {
  Enqueued e = Submit(Problem());
  const std::string rn = Runner();
  ClaimResult c = MustClaim(rn);
  auto lease = dispatcher->HeldLease(rn, c.job.job_id, std::nullopt, Endpoint::kComplete);
  ASSERT_TRUE(lease.ok());
  ASSERT_TRUE(dispatcher->Rejudge(e.submission_id, 1).ok());
  messages.clear();
  auto out = dispatcher->Complete(*lease, std::nullopt, Accepted());
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, CompleteResult::kDroppedStale);
  EXPECT_EQ(Logged("stale_result_dropped"), 1);
  EXPECT_EQ(sink.Counted(EventKind::kStaleResultDropped), 1);
  EXPECT_EQ(Logged("landed"), 0);
  EXPECT_TRUE(messages.empty());  // nothing final: the rejudge's job is pending
}

TEST_F(DispatcherTest, LeaseHeldByAnotherRunnerIsAConflictCountedOnce) {
  Submit(Problem());
  const std::string holder = Runner();
  const std::string other = Runner();
  ClaimResult c = MustClaim(holder);
  auto lease = dispatcher->HeldLease(other, c.job.job_id, std::nullopt, Endpoint::kAbort);
  EXPECT_EQ(lease.status().code(), ErrorCode::kAborted);
  EXPECT_EQ(sink.One(EventKind::kLeaseConflict).endpoint, Endpoint::kAbort);
  auto wrong_attempt = dispatcher->HeldLease(holder, c.job.job_id, 7, Endpoint::kComplete);
  EXPECT_EQ(wrong_attempt.status().code(), ErrorCode::kAborted);
  EXPECT_EQ(sink.Counted(EventKind::kLeaseConflict), 2);
  auto missing = dispatcher->HeldLease(holder, "jb_01KA0000000000000000000099", std::nullopt,
                                       Endpoint::kComplete);
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(sink.Counted(EventKind::kLeaseConflict), 2);  // a 404 is no conflict
}

TEST_F(DispatcherTest, CasesThatDoNotFitTheTasksAreRefusedBeforeTheStore) {
  Enqueued e = Submit(Problem());
  const std::string rn = Runner();
  ClaimResult c = MustClaim(rn);
  auto lease = dispatcher->HeldLease(rn, c.job.job_id, std::nullopt, Endpoint::kComplete);
  ASSERT_TRUE(lease.ok());
  auto out = dispatcher->Complete(*lease, std::nullopt, api::ReportedCases{});
  EXPECT_EQ(out.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Logged("landed"), 0);
  EXPECT_EQ(store->GetSubmission(e.submission_id)->status, store::kPendingStatus);
}

TEST_F(DispatcherTest, ArrivalGateSkipsASecondEmptyClaimUntilJobsAreAnnounced) {
  const int64_t pid = Problem();
  const std::string rn = Runner();
  auto first = dispatcher->Claim(rn, {}, /*arrival=*/true);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->kind, ClaimKind::kNothing);
  EXPECT_FALSE(first->gated);
  EXPECT_EQ(store->claims, 1);
  // Nothing announced since: the next arrival does not ask the store.
  auto second = dispatcher->Claim(rn, {}, /*arrival=*/true);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->kind, ClaimKind::kNothing);
  EXPECT_TRUE(second->gated);
  EXPECT_EQ(store->claims, 1);
  // A re-check (not an arrival) always claims.
  ASSERT_TRUE(dispatcher->Claim(rn, {}, /*arrival=*/false).ok());
  EXPECT_EQ(store->claims, 2);
  // An enqueue announces JobsAvailable: the next arrival claims and gets the job.
  Submit(pid);
  auto third = dispatcher->Claim(rn, {}, /*arrival=*/true);
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->kind, ClaimKind::kLeased);
  EXPECT_EQ(store->claims, 3);
}

TEST_F(DispatcherTest, ArrivalGateReopensOnJobsAvailableFromAnotherNode) {
  const std::string rn = Runner();
  ASSERT_TRUE(dispatcher->Claim(rn, {}, /*arrival=*/true).ok());
  ASSERT_TRUE(dispatcher->Claim(rn, {}, /*arrival=*/true)->gated);
  broadcast.Deliver(JobsAvailable{std::nullopt, 1});  // as a relay delivers another node's
  auto after = dispatcher->Claim(rn, {}, /*arrival=*/true);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->gated);
  EXPECT_EQ(store->claims, 2);
}

}  // namespace
}  // namespace noj::dispatch::testing

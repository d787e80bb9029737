// StoreContract: the result-callback outbox (store.h "result callbacks"). A landing of a final
// result (Complete, and a JE however it comes) writes one pending delivery in the same step; a
// stale result, a requeue, Enqueue and Rejudge write none. Deliveries are leased (the lease is
// their due time: a holder that died is taken over when it runs out), finished one way or
// another, redelivered when dead, listed and counted.
// This file: what writes a delivery; the suite is instantiated here for every store.

#include "callbacks_contract_fixture.h"

namespace noj::store::contract {
namespace {

using noj::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// ---- what writes a delivery ----

TEST_P(CallbacksContract, CallbackUrlRoundTripsThroughEveryRead) {
  const Submitted with = SubmitTo(kUrlA);
  const Submitted without = SubmitTo("");
  EXPECT_EQ(GetSubmission(with.submission_id).callback_url, kUrlA);
  EXPECT_EQ(GetSubmission(without.submission_id).callback_url, "");
  ASSERT_OK_AND_ASSIGN(std::vector<SubmissionRecord> listed,
                       store().ListSubmissions(SubmissionFilter{}));
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0].submission_id, without.submission_id);  // newest first
  EXPECT_EQ(listed[0].callback_url, "");
  EXPECT_EQ(listed[1].callback_url, kUrlA);
  // A rejudge keeps it, a landing too.
  ASSERT_OK(store().Rejudge(with.submission_id, NextJobId(), 2, Now()));
  EXPECT_EQ(GetSubmission(with.submission_id).callback_url, kUrlA);
}

TEST_P(CallbacksContract, EnqueueAndRejudgeWriteNoDelivery) {
  const Submitted s = SubmitTo(kUrlA);
  ASSERT_OK(store().Rejudge(s.submission_id, NextJobId(), 2, Now()));
  EXPECT_THAT(All(), IsEmpty());
  EXPECT_THAT(store().GetDelivery(EventOf(s.job_id)), StatusIs(ErrorCode::kNotFound));
}

TEST_P(CallbacksContract, LandingWritesExactlyOnePendingDelivery) {
  const Submitted s = SubmitTo(kUrlA);
  const std::string rn = RegisterRunner();
  ExpectClaims(rn, s.job_id, 1);
  const int64_t at = Advance(5000);
  ASSERT_OK_AND_ASSIGN(CompleteOutcome out, CompleteAccepted(rn, s.job_id));
  ASSERT_EQ(out, CompleteOutcome::kLanded);

  const std::vector<DeliveryRecord> all = All();
  ASSERT_EQ(all.size(), 1u);
  const DeliveryRecord& d = all[0];
  EXPECT_EQ(d.event_id, EventOf(s.job_id));
  EXPECT_EQ(d.submission_id, s.submission_id);
  EXPECT_EQ(d.job_id, s.job_id);
  EXPECT_EQ(d.url, kUrlA);
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_EQ(d.attempts, 0);
  EXPECT_EQ(d.created_at, at);
  EXPECT_EQ(d.next_attempt_at, at);
  EXPECT_EQ(d.lease_owner, "");
  EXPECT_EQ(d.lease_until, 0);
  EXPECT_EQ(d.last_attempt_at, 0);
  EXPECT_EQ(d.last_error, "");
  const DeliveryRecord got = Get(d.event_id);
  EXPECT_EQ(got.event_id, d.event_id);
  EXPECT_EQ(got.url, kUrlA);
  EXPECT_EQ(got.created_at, at);
  // A second report of the same job lands nothing and writes nothing.
  EXPECT_FALSE(CompleteAccepted(rn, s.job_id).ok());
  EXPECT_EQ(All().size(), 1u);
}

TEST_P(CallbacksContract, RunnerReportedJudgeErrorWritesOneLikeAnyResult) {
  const Submitted s = SubmitTo(kUrlA);
  const std::string rn = RegisterRunner();
  ExpectClaims(rn, s.job_id, 1);
  CompletionRequest c = Completion(rn, s.job_id);
  c.result.status = api::Verdict::kJE;
  c.result.score = 0;
  ASSERT_OK_AND_ASSIGN(CompleteOutcome out, store().Complete(c, Now()));
  ASSERT_EQ(out, CompleteOutcome::kLanded);
  EXPECT_THAT(EventIds(All()), ElementsAre(EventOf(s.job_id)));
}

TEST_P(CallbacksContract, NoCallbackUrlWritesNone) {
  const Submitted s = SubmitTo("");
  Land(runner(), s.job_id);
  EXPECT_EQ(GetSubmission(s.submission_id).status, 0);
  EXPECT_THAT(All(), IsEmpty());
  EXPECT_EQ(Stats().pending, 0);
}

TEST_P(CallbacksContract, AStaleResultWritesNone) {
  const std::string rn = RegisterRunner();
  const Submitted completed = SubmitTo(kUrlA);
  const Submitted aborted = SubmitTo(kUrlA);
  ExpectClaims(rn, completed.job_id, 1);
  ExpectClaims(rn, aborted.job_id, 1);
  ASSERT_OK(store().Rejudge(completed.submission_id, NextJobId(), 2, Now()));
  ASSERT_OK(store().Rejudge(aborted.submission_id, NextJobId(), 2, Now()));
  ASSERT_OK_AND_ASSIGN(CompleteOutcome out, CompleteAccepted(rn, completed.job_id));
  EXPECT_EQ(out, CompleteOutcome::kDroppedStale);
  ASSERT_OK_AND_ASSIGN(AbortOutcome ab, AbortJob(rn, aborted.job_id, false));
  EXPECT_EQ(ab, AbortOutcome::kDroppedStale);
  EXPECT_THAT(All(), IsEmpty());
}

TEST_P(CallbacksContract, ARequeueingAbortWritesNone) {
  const std::string rn = RegisterRunner();
  const Submitted s = SubmitTo(kUrlA);
  ExpectClaims(rn, s.job_id, 1);
  ASSERT_OK_AND_ASSIGN(AbortOutcome out, AbortJob(rn, s.job_id, false));
  EXPECT_EQ(out, AbortOutcome::kRequeued);
  EXPECT_THAT(All(), IsEmpty());
}

TEST_P(CallbacksContract, AbortAtTheMaximumWritesOne) {
  const std::string rn = RegisterRunner();
  const Submitted s = SubmitTo(kUrlA);
  for (int attempt = 1; attempt < kMaxAttempts; ++attempt) {
    ExpectClaims(rn, s.job_id, attempt);
    ASSERT_OK_AND_ASSIGN(AbortOutcome out, AbortJob(rn, s.job_id, false));
    ASSERT_EQ(out, AbortOutcome::kRequeued);
  }
  ExpectClaims(rn, s.job_id, kMaxAttempts);
  ASSERT_OK_AND_ASSIGN(AbortOutcome out, AbortJob(rn, s.job_id, false));
  ASSERT_EQ(out, AbortOutcome::kJudgeError);
  const std::vector<DeliveryRecord> all = All();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].event_id, EventOf(s.job_id));
  EXPECT_EQ(all[0].submission_id, s.submission_id);
  EXPECT_EQ(all[0].created_at, Now());
  EXPECT_EQ(all[0].attempts, 0);
}

TEST_P(CallbacksContract, AClaimConvergingAnExhaustedOrphanWritesOne) {
  const Submitted s = SubmitTo(kUrlA);
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    ExpectClaims(RegisterRunner("r" + std::to_string(attempt)), s.job_id, attempt);
    Advance(kLeaseTtl);
  }
  ClaimOutcome c = Claim(RegisterRunner("last"));
  ASSERT_THAT(c.converged_to_je, ElementsAre(s.submission_id));
  const std::vector<DeliveryRecord> all = All();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].event_id, EventOf(s.job_id));
  EXPECT_EQ(all[0].created_at, Now());
}

TEST_P(CallbacksContract, ReapExpiredJudgeErrorWritesOne) {
  const std::string rn = RegisterRunner();
  const Submitted s = SubmitTo(kUrlA);
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    ExpectClaims(rn, s.job_id, attempt);
    Advance(kLeaseTtl);
  }
  ASSERT_OK_AND_ASSIGN(ReapOutcome reaped, store().ReapExpired(kMaxAttempts, Now(), 10));
  ASSERT_THAT(reaped.converged_to_je, ElementsAre(s.submission_id));
  EXPECT_THAT(EventIds(All()), ElementsAre(EventOf(s.job_id)));
}

TEST_P(CallbacksContract, AProblemMissingJudgeErrorWritesOne) {
  const int64_t doomed_problem = MakeProblem();
  NewSubmission s;
  s.submission_id = NextSubmissionId();
  s.job_id = NextJobId();
  s.problem_id = doomed_problem;
  s.language = 1;
  s.code = "x";
  s.requirements = {1, 0};
  s.callback_url = kUrlB;
  ASSERT_OK(store().Enqueue(s, Now()));
  if (!harness().DropProblemRecord(doomed_problem)) GTEST_SKIP() << "no raw access";
  ClaimOutcome c = Claim(runner());
  ASSERT_THAT(c.problem_missing_je, ElementsAre(s.submission_id));
  const std::vector<DeliveryRecord> all = All();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].event_id, EventOf(s.job_id));
  EXPECT_EQ(all[0].url, kUrlB);
}

TEST_P(CallbacksContract, ARejudgesLandingWritesANewEventIdAndKeepsTheOldOne) {
  const Submitted s = SubmitTo(kUrlA);
  Land(runner(), s.job_id);
  const std::string again = NextJobId();
  Advance(1000);
  ASSERT_OK(store().Rejudge(s.submission_id, again, 2, Now()));
  EXPECT_THAT(EventIds(All()), ElementsAre(EventOf(s.job_id)));  // not touched by the rejudge
  Advance(1000);
  Land(runner(), again);
  const std::vector<DeliveryRecord> all = All();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].event_id, EventOf(s.job_id));
  EXPECT_EQ(all[1].event_id, EventOf(again));
  EXPECT_EQ(all[1].job_id, again);
  EXPECT_EQ(all[1].submission_id, s.submission_id);
  EXPECT_EQ(all[1].created_at, Now());
  // The deliverer tells the superseded one by the submission's current job.
  EXPECT_EQ(GetSubmission(s.submission_id).current_job_id, again);
}

INSTANTIATE_TEST_SUITE_P(AllStores, CallbacksContract, ::testing::ValuesIn(AllStoreFactories()),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace noj::store::contract

// StoreContract: the result-callback outbox (store.h "result callbacks"). A landing of a final
// result (Complete, and a JE however it comes) writes one pending delivery in the same step; a
// stale result, a requeue, Enqueue and Rejudge write none. Deliveries are leased (the lease is
// their due time: a holder that died is taken over when it runs out), finished one way or
// another, redelivered when dead, listed and counted.

#include <latch>
#include <set>
#include <thread>

#include "redis_harness.h"
#include "sqlite_harness.h"
#include "store/redis/redis_store.h"
#include "store_contract_fixture.h"

namespace noj::store::contract {
namespace {

using noj::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr const char* kUrlA = "https://a.example/hook";
constexpr const char* kUrlB = "https://b.example/hook";
constexpr int64_t kDeliveryLease = 20'000;

std::string EventOf(const std::string& job_id) { return "msg_" + job_id; }

std::vector<std::string> EventIds(const std::vector<DeliveryRecord>& records) {
  std::vector<std::string> ids;
  for (const DeliveryRecord& r : records) ids.push_back(r.event_id);
  return ids;
}

class CallbacksContract : public StoreContract {
 protected:
  // Enqueues a submission of problem_id_ whose results go to `url` ("" for none).
  Submitted SubmitTo(const std::string& url) {
    NewSubmission s;
    s.submission_id = NextSubmissionId();
    s.job_id = NextJobId();
    s.problem_id = problem_id_;
    s.language = 1;
    s.code = "int main() { return 0; }\n";
    s.priority = 1;
    s.requirements = {s.language, 0};
    s.callback_url = url;
    EXPECT_OK(store().Enqueue(s, Now()));
    return {s.submission_id, s.job_id};
  }
  // Claims `job_id` as `rn` and lands Accepted for it.
  void Land(const std::string& rn, const std::string& job_id) {
    ClaimOutcome c = Claim(rn);
    ASSERT_TRUE(c.job.has_value());
    ASSERT_EQ(c.job->job_id, job_id);
    ASSERT_OK_AND_ASSIGN(CompleteOutcome out, CompleteAccepted(rn, job_id));
    ASSERT_EQ(out, CompleteOutcome::kLanded);
  }
  // A submission to `url` with its result landed now; its event id.
  std::string Landed(const std::string& url) {
    const Submitted s = SubmitTo(url);
    Land(runner(), s.job_id);
    return EventOf(s.job_id);
  }
  // Every delivery, pending and dead, oldest first.
  std::vector<DeliveryRecord> All() {
    DeliveryFilter f;
    f.limit = 1000;
    auto got = store().ListDeliveries(f);
    EXPECT_OK(got);
    return got.value_or(std::vector<DeliveryRecord>{});
  }
  std::vector<DeliveryRecord> Lease(const std::string& owner, int limit,
                                    int64_t lease_ms = kDeliveryLease) {
    auto got = store().LeaseDeliveries(owner, limit, lease_ms, Now());
    EXPECT_OK(got);
    return got.value_or(std::vector<DeliveryRecord>{});
  }
  DeliveryRecord Get(const std::string& event_id) {
    auto got = store().GetDelivery(event_id);
    EXPECT_OK(got);
    return got.value_or(DeliveryRecord{});
  }
  DeliveryStats Stats() {
    auto got = store().GetDeliveryStats(Now());
    EXPECT_OK(got);
    return got.value_or(DeliveryStats{});
  }
  Status Finish(const std::string& event_id, const std::string& owner, DeliveryAttempt::Kind kind,
                int64_t next_attempt_at = 0, const std::string& error = "") {
    DeliveryAttempt a;
    a.kind = kind;
    a.next_attempt_at = next_attempt_at;
    a.error = error;
    return store().FinishDelivery(event_id, owner, a, Now());
  }
  // Leases `event_id` alone as `owner` and ends it dead.
  void KillDelivery(const std::string& event_id, const std::string& owner = "killer") {
    std::vector<DeliveryRecord> got = Lease(owner, 1);
    ASSERT_EQ(got.size(), 1u);
    ASSERT_EQ(got[0].event_id, event_id);
    ASSERT_OK(Finish(event_id, owner, DeliveryAttempt::Kind::kDead, 0, "HTTP 410 Gone"));
  }
  const std::string& runner() {
    if (runner_.empty()) runner_ = RegisterRunner("cb");
    return runner_;
  }

 private:
  std::string runner_;
};

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

// ---- leasing ----

TEST_P(CallbacksContract, LeaseGivesOnlyDueOnesOldestFirstUpToLimit) {
  const std::string first = Landed(kUrlA);
  Advance(10);
  const std::string second = Landed(kUrlA);
  Advance(10);
  const std::string third = Landed(kUrlB);
  Advance(10);
  const std::string later = Landed(kUrlB);
  // `later` is retried far ahead: not due.
  {
    std::vector<DeliveryRecord> one = Lease("setup", 4);
    ASSERT_EQ(one.size(), 4u);
    for (const DeliveryRecord& d : one) {
      const bool retry_later = d.event_id == later;
      ASSERT_OK(
          Finish(d.event_id, "setup",
                 retry_later ? DeliveryAttempt::Kind::kRetry : DeliveryAttempt::Kind::kPostponed,
                 retry_later ? Now() + 60'000 : Now(), retry_later ? "HTTP 500" : ""));
    }
  }
  Advance(1);
  // Postponed to the same instant: their order is that of their next_attempt_at, all equal now;
  // ask for two and get two due ones.
  std::vector<DeliveryRecord> got = Lease("n1", 2);
  ASSERT_EQ(got.size(), 2u);
  std::set<std::string> taken;
  for (const DeliveryRecord& d : got) {
    EXPECT_NE(d.event_id, later);
    EXPECT_EQ(d.lease_owner, "n1");
    EXPECT_EQ(d.lease_until, Now() + kDeliveryLease);
    EXPECT_EQ(d.next_attempt_at, d.lease_until);  // the lease is its due time
    taken.insert(d.event_id);
  }
  std::vector<DeliveryRecord> rest = Lease("n2", 10);
  ASSERT_EQ(rest.size(), 1u);  // the third due one; `later` is not due
  EXPECT_EQ(taken.count(rest[0].event_id), 0u);
  EXPECT_NE(rest[0].event_id, later);
  EXPECT_THAT(Lease("n3", 10), IsEmpty());
  const DeliveryRecord stored = Get(rest[0].event_id);
  EXPECT_EQ(stored.lease_owner, "n2");
  EXPECT_EQ(stored.lease_until, Now() + kDeliveryLease);
  EXPECT_EQ(stored.next_attempt_at, Now() + kDeliveryLease);
  (void)first;
  (void)second;
  (void)third;
}

TEST_P(CallbacksContract, LeaseOrderIsOldestNextAttemptFirst) {
  const std::string first = Landed(kUrlA);
  Advance(10);
  const std::string second = Landed(kUrlA);
  Advance(10);
  const std::string third = Landed(kUrlA);
  Advance(10);
  EXPECT_THAT(EventIds(Lease("n1", 1)), ElementsAre(first));
  EXPECT_THAT(EventIds(Lease("n1", 1)), ElementsAre(second));
  EXPECT_THAT(EventIds(Lease("n1", 5)), ElementsAre(third));
  EXPECT_THAT(Lease("n1", 5), IsEmpty());
}

TEST_P(CallbacksContract, TwoOwnersNeverGetTheSameOne) {
  std::set<std::string> events;
  for (int i = 0; i < 6; ++i) events.insert(Landed(i % 2 == 0 ? kUrlA : kUrlB));
  std::set<std::string> seen;
  for (int round = 0; round < 4; ++round) {
    for (const std::string owner : {"n1", "n2"}) {
      for (const DeliveryRecord& d : Lease(owner, 1)) {
        EXPECT_TRUE(seen.insert(d.event_id).second) << d.event_id << " leased twice";
        EXPECT_EQ(d.lease_owner, owner);
      }
    }
  }
  EXPECT_EQ(seen, events);
  EXPECT_EQ(Stats().leased, 6);
}

TEST_P(CallbacksContract, ARunOutLeaseIsTakenOverAndTheFirstOwnersFinishIsAborted) {
  const std::string ev = Landed(kUrlA);
  ASSERT_THAT(EventIds(Lease("dead-node", 1, 1000)), ElementsAre(ev));
  Advance(999);
  EXPECT_THAT(Lease("n2", 1, 1000), IsEmpty());  // still held
  Advance(1);
  std::vector<DeliveryRecord> taken = Lease("n2", 1, 1000);
  ASSERT_THAT(EventIds(taken), ElementsAre(ev));
  EXPECT_EQ(taken[0].lease_owner, "n2");
  EXPECT_EQ(taken[0].attempts, 0);
  EXPECT_THAT(Finish(ev, "dead-node", DeliveryAttempt::Kind::kDelivered),
              StatusIs(ErrorCode::kAborted));
  EXPECT_EQ(Get(ev).lease_owner, "n2");
  EXPECT_OK(Finish(ev, "n2", DeliveryAttempt::Kind::kDelivered));
  EXPECT_THAT(store().GetDelivery(ev), StatusIs(ErrorCode::kNotFound));
}

TEST_P(CallbacksContract, ARunOutLeaseNotTakenOverIsStillHeld) {
  const std::string ev = Landed(kUrlA);
  ASSERT_THAT(EventIds(Lease("slow", 1, 1000)), ElementsAre(ev));
  Advance(5000);
  EXPECT_OK(Finish(ev, "slow", DeliveryAttempt::Kind::kDelivered));
  EXPECT_EQ(Stats().delivered_total, 1);
}

TEST_P(CallbacksContract, LeaseRespectsALimitBelowOne) {
  Landed(kUrlA);
  EXPECT_THAT(Lease("n1", 0), IsEmpty());
  EXPECT_EQ(Lease("n1", 1).size(), 1u);
}

// ---- finishing ----

TEST_P(CallbacksContract, DeliveredDeletesAndCounts) {
  const std::string ev = Landed(kUrlA);
  ASSERT_EQ(Lease("n1", 1).size(), 1u);
  ASSERT_OK(Finish(ev, "n1", DeliveryAttempt::Kind::kDelivered));
  EXPECT_THAT(store().GetDelivery(ev), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(All(), IsEmpty());
  const DeliveryStats st = Stats();
  EXPECT_EQ(st.delivered_total, 1);
  EXPECT_EQ(st.superseded_total, 0);
  EXPECT_EQ(st.pending, 0);
  EXPECT_THAT(st.targets, IsEmpty());
  // Done: a second finish finds nothing.
  EXPECT_THAT(Finish(ev, "n1", DeliveryAttempt::Kind::kDelivered), StatusIs(ErrorCode::kNotFound));
}

TEST_P(CallbacksContract, SupersededDeletesAndCounts) {
  const std::string ev = Landed(kUrlA);
  ASSERT_EQ(Lease("n1", 1).size(), 1u);
  ASSERT_OK(Finish(ev, "n1", DeliveryAttempt::Kind::kSuperseded));
  EXPECT_THAT(store().GetDelivery(ev), StatusIs(ErrorCode::kNotFound));
  const DeliveryStats st = Stats();
  EXPECT_EQ(st.delivered_total, 0);
  EXPECT_EQ(st.superseded_total, 1);
  EXPECT_EQ(st.pending, 0);
}

TEST_P(CallbacksContract, RetryCountsTheAttemptAndIsDueAgainLater) {
  const std::string ev = Landed(kUrlA);
  const int64_t created = Now();
  ASSERT_EQ(Lease("n1", 1).size(), 1u);
  const int64_t tried = Advance(300);
  ASSERT_OK(Finish(ev, "n1", DeliveryAttempt::Kind::kRetry, Now() + 2000, "HTTP 500"));
  DeliveryRecord d = Get(ev);
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.last_attempt_at, tried);
  EXPECT_EQ(d.last_error, "HTTP 500");
  EXPECT_EQ(d.next_attempt_at, tried + 2000);
  EXPECT_EQ(d.lease_owner, "");
  EXPECT_EQ(d.lease_until, 0);
  EXPECT_EQ(d.created_at, created);
  Advance(1999);
  EXPECT_THAT(Lease("n2", 1), IsEmpty());
  Advance(1);
  ASSERT_THAT(EventIds(Lease("n2", 1)), ElementsAre(ev));
  ASSERT_OK(Finish(ev, "n2", DeliveryAttempt::Kind::kRetry, Now() + 4000, "timeout"));
  d = Get(ev);
  EXPECT_EQ(d.attempts, 2);
  EXPECT_EQ(d.last_error, "timeout");
}

TEST_P(CallbacksContract, DeadKeepsItWithItsErrorAndNeverLeasesItAgain) {
  const std::string ev = Landed(kUrlA);
  ASSERT_EQ(Lease("n1", 1).size(), 1u);
  const int64_t tried = Advance(50);
  ASSERT_OK(Finish(ev, "n1", DeliveryAttempt::Kind::kDead, 0, "HTTP 410 Gone"));
  const DeliveryRecord d = Get(ev);
  EXPECT_EQ(d.state, DeliveryState::kDead);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.last_attempt_at, tried);
  EXPECT_EQ(d.last_error, "HTTP 410 Gone");
  EXPECT_EQ(d.lease_owner, "");
  EXPECT_EQ(d.lease_until, 0);
  Advance(24LL * 3600 * 1000);
  EXPECT_THAT(Lease("n1", 10), IsEmpty());
  // Not pending: no more finishing.
  EXPECT_THAT(Finish(ev, "n1", DeliveryAttempt::Kind::kDelivered), StatusIs(ErrorCode::kAborted));
  EXPECT_EQ(Stats().dead, 1);
}

TEST_P(CallbacksContract, PostponedMovesTheDueTimeOnly) {
  const std::string ev = Landed(kUrlA);
  ASSERT_EQ(Lease("n1", 1).size(), 1u);
  ASSERT_OK(Finish(ev, "n1", DeliveryAttempt::Kind::kRetry, Now(), "HTTP 503"));
  ASSERT_EQ(Lease("n1", 1).size(), 1u);
  const int64_t before_postpone = Advance(10);
  ASSERT_OK(Finish(ev, "n1", DeliveryAttempt::Kind::kPostponed, Now() + 250));
  const DeliveryRecord d = Get(ev);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.last_error, "HTTP 503");
  EXPECT_LT(d.last_attempt_at, before_postpone);
  EXPECT_EQ(d.next_attempt_at, Now() + 250);
  EXPECT_EQ(d.lease_owner, "");
  EXPECT_EQ(d.lease_until, 0);
  Advance(249);
  EXPECT_THAT(Lease("n1", 1), IsEmpty());
  Advance(1);
  EXPECT_THAT(EventIds(Lease("n1", 1)), ElementsAre(ev));
}

TEST_P(CallbacksContract, FinishNeedsTheLease) {
  const std::string ev = Landed(kUrlA);
  EXPECT_THAT(Finish("msg_nope", "n1", DeliveryAttempt::Kind::kDelivered),
              StatusIs(ErrorCode::kNotFound));
  // Not leased at all.
  EXPECT_THAT(Finish(ev, "n1", DeliveryAttempt::Kind::kDelivered), StatusIs(ErrorCode::kAborted));
  EXPECT_THAT(Finish(ev, "", DeliveryAttempt::Kind::kDelivered), StatusIs(ErrorCode::kAborted));
  ASSERT_EQ(Lease("n1", 1).size(), 1u);
  EXPECT_THAT(Finish(ev, "n2", DeliveryAttempt::Kind::kRetry, Now() + 1, "x"),
              StatusIs(ErrorCode::kAborted));
  const DeliveryRecord d = Get(ev);
  EXPECT_EQ(d.lease_owner, "n1");
  EXPECT_EQ(d.attempts, 0);
  EXPECT_EQ(Stats().delivered_total, 0);
}

// ---- redelivery ----

TEST_P(CallbacksContract, RedeliverRevivesADeadOneOnly) {
  const std::string ev = Landed(kUrlA);
  EXPECT_THAT(store().Redeliver("msg_nope", Now()), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().Redeliver(ev, Now()), StatusIs(ErrorCode::kFailedPrecondition));
  KillDelivery(ev);
  const int64_t at = Advance(60'000);
  ASSERT_OK(store().Redeliver(ev, Now()));
  const DeliveryRecord d = Get(ev);
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_EQ(d.attempts, 0);
  EXPECT_EQ(d.created_at, at);
  EXPECT_EQ(d.next_attempt_at, at);
  EXPECT_EQ(d.lease_owner, "");
  EXPECT_EQ(d.lease_until, 0);
  EXPECT_EQ(d.last_error, "HTTP 410 Gone");  // kept for the operator
  EXPECT_THAT(store().Redeliver(ev, Now()), StatusIs(ErrorCode::kFailedPrecondition));
  const DeliveryStats st = Stats();
  EXPECT_EQ(st.dead, 0);
  EXPECT_EQ(st.pending, 1);
  EXPECT_EQ(st.oldest_pending_created_at, at);
  EXPECT_THAT(EventIds(Lease("n1", 5)), ElementsAre(ev));
}

// ---- listing and statistics ----

TEST_P(CallbacksContract, ListFiltersByStateOldestFirstUpToLimit) {
  const std::string first = Landed(kUrlA);
  Advance(10);
  const std::string middle = Landed(kUrlB);
  Advance(10);
  // Two landed at the same instant: by event id.
  const Submitted x = SubmitTo(kUrlA);
  const Submitted y = SubmitTo(kUrlA);
  ExpectClaims(runner(), x.job_id, 1);
  ExpectClaims(runner(), y.job_id, 1);
  ASSERT_OK(CompleteAccepted(runner(), y.job_id));
  ASSERT_OK(CompleteAccepted(runner(), x.job_id));
  ASSERT_LT(EventOf(x.job_id), EventOf(y.job_id));
  KillDelivery(first);

  EXPECT_THAT(EventIds(All()), ElementsAre(first, middle, EventOf(x.job_id), EventOf(y.job_id)));
  DeliveryFilter pending;
  pending.state = DeliveryState::kPending;
  ASSERT_OK_AND_ASSIGN(auto p, store().ListDeliveries(pending));
  EXPECT_THAT(EventIds(p), ElementsAre(middle, EventOf(x.job_id), EventOf(y.job_id)));
  DeliveryFilter dead;
  dead.state = DeliveryState::kDead;
  ASSERT_OK_AND_ASSIGN(auto d, store().ListDeliveries(dead));
  EXPECT_THAT(EventIds(d), ElementsAre(first));
  EXPECT_EQ(d[0].state, DeliveryState::kDead);
  DeliveryFilter two;
  two.limit = 2;
  ASSERT_OK_AND_ASSIGN(auto t, store().ListDeliveries(two));
  EXPECT_THAT(EventIds(t), ElementsAre(first, middle));
  DeliveryFilter none;
  none.limit = 0;  // clamped to 1
  ASSERT_OK_AND_ASSIGN(auto n, store().ListDeliveries(none));
  EXPECT_THAT(EventIds(n), ElementsAre(first));
}

TEST_P(CallbacksContract, StatsCountPendingLeasedDeadAndPerUrl) {
  const DeliveryStats empty = Stats();
  EXPECT_EQ(empty.pending, 0);
  EXPECT_EQ(empty.leased, 0);
  EXPECT_EQ(empty.dead, 0);
  EXPECT_EQ(empty.oldest_pending_created_at, 0);
  EXPECT_THAT(empty.targets, IsEmpty());

  const int64_t t0 = Now();
  const std::string b_dead = Landed(kUrlB);
  KillDelivery(b_dead);
  const int64_t t1 = Advance(100);
  const std::string a1 = Landed(kUrlA);
  const int64_t t2 = Advance(100);
  const std::string b1 = Landed(kUrlB);
  Advance(100);
  const std::string a2 = Landed(kUrlA);
  ASSERT_THAT(EventIds(Lease("n1", 1, 1000)), ElementsAre(a1));

  DeliveryStats st = Stats();
  EXPECT_EQ(st.pending, 3);
  EXPECT_EQ(st.leased, 1);
  EXPECT_EQ(st.dead, 1);
  EXPECT_EQ(st.oldest_pending_created_at, t1);
  ASSERT_EQ(st.targets.size(), 2u);
  EXPECT_EQ(st.targets[0].url, kUrlA);
  EXPECT_EQ(st.targets[0].pending, 2);
  EXPECT_EQ(st.targets[0].dead, 0);
  EXPECT_EQ(st.targets[0].oldest_pending_created_at, t1);
  EXPECT_EQ(st.targets[1].url, kUrlB);
  EXPECT_EQ(st.targets[1].pending, 1);
  EXPECT_EQ(st.targets[1].dead, 1);
  EXPECT_EQ(st.targets[1].oldest_pending_created_at, t2);
  (void)t0;

  // A lease that ran out is no longer counted as leased; the delivery is still pending.
  Advance(1000);
  st = Stats();
  EXPECT_EQ(st.leased, 0);
  EXPECT_EQ(st.pending, 3);

  // Delivering every pending one leaves only the dead one, under its url.
  for (const DeliveryRecord& d : Lease("n2", 10)) {
    ASSERT_OK(Finish(
        d.event_id, "n2",
        d.event_id == b1 ? DeliveryAttempt::Kind::kSuperseded : DeliveryAttempt::Kind::kDelivered));
  }
  st = Stats();
  EXPECT_EQ(st.pending, 0);
  EXPECT_EQ(st.dead, 1);
  EXPECT_EQ(st.oldest_pending_created_at, 0);
  EXPECT_EQ(st.delivered_total, 2);
  EXPECT_EQ(st.superseded_total, 1);
  ASSERT_EQ(st.targets.size(), 1u);
  EXPECT_EQ(st.targets[0].url, kUrlB);
  EXPECT_EQ(st.targets[0].pending, 0);
  EXPECT_EQ(st.targets[0].dead, 1);
  EXPECT_EQ(st.targets[0].oldest_pending_created_at, 0);
  (void)a2;
}

// ---- persistence ----

TEST_P(CallbacksContract, OutboxSurvivesCloseAndReopen) {
  const std::string delivered = Landed(kUrlA);
  ASSERT_EQ(Lease("n1", 1).size(), 1u);
  ASSERT_OK(Finish(delivered, "n1", DeliveryAttempt::Kind::kDelivered));
  const std::string dead = Landed(kUrlB);
  KillDelivery(dead);
  const std::string leased = Landed(kUrlA);
  const int64_t landed_at = Now();
  ASSERT_THAT(EventIds(Lease("n1", 1, 5000)), ElementsAre(leased));
  const Submitted s = SubmitTo(kUrlA);  // lands after the reopen
  if (!harness().Reopen()) GTEST_SKIP() << "backend is not persistent";

  EXPECT_EQ(GetSubmission(s.submission_id).callback_url, kUrlA);
  EXPECT_THAT(EventIds(All()), ElementsAre(dead, leased));
  const DeliveryRecord d = Get(leased);
  EXPECT_EQ(d.lease_owner, "n1");
  EXPECT_EQ(d.created_at, landed_at);
  EXPECT_EQ(Get(dead).state, DeliveryState::kDead);
  const DeliveryStats st = Stats();
  EXPECT_EQ(st.delivered_total, 1);
  EXPECT_EQ(st.dead, 1);
  EXPECT_EQ(st.pending, 1);
  // The holder is gone: the lease runs out and another node takes it over.
  Advance(5000);
  EXPECT_THAT(EventIds(Lease("n2", 5)), ElementsAre(leased));
  // And the outbox goes on writing.
  Land(runner(), s.job_id);
  EXPECT_EQ(All().size(), 3u);
}

// ---- several nodes on one store (Redis: any number of nojd share it) ----

// A second store instance on the harness's data, as another nojd opens it; nullptr when the
// backend has none (SQLite in memory). A SQLite file may be shared by several processes
// (sqlite_store.h): a second connection serialises with the first by BEGIN IMMEDIATE.
std::unique_ptr<Store> SecondNode(StoreHarness& harness) {
  if (auto* file = dynamic_cast<SqliteHarness*>(&harness); file != nullptr) {
    if (file->path().empty() || file->path() == ":memory:") return nullptr;
    sqlite::SqliteOptions options;
    options.synchronous_full = false;  // as the harness's own connection
    auto opened = sqlite::OpenSqliteStore(file->path(), options);
    EXPECT_OK(opened);
    return opened.ok() ? std::move(opened).value() : nullptr;
  }
  auto* redis = dynamic_cast<RedisHarness*>(&harness);
  if (redis == nullptr) return nullptr;
  auto opened = redis::OpenRedisStore(redis->url());
  EXPECT_OK(opened);
  return opened.ok() ? std::move(opened).value() : nullptr;
}

// Four delivering threads on two nodes drain the outbox at once: each delivery is leased once.
TEST_P(CallbacksContract, TwoNodesLeasingAtOnceGetEachDeliveryOnce) {
  std::unique_ptr<Store> other = SecondNode(harness());
  if (other == nullptr) GTEST_SKIP() << "one store instance per backend";
  constexpr int kDeliveries = 60;
  constexpr int kThreads = 4;
  std::set<std::string> events;
  for (int i = 0; i < kDeliveries; ++i) events.insert(Landed(i % 3 == 0 ? kUrlB : kUrlA));
  Store* nodes[2] = {&store(), other.get()};
  const int64_t now = Now();
  std::vector<std::string> got[kThreads];
  std::latch start(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string owner = "node" + std::to_string(t);
      Store& node = *nodes[t % 2];
      start.arrive_and_wait();
      for (;;) {
        auto leased = node.LeaseDeliveries(owner, 3, kDeliveryLease, now);
        EXPECT_OK(leased);
        if (!leased.ok() || leased->empty()) break;
        for (const DeliveryRecord& d : *leased) {
          got[t].push_back(d.event_id);
          EXPECT_OK(node.FinishDelivery(d.event_id, owner, DeliveryAttempt{}, now));
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  std::multiset<std::string> leased;
  for (const std::vector<std::string>& g : got) leased.insert(g.begin(), g.end());
  EXPECT_EQ(leased.size(), events.size()) << "a delivery was leased twice";
  EXPECT_EQ(std::set<std::string>(leased.begin(), leased.end()), events);
  const DeliveryStats st = Stats();
  EXPECT_EQ(st.delivered_total, kDeliveries);
  EXPECT_EQ(st.pending, 0);
  EXPECT_THAT(st.targets, IsEmpty());
}

// A node died holding a delivery; when its lease runs out two nodes reach for it at the same
// instant: exactly one takes it over, and only that one can finish it.
TEST_P(CallbacksContract, TwoNodesRacingForARunOutLeaseHaveExactlyOneWinner) {
  std::unique_ptr<Store> other = SecondNode(harness());
  if (other == nullptr) GTEST_SKIP() << "one store instance per backend";
  Store* nodes[2] = {&store(), other.get()};
  const std::string owners[2] = {"n0", "n1"};
  constexpr int kRounds = 100;
  for (int round = 0; round < kRounds; ++round) {
    const std::string ev = Landed(kUrlA);
    ASSERT_THAT(EventIds(Lease("died", 1, 1000)), ElementsAre(ev));
    const int64_t run_out = Advance(1000);
    std::vector<std::string> won[2];
    std::latch start(2);
    std::thread threads[2];
    for (int t = 0; t < 2; ++t) {
      threads[t] = std::thread([&, t] {
        start.arrive_and_wait();
        auto leased = nodes[t]->LeaseDeliveries(owners[t], 5, kDeliveryLease, run_out);
        EXPECT_OK(leased);
        if (leased.ok()) won[t] = EventIds(*leased);
      });
    }
    for (std::thread& th : threads) th.join();
    ASSERT_NE(won[0].empty(), won[1].empty()) << "round " << round;
    const int w = won[0].empty() ? 1 : 0;
    EXPECT_THAT(won[w], ElementsAre(ev));
    EXPECT_EQ(Get(ev).lease_owner, owners[w]);
    EXPECT_EQ(Get(ev).attempts, 0);
    const DeliveryAttempt delivered;
    EXPECT_THAT(nodes[1 - w]->FinishDelivery(ev, "died", delivered, Now()),
                StatusIs(ErrorCode::kAborted));
    EXPECT_THAT(nodes[1 - w]->FinishDelivery(ev, owners[1 - w], delivered, Now()),
                StatusIs(ErrorCode::kAborted));
    ASSERT_OK(nodes[w]->FinishDelivery(ev, owners[w], delivered, Now()));
  }
  const DeliveryStats st = Stats();
  EXPECT_EQ(st.delivered_total, kRounds);
  EXPECT_EQ(st.pending, 0);
  EXPECT_EQ(st.leased, 0);
}

INSTANTIATE_TEST_SUITE_P(AllStores, CallbacksContract, ::testing::ValuesIn(AllStoreFactories()),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace noj::store::contract

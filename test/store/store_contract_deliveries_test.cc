// StoreContract, the result-callback outbox: leasing due deliveries (with their submissions) and
// finishing attempts, one at a time and in batches (store.h "result callbacks").

#include "callbacks_contract_fixture.h"

namespace noj::store::contract {
namespace {

using noj::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

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

// ---- what a lease hands out with a delivery ----

TEST_P(CallbacksContract, LeaseHandsOutTheSubmissionAsItIsAtTheLease) {
  const Submitted s = SubmitTo(kUrlA);
  Land(runner(), s.job_id);
  std::vector<LeasedDelivery> got = LeaseWithSubmissions("n1", 1);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].delivery.event_id, EventOf(s.job_id));
  ASSERT_TRUE(got[0].submission.has_value()) << got[0].submission_error;
  EXPECT_EQ(got[0].submission_error, "");
  const SubmissionRecord want = GetSubmission(s.submission_id);
  EXPECT_EQ(got[0].submission->submission_id, s.submission_id);
  EXPECT_EQ(got[0].submission->current_job_id, s.job_id);
  EXPECT_EQ(got[0].submission->status, want.status);
  EXPECT_NE(got[0].submission->status, kPendingStatus);
  EXPECT_EQ(got[0].submission->score, want.score);
  EXPECT_EQ(got[0].submission->callback_url, kUrlA);
}

TEST_P(CallbacksContract, ALeaseAfterARejudgeShowsTheNewCurrentJob) {
  const Submitted s = SubmitTo(kUrlA);
  Land(runner(), s.job_id);
  const std::string again = NextJobId();
  Advance(10);
  ASSERT_OK(store().Rejudge(s.submission_id, again, 2, Now()));
  std::vector<LeasedDelivery> got = LeaseWithSubmissions("n1", 5);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].delivery.job_id, s.job_id);
  ASSERT_TRUE(got[0].submission.has_value()) << got[0].submission_error;
  // The deliverer sees it is superseded without a read of its own.
  EXPECT_EQ(got[0].submission->current_job_id, again);
  EXPECT_EQ(got[0].submission->status, kPendingStatus);
}

// A submission that cannot be read at the lease does not stop the lease (nor the others in it):
// the delivery says why, and the deliverer ends it dead.
TEST_P(CallbacksContract, ALeaseSaysWhenASubmissionIsGoneOrUnreadable) {
  const Submitted gone = SubmitTo(kUrlA);
  Land(runner(), gone.job_id);
  const Submitted broken = SubmitTo(kUrlA);
  Land(runner(), broken.job_id);
  const Submitted fine = SubmitTo(kUrlA);
  Land(runner(), fine.job_id);
  if (!harness().DropSubmissionRecord(gone.submission_id)) GTEST_SKIP() << "no raw access";
  if (!harness().CorruptResult(broken.submission_id)) GTEST_SKIP() << "no raw access";
  std::vector<LeasedDelivery> got = LeaseWithSubmissions("n1", 5);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].delivery.submission_id, gone.submission_id);
  EXPECT_FALSE(got[0].submission.has_value());
  EXPECT_NE(got[0].submission_error, "");
  EXPECT_EQ(got[1].delivery.submission_id, broken.submission_id);
  EXPECT_FALSE(got[1].submission.has_value());
  EXPECT_NE(got[1].submission_error, "");
  ASSERT_TRUE(got[2].submission.has_value()) << got[2].submission_error;
  EXPECT_EQ(got[2].submission->submission_id, fine.submission_id);
  // Ended dead like any other: kept with its error until an operator redelivers it.
  ASSERT_OK(Finish(got[0].delivery.event_id, "n1", DeliveryAttempt::Kind::kDead, 0,
                   "submission unreadable: " + got[0].submission_error));
  EXPECT_EQ(Get(got[0].delivery.event_id).state, DeliveryState::kDead);
}

// ---- finishing in batches ----

TEST_P(CallbacksContract, FinishDeliveriesAppliesEachOutcomeOnItsOwn) {
  const std::string delivered = Landed(kUrlA);
  const std::string retried = Landed(kUrlA);
  const std::string dead = Landed(kUrlB);
  const std::string other = Landed(kUrlB);
  ASSERT_THAT(EventIds(Lease("n1", 3)), ElementsAre(delivered, retried, dead));
  ASSERT_THAT(EventIds(Lease("n2", 3)), ElementsAre(other));
  const int64_t at = Advance(100);
  std::vector<DeliveryOutcome> batch = {
      {delivered, {.kind = DeliveryAttempt::Kind::kDelivered}},
      {"msg_nope", {.kind = DeliveryAttempt::Kind::kDelivered}},
      {retried,
       {.kind = DeliveryAttempt::Kind::kRetry, .next_attempt_at = at + 500, .error = "HTTP 503"}},
      {other, {.kind = DeliveryAttempt::Kind::kDelivered}},  // n2's
      {dead, {.kind = DeliveryAttempt::Kind::kDead, .error = "HTTP 410 Gone"}},
  };
  ASSERT_OK_AND_ASSIGN(std::vector<Status> done, store().FinishDeliveries("n1", batch, at));
  ASSERT_EQ(done.size(), batch.size());
  EXPECT_OK(done[0]);
  EXPECT_THAT(done[1], StatusIs(ErrorCode::kNotFound));
  EXPECT_OK(done[2]);
  EXPECT_THAT(done[3], StatusIs(ErrorCode::kAborted));
  EXPECT_OK(done[4]);

  EXPECT_THAT(store().GetDelivery(delivered), StatusIs(ErrorCode::kNotFound));
  DeliveryRecord r = Get(retried);
  EXPECT_EQ(r.state, DeliveryState::kPending);
  EXPECT_EQ(r.attempts, 1);
  EXPECT_EQ(r.last_error, "HTTP 503");
  EXPECT_EQ(r.last_attempt_at, at);
  EXPECT_EQ(r.next_attempt_at, at + 500);
  EXPECT_EQ(r.lease_owner, "");
  DeliveryRecord d = Get(dead);
  EXPECT_EQ(d.state, DeliveryState::kDead);
  EXPECT_EQ(d.last_error, "HTTP 410 Gone");
  DeliveryRecord o = Get(other);  // untouched: still n2's
  EXPECT_EQ(o.lease_owner, "n2");
  EXPECT_EQ(o.attempts, 0);
  const DeliveryStats st = Stats();
  EXPECT_EQ(st.delivered_total, 1);
  EXPECT_EQ(st.pending, 2);  // retried, other
  EXPECT_EQ(st.dead, 1);
}

TEST_P(CallbacksContract, FinishDeliveriesTakesOutcomesInOrder) {
  const std::string ev = Landed(kUrlA);
  ASSERT_EQ(Lease("n1", 1).size(), 1u);
  // Postponed then delivered in one batch: the postponement clears the lease, so the second
  // outcome is refused (the lease is no longer held) and the delivery stays pending.
  std::vector<DeliveryOutcome> batch = {
      {ev, {.kind = DeliveryAttempt::Kind::kPostponed, .next_attempt_at = Now() + 50}},
      {ev, {.kind = DeliveryAttempt::Kind::kDelivered}},
  };
  ASSERT_OK_AND_ASSIGN(std::vector<Status> done, store().FinishDeliveries("n1", batch, Now()));
  ASSERT_EQ(done.size(), 2u);
  EXPECT_OK(done[0]);
  EXPECT_THAT(done[1], StatusIs(ErrorCode::kAborted));
  EXPECT_EQ(Get(ev).next_attempt_at, Now() + 50);
  EXPECT_EQ(Stats().delivered_total, 0);
}

TEST_P(CallbacksContract, FinishDeliveriesOfNoneChangesNothing) {
  const std::string ev = Landed(kUrlA);
  ASSERT_EQ(Lease("n1", 1).size(), 1u);
  ASSERT_OK_AND_ASSIGN(std::vector<Status> done, store().FinishDeliveries("n1", {}, Now()));
  EXPECT_THAT(done, IsEmpty());
  EXPECT_EQ(Get(ev).lease_owner, "n1");
}

}  // namespace
}  // namespace noj::store::contract

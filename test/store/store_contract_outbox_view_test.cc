// StoreContract, the result-callback outbox: redelivery, listings and statistics, persistence,
// and several nodes draining one store at once (store.h "result callbacks").

#include <latch>
#include <set>
#include <thread>

#include "callbacks_contract_fixture.h"
#include "redis_harness.h"
#include "sqlite_harness.h"
#include "store/redis/redis_store.h"

namespace noj::store::contract {
namespace {

using noj::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

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
        std::vector<DeliveryOutcome> delivered;
        for (const LeasedDelivery& d : *leased) {
          got[t].push_back(d.delivery.event_id);
          delivered.push_back({d.delivery.event_id, DeliveryAttempt{}});
        }
        auto done = node.FinishDeliveries(owner, delivered, now);
        EXPECT_OK(done);
        for (const Status& s : done.value_or(std::vector<Status>{})) EXPECT_OK(s);
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

}  // namespace
}  // namespace noj::store::contract

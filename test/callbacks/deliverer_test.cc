// The Deliverer end to end: a real SQLite store in memory, a real HTTP receiver on 127.0.0.1,
// a FakeClock for every stored time (so "due", backoff and max age are moved by hand). Waits
// are on conditions with a generous deadline; nothing asserts on elapsed time.
#include "callbacks/deliverer.h"

#include <dirent.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "api/submission_bodies.h"
#include "callbacks/test_http_server.h"
#include "common/ids.h"
#include "dispatch/forwarding_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/submission_view.h"
#include "support/fake_clock.h"
#include "support/status_matchers.h"

namespace noj::callbacks {
namespace {

using ::noj::testing::StatusIs;
using store::DeliveryState;
using testing::Received;
using testing::Reply;
using testing::TestHttpServer;

// Polls `done` until it holds or 30 s pass (a wait, not an assertion on time).
bool WaitUntil(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

int ThreadCount() {
  int n = 0;
  if (DIR* d = opendir("/proc/self/task")) {
    while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
    closedir(d);
  }
  return n;
}

// Releases handlers blocked in Wait() once Open() is called.
class Gate {
 public:
  void Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return open_; });
  }
  void Open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

struct Landed {
  std::string submission_id;
  std::string job_id;
};

class DelivererTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::sqlite::OpenSqliteStore(":memory:");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    store::NewProblem p;
    p.title = "A+B";
    p.tasks = {{100, 1, 65536, 1000}};
    auto pid = store_->CreateProblem(p, clock_.NowMs());
    ASSERT_TRUE(pid.ok());
    problem_id_ = *pid;
    store::RunnerRecord r;
    r.runner_id = ids::NewRunnerId(clock_.NowMs());
    r.name = "judge";
    r.token_sha256 = std::string(64, 'a');
    r.registered_at = r.last_seen = clock_.NowMs();
    r.expires_at = clock_.NowMs() + 3'600'000;
    ASSERT_OK(store_->RegisterRunner(r));
    runner_id_ = r.runner_id;
    auto allow = CallbackAllowList::Parse({"127.0.0.1"});
    ASSERT_TRUE(allow.ok());
    allow_ = std::move(*allow);
    secret_ = GenerateWebhookSecret();
    auto key = WebhookKey::Parse(secret_);
    ASSERT_TRUE(key.ok());
    key_.emplace(*key);
  }

  void TearDown() override {
    if (deliverer_) deliverer_->Stop();
  }

  DelivererOptions Options() {
    DelivererOptions o;
    o.node_id = "node-a";
    o.secret = secret_;
    o.workers = 4;
    o.poll_interval_ms = 20;
    o.http.timeout_ms = 5000;
    return o;
  }

  void Start(DelivererOptions o) {
    auto d = Deliverer::Create(*store_, clock_, allow_, std::move(o), stats_);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    deliverer_ = std::move(*d);
  }

  std::string NextId(bool job) {
    ++id_ms_;
    return job ? ids::NewJobId(id_ms_) : ids::NewSubmissionId(id_ms_);
  }

  // Enqueues a submission with `url` as its callback and lands an Accepted result for it.
  Landed Land(const std::string& url) {
    store::NewSubmission s;
    s.submission_id = NextId(false);
    s.job_id = NextId(true);
    s.problem_id = problem_id_;
    s.language = 1;
    s.code = "int main() {}\n";
    s.requirements = {1, 0};
    s.callback_url = url;
    EXPECT_OK(store_->Enqueue(s, clock_.NowMs()));
    LandJob(s.job_id);
    return {s.submission_id, s.job_id};
  }

  void LandJob(const std::string& job_id) {
    auto claimed =
        store_->Claim(runner_id_, api::RunnerCapabilities{}, store::LeasePolicy{}, clock_.NowMs());
    ASSERT_TRUE(claimed.ok() && claimed->job.has_value());
    ASSERT_EQ(claimed->job->job_id, job_id);
    store::CompletionRequest c;
    c.runner_id = runner_id_;
    c.job_id = job_id;
    c.result.status = api::Verdict::kAC;
    c.result.score = 100;
    c.result.tasks = {{api::Verdict::kAC, 100, 10, 1024, {{api::Verdict::kAC, 0, 10, 1024}}}};
    auto done = store_->Complete(c, clock_.NowMs());
    ASSERT_TRUE(done.ok()) << done.status().ToString();
    ASSERT_EQ(*done, store::CompleteOutcome::kLanded);
  }

  // What the receiver checks: the signature over id, timestamp and body.
  void ExpectSigned(const Received& r) {
    int64_t ts = std::stoll(r.headers.at("webhook-timestamp"));
    EXPECT_TRUE(
        Verify(*key_, r.headers.at("webhook-id"), ts, r.body, r.headers.at("webhook-signature")));
  }

  std::string ViewJson(const std::string& sid) {
    auto sub = store_->GetSubmission(sid);
    EXPECT_TRUE(sub.ok());
    return boost::json::serialize(api::SubmissionViewToJson(store::ToSubmissionView(*sub)));
  }

  noj::testing::FakeClock clock_;
  std::unique_ptr<store::Store> store_;
  int64_t problem_id_ = 0;
  std::string runner_id_;
  int64_t id_ms_ = noj::testing::FakeClock::kStartMs;
  CallbackAllowList allow_;
  std::string secret_;
  std::optional<WebhookKey> key_;
  CallbackStats stats_;
  TestHttpServer server_;
  std::unique_ptr<Deliverer> deliverer_;
};

TEST_F(DelivererTest, DeliveredOnceWithAValidSignature) {
  server_.SetHandler([](const Received&) { return Reply{.status = 204}; });
  Start(Options());
  Landed l = Land(server_.Url("/results?oj=1"));
  deliverer_->Notify();
  ASSERT_TRUE(WaitUntil([&] { return stats_.delivered.load() == 1; }));
  deliverer_->Stop();  // nothing can arrive after this

  std::vector<Received> got = server_.requests();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].target, "/results?oj=1");
  EXPECT_EQ(got[0].headers["webhook-id"], "msg_" + l.job_id);
  EXPECT_EQ(got[0].body, ViewJson(l.submission_id));
  ExpectSigned(got[0]);
  EXPECT_THAT(store_->GetDelivery("msg_" + l.job_id), StatusIs(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(store::DeliveryStats st, store_->GetDeliveryStats(clock_.NowMs()));
  EXPECT_EQ(st.delivered_total, 1);
  EXPECT_EQ(st.pending, 0);
  EXPECT_EQ(stats_.retries.load(), 0);
  EXPECT_EQ(stats_.latency_count.load(), 1);
  EXPECT_EQ(stats_.in_flight.load(), 0);
}

TEST_F(DelivererTest, RetriedAfter500WithTheSameEventId) {
  std::atomic<int> calls{0};
  server_.SetHandler(
      [&calls](const Received&) { return Reply{.status = calls.fetch_add(1) == 0 ? 500 : 204}; });
  Start(Options());
  Landed l = Land(server_.Url());
  const std::string event_id = "msg_" + l.job_id;
  deliverer_->Notify();
  ASSERT_TRUE(WaitUntil([&] { return stats_.retries.load() == 1; }));
  ASSERT_OK_AND_ASSIGN(store::DeliveryRecord d, store_->GetDelivery(event_id));
  EXPECT_EQ(d.state, DeliveryState::kPending);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.last_error, "HTTP 500");
  EXPECT_EQ(d.lease_owner, "");
  EXPECT_GE(d.next_attempt_at, clock_.NowMs() + 500);  // 1 s backoff, jitter >= half
  EXPECT_LE(d.next_attempt_at, clock_.NowMs() + 1000);
  EXPECT_EQ(server_.requests().size(), 1u);  // not due before the backoff (the clock is frozen)

  clock_.Advance(1000);
  deliverer_->Notify();
  ASSERT_TRUE(WaitUntil([&] { return stats_.delivered.load() == 1; }));
  deliverer_->Stop();
  std::vector<Received> got = server_.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].headers["webhook-id"], event_id);
  EXPECT_EQ(got[1].headers["webhook-id"], event_id);
  EXPECT_EQ(got[0].body, got[1].body);
  ExpectSigned(got[0]);
  ExpectSigned(got[1]);
  EXPECT_THAT(store_->GetDelivery(event_id), StatusIs(ErrorCode::kNotFound));
}

TEST_F(DelivererTest, SupersededAfterARejudgeAndTheNewResultDelivered) {
  std::atomic<int> status{500};
  server_.SetHandler([&status](const Received&) { return Reply{.status = status.load()}; });
  Start(Options());
  Landed l = Land(server_.Url());
  deliverer_->Notify();
  ASSERT_TRUE(WaitUntil([&] { return stats_.retries.load() == 1; }));

  // Rejudged while its first result is still pending: that one is never sent again.
  const std::string new_job = NextId(true);
  ASSERT_OK(store_->Rejudge(l.submission_id, new_job, 2, clock_.NowMs()));
  clock_.Advance(1000);
  deliverer_->Notify();
  ASSERT_TRUE(WaitUntil([&] { return stats_.superseded.load() == 1; }));
  EXPECT_EQ(server_.requests().size(), 1u);
  EXPECT_THAT(store_->GetDelivery("msg_" + l.job_id), StatusIs(ErrorCode::kNotFound));

  // The rejudge's landing is a new event.
  status.store(204);
  LandJob(new_job);
  deliverer_->Notify();
  ASSERT_TRUE(WaitUntil([&] { return stats_.delivered.load() == 1; }));
  deliverer_->Stop();
  std::vector<Received> got = server_.requests();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[1].headers["webhook-id"], "msg_" + new_job);
  EXPECT_EQ(got[1].body, ViewJson(l.submission_id));
  ExpectSigned(got[1]);
  ASSERT_OK_AND_ASSIGN(store::DeliveryStats st, store_->GetDeliveryStats(clock_.NowMs()));
  EXPECT_EQ(st.superseded_total, 1);
  EXPECT_EQ(st.delivered_total, 1);
}

TEST_F(DelivererTest, WaitsAtThePerTargetCapThenPostpones) {
  Gate gate;
  std::atomic<int> running{0}, most{0};
  server_.SetHandler([&](const Received&) {
    int now = running.fetch_add(1) + 1;
    int seen = most.load();
    while (now > seen && !most.compare_exchange_weak(seen, now)) {
    }
    gate.Wait();
    running.fetch_sub(1);
    return Reply{.status = 204};
  });
  // A failed assertion below must not leave a POST parked on the gate: the handler's locals
  // would be gone before the server's thread returns.
  struct Unblock {
    Gate& gate;
    Deliverer* deliverer = nullptr;
    ~Unblock() {
      gate.Open();
      if (deliverer != nullptr) deliverer->Stop();
    }
  } unblock{gate};
  DelivererOptions o = Options();
  o.inflight_per_target = 1;
  Start(o);
  unblock.deliverer = deliverer_.get();
  // One in flight + three waiting for the target's slot (three per slot) + one beyond.
  constexpr int kLanded = 5;
  for (int i = 0; i < kLanded; ++i) Land(server_.Url("/" + std::to_string(i)));
  deliverer_->Notify();
  // One POST in flight, held by the gate; three leased wait for the target's slot (in hand, no
  // store write); the fifth is beyond that and postponed (+250 ms).
  ASSERT_TRUE(WaitUntil([&] { return stats_.postponed.load() >= 1; }));
  ASSERT_TRUE(server_.WaitForRequests(1));
  EXPECT_EQ(server_.requests().size(), 1u);
  EXPECT_EQ(stats_.in_flight.load(), 1);

  gate.Open();
  // The waiting ones go as the slot frees, with the clock frozen.
  ASSERT_TRUE(WaitUntil([&] { return stats_.delivered.load() == kLanded - 1; }));
  // The postponed one comes due as the clock moves (small steps: far from any lease's end).
  ASSERT_TRUE(WaitUntil([&] {
    clock_.Advance(10);
    deliverer_->Notify();
    return stats_.delivered.load() == kLanded;
  }));
  deliverer_->Stop();
  EXPECT_EQ(server_.requests().size(), static_cast<size_t>(kLanded));
  EXPECT_EQ(most.load(), 1);            // never two at once to the one target
  EXPECT_EQ(stats_.retries.load(), 0);  // postponing is not an attempt
}

TEST_F(DelivererTest, ASubmissionThatCannotBeReadIsDeadAtOnceAndNotSent) {
  Landed l = Land(server_.Url());
  auto hiding = std::make_unique<dispatch::testing::ForwardingStore>(std::move(store_));
  hiding->hide_leased_submissions = true;
  store_ = std::move(hiding);
  Start(Options());
  deliverer_->Notify();
  ASSERT_TRUE(WaitUntil([&] { return stats_.dead.load() == 1; }));
  deliverer_->Stop();
  ASSERT_OK_AND_ASSIGN(store::DeliveryRecord d, store_->GetDelivery("msg_" + l.job_id));
  EXPECT_EQ(d.state, DeliveryState::kDead);
  EXPECT_EQ(d.last_error, "submission unreadable: hidden by the test");
  EXPECT_EQ(server_.requests().size(), 0u);
}

TEST_F(DelivererTest, DeadAtMaxAge) {
  server_.SetHandler([](const Received&) { return Reply{.status = 500}; });
  DelivererOptions o = Options();
  o.retry.max_age_ms = 60'000;
  Start(o);
  Landed l = Land(server_.Url());
  const std::string event_id = "msg_" + l.job_id;
  deliverer_->Notify();
  ASSERT_TRUE(WaitUntil([&] { return stats_.retries.load() == 1; }));

  clock_.Advance(59'500);  // due; the next backoff (1..2 s) would pass the minute
  deliverer_->Notify();
  ASSERT_TRUE(WaitUntil([&] { return stats_.dead.load() == 1; }));
  ASSERT_OK_AND_ASSIGN(store::DeliveryRecord d, store_->GetDelivery(event_id));
  EXPECT_EQ(d.state, DeliveryState::kDead);
  EXPECT_EQ(d.attempts, 2);
  EXPECT_EQ(d.last_error, "max age reached after 2 attempts: HTTP 500");

  // Dead is final until an operator redelivers it.
  clock_.Advance(3'600'000);
  deliverer_->Notify();
  deliverer_->Stop();
  EXPECT_EQ(server_.requests().size(), 2u);
}

TEST_F(DelivererTest, GoneIsDeadAtOnce) {
  server_.SetHandler([](const Received&) { return Reply{.status = 410}; });
  Start(Options());
  Landed l = Land(server_.Url());
  deliverer_->Notify();
  ASSERT_TRUE(WaitUntil([&] { return stats_.dead.load() == 1; }));
  ASSERT_OK_AND_ASSIGN(store::DeliveryRecord d, store_->GetDelivery("msg_" + l.job_id));
  EXPECT_EQ(d.last_error, "HTTP 410 Gone");
}

TEST_F(DelivererTest, StopFinishesTheInFlightPostAndLeavesNoThread) {
  const int before = ThreadCount();
  server_.SetHandler([](const Received&) { return Reply{.hang = true}; });
  DelivererOptions o = Options();
  o.http.timeout_ms = 300;
  Start(o);
  EXPECT_GT(ThreadCount(), before);
  Landed l = Land(server_.Url());
  deliverer_->Notify();
  ASSERT_TRUE(server_.WaitForRequests(1));
  deliverer_->Stop();  // returns once the hanging POST timed out
  EXPECT_EQ(stats_.retries.load(), 1);
  ASSERT_OK_AND_ASSIGN(store::DeliveryRecord d, store_->GetDelivery("msg_" + l.job_id));
  EXPECT_EQ(d.last_error, "timeout after 300 ms");
  EXPECT_EQ(d.lease_owner, "");
  deliverer_.reset();
  ASSERT_TRUE(server_.WaitIdle());
  EXPECT_TRUE(WaitUntil([&] { return ThreadCount() == before; }))
      << ThreadCount() << " vs " << before;
}

TEST_F(DelivererTest, AUrlNoLongerAllowedIsDead) {
  Start(Options());
  Landed l = Land("http://10.0.0.1/hook");  // the store keeps it as given; the list says no
  deliverer_->Notify();
  ASSERT_TRUE(WaitUntil([&] { return stats_.dead.load() == 1; }));
  ASSERT_OK_AND_ASSIGN(store::DeliveryRecord d, store_->GetDelivery("msg_" + l.job_id));
  EXPECT_NE(d.last_error.find("not in the callback allow-list"), std::string::npos) << d.last_error;
}

TEST(DelivererOptions, BadOptionsAndSecretsAreRefused) {
  auto s = store::sqlite::OpenSqliteStore(":memory:");
  ASSERT_TRUE(s.ok());
  noj::testing::FakeClock clock;
  CallbackAllowList allow;
  CallbackStats stats;
  DelivererOptions o;
  o.node_id = "n";
  o.secret = "whsec_short";
  EXPECT_THAT(Deliverer::Create(**s, clock, allow, o, stats),
              StatusIs(ErrorCode::kInvalidArgument));
  o.secret = GenerateWebhookSecret();
  o.workers = 0;
  EXPECT_THAT(Deliverer::Create(**s, clock, allow, o, stats),
              StatusIs(ErrorCode::kInvalidArgument));
  o.workers = 1;
  o.node_id = "";
  EXPECT_THAT(Deliverer::Create(**s, clock, allow, o, stats),
              StatusIs(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace noj::callbacks

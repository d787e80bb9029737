// Several nojd sharing one Redis (issue: Redis store). Real processes, real redis-server.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "common/clock.h"
#include "common/zip_archive.h"
#include "integration/callback_receiver.h"
#include "integration/nojd_fixture.h"
#include "support/local_redis.h"

namespace noj::testing {
namespace {

class MultiNode : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string why = LocalRedis::MissingServer(); !why.empty()) GTEST_SKIP() << why;
    auto redis = LocalRedis::Start();
    ASSERT_TRUE(redis.ok()) << redis.status().ToString();
    redis_ = std::move(*redis);
    url_ = redis_->FreshStoreUrl();
    for (int i = 0; i < 2; ++i) {
      char tmpl[] = "/tmp/noj-mn-XXXXXX";
      ASSERT_NE(mkdtemp(tmpl), nullptr);
      dirs_.push_back(tmpl);
      // Both nodes must share the secrets (tokens, code-link key): copy node 0's file to node 1.
      if (i == 1)
        std::filesystem::copy_file(dirs_[0] + "/secrets.json", dirs_[1] + "/secrets.json");
      nodes_.push_back(std::make_unique<NojdProcess>(
          dirs_[i], std::vector<std::string>{
                        "--store", url_, "--lease-ttl", "2",
                        // result callbacks to a loopback receiver
                        "--callback-allow", "127.0.0.1", "--callback-retry-base-ms", "200",
                        "--callback-retry-max-ms", "1000", "--callback-timeout-ms", "1500"}));
      std::string err;
      ASSERT_TRUE(nodes_[i]->Start(&err)) << err;
    }
    api_ = "Authorization: Bearer " + nodes_[0]->api_token();
  }
  void TearDown() override {
    for (auto& n : nodes_) n->Stop();
    for (auto& d : dirs_) std::filesystem::remove_all(d);
  }

  bj::value Parse(const HttpResult& r) {
    boost::system::error_code ec;
    return bj::parse(r.body, ec);
  }
  int64_t CreateProblem(HttpClient& c) {
    auto r = c.Send(
        "POST", "/problems",
        R"({"title":"A+B","tasks":[{"taskScore":100,"caseCount":1,"memoryLimit":65536,"timeLimit":1000}]})",
        {api_});
    EXPECT_EQ(r.status, 201) << r.body;
    int64_t pid = Parse(r).as_object().at("problem_id").as_int64();
    auto zip = zip::Build({{"0000.in", "1 2\n"}, {"0000.out", "3\n"}});
    auto up = c.Send("PUT", "/problems/" + std::to_string(pid) + "/testdata", *zip,
                     {api_, "Content-Type: application/zip"});
    EXPECT_EQ(up.status, 200) << up.body;
    return pid;
  }
  RunnerCreds Register(HttpClient& c) {
    auto r =
        c.Send("POST", "/runners/register",
               bj::serialize(bj::object{{"registration_token", nodes_[0]->registration_token()}}));
    auto o = Parse(r).as_object();
    return {std::string(o.at("runner_id").as_string()), std::string(o.at("token").as_string())};
  }
  std::string Submit(HttpClient& c, int64_t pid) {
    auto r = c.Send("POST", "/submissions",
                    bj::serialize(bj::object{{"problem_id", pid}, {"language", 1}, {"code", "x"}}),
                    {api_});
    if (r.status != 201) return "";
    return std::string(Parse(r).as_object().at("submission_id").as_string());
  }

  std::unique_ptr<LocalRedis> redis_;
  std::string url_, api_;
  std::vector<std::string> dirs_;
  std::vector<std::unique_ptr<NojdProcess>> nodes_;
};

constexpr char kOneAc[] =
    R"({"tasks":[[{"status":"AC","exitCode":0,"execTime":1,"memoryUsage":1,"stdout":"","stderr":""}]]})";

// 8 runners split across two nodes drain 2,000 jobs: each lands exactly once, none lost, none JE.
TEST_F(MultiNode, TwoNodesOneRedisEveryJobLandsExactlyOnce) {
  HttpClient c0(nodes_[0]->base_url());
  int64_t pid = CreateProblem(c0);
  constexpr int kJobs = 2000;
  std::mutex mu;
  std::vector<std::string> sids;
  std::map<std::string, int> landed;  // submission → completes answered 204
  std::atomic<bool> done{false};
  std::atomic<int> conflicts{0};
  std::vector<std::thread> runners;
  for (int i = 0; i < 8; ++i) {
    runners.emplace_back([&, i] {
      HttpClient c(nodes_[i % 2]->base_url());
      RunnerCreds rc = Register(c);
      while (!done.load()) {
        auto r = c.Get("/runners/" + rc.id + "/next-job?wait=1", {rc.auth()});
        if (r.status != 200) continue;
        auto o = Parse(r).as_object();
        std::string jb(o.at("job_id").as_string());
        auto put =
            c.Send("PUT", "/runners/" + rc.id + "/jobs/" + jb + "/complete", kOneAc,
                   {rc.auth(), "X-Job-Attempt: " + std::to_string(o.at("attempt").as_int64())});
        std::lock_guard lock(mu);
        if (put.status == 204)
          ++landed[std::string(o.at("submission_id").as_string())];
        else
          ++conflicts;
      }
    });
  }
  std::vector<std::thread> submitters;
  for (int t = 0; t < 2; ++t)
    submitters.emplace_back([&, t] {
      HttpClient c(nodes_[t]->base_url());
      for (int i = 0; i < kJobs / 2; ++i) {
        std::string sid = Submit(c, pid);
        std::lock_guard lock(mu);
        sids.push_back(sid);
      }
    });
  for (auto& t : submitters) t.join();
  HttpClient c1(nodes_[1]->base_url());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (std::chrono::steady_clock::now() < deadline) {
    auto q = Parse(c1.Get("/queue", {api_})).as_object();
    if (q.at("pending_total").as_int64() == 0 && q.at("leased").as_int64() == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  done = true;
  for (auto& t : runners) t.join();
  ASSERT_EQ(sids.size(), static_cast<size_t>(kJobs));
  int lost = 0, duplicated = 0, not_ac = 0;
  for (const std::string& sid : sids) {
    ASSERT_FALSE(sid.empty());
    auto it = landed.find(sid);
    if (it == landed.end())
      ++lost;
    else if (it->second > 1)
      ++duplicated;
    auto s = Parse(c1.Get("/submissions/" + sid, {api_})).as_object();
    if (s.at("status").as_int64() != 0) ++not_ac;
  }
  std::printf("multi-node: %d jobs, lost %d, duplicated %d, not AC %d, 409s %d\n", kJobs, lost,
              duplicated, not_ac, conflicts.load());
  EXPECT_EQ(lost, 0);
  EXPECT_EQ(duplicated, 0);
  EXPECT_EQ(not_ac, 0);
}

// An enqueue on one node wakes a runner long-polling on the other.
TEST_F(MultiNode, EnqueueOnOneNodeWakesALongPollOnTheOther) {
  HttpClient c0(nodes_[0]->base_url()), c1(nodes_[1]->base_url());
  int64_t pid = CreateProblem(c0);
  RunnerCreds rc = Register(c1);
  std::atomic<int64_t> answered{0};
  HttpResult got;
  std::thread poller([&] {
    got = c1.Get("/runners/" + rc.id + "/next-job?wait=20", {rc.auth()});
    answered = MonotonicMs();
  });
  // Enqueue just after a re-check (the poll re-checks every second): only pub/sub can wake it soon.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  int64_t enqueued = MonotonicMs();
  std::string sid = Submit(c0, pid);
  poller.join();
  ASSERT_EQ(got.status, 200);
  std::printf("cross-node wake-up latency: %lld ms\n", static_cast<long long>(answered - enqueued));
  EXPECT_LT(answered.load() - enqueued, 500);  // woken by pub/sub, not the 1 s re-check
}

// A revoke on one node takes effect on the other (which had the runner's identity cached).
TEST_F(MultiNode, RevokeOnOneNodeIsHonouredByTheOther) {
  HttpClient c0(nodes_[0]->base_url()), c1(nodes_[1]->base_url());
  RunnerCreds rc = Register(c1);
  EXPECT_EQ(c1.Get("/runners/" + rc.id + "/next-job", {rc.auth()}).status, 204);
  EXPECT_EQ(c0.Send("DELETE", "/runners/" + rc.id, "", {api_}).status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // pub/sub hop
  ExpectErrorEnvelope(c1.Get("/runners/" + rc.id + "/next-job", {rc.auth()}), 401);
}

// Two runners race for one orphan through two nodes: exactly one gets it.
TEST_F(MultiNode, RaceForOneOrphanThroughTwoNodesHasOneWinner) {
  HttpClient c0(nodes_[0]->base_url()), c1(nodes_[1]->base_url());
  int64_t pid = CreateProblem(c0);
  RunnerCreds dead = Register(c0), a = Register(c0), b = Register(c1);
  for (int round = 0; round < 3; ++round) {
    Submit(c0, pid);
    auto first = c0.Get("/runners/" + dead.id + "/next-job", {dead.auth()});
    ASSERT_EQ(first.status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(2200));  // lease TTL 2 s
    HttpResult ra, rb;
    std::thread ta([&] { ra = c0.Get("/runners/" + a.id + "/next-job", {a.auth()}); });
    std::thread tb([&] { rb = c1.Get("/runners/" + b.id + "/next-job", {b.auth()}); });
    ta.join();
    tb.join();
    EXPECT_EQ((ra.status == 200) + (rb.status == 200), 1) << ra.status << " " << rb.status;
    const HttpResult& won = ra.status == 200 ? ra : rb;
    const RunnerCreds& winner = ra.status == 200 ? a : b;
    HttpClient& wc = ra.status == 200 ? c0 : c1;
    std::string jb(Parse(won).as_object().at("job_id").as_string());
    EXPECT_EQ(wc.Send("PUT", "/runners/" + winner.id + "/jobs/" + jb + "/complete", kOneAc,
                      {winner.auth()})
                  .status,
              204);
  }
}

// Redis restarted during a load: 503 with the envelope meanwhile, then everything completes.
TEST_F(MultiNode, RedisRestartGives503ThenRecoversWithNothingLost) {
  HttpClient c0(nodes_[0]->base_url());
  int64_t pid = CreateProblem(c0);
  std::vector<std::string> sids;
  for (int i = 0; i < 20; ++i) sids.push_back(Submit(c0, pid));
  ASSERT_TRUE(redis_->Stop().ok());
  auto down = c0.Send(
      "POST", "/submissions",
      bj::serialize(bj::object{{"problem_id", pid}, {"language", 1}, {"code", "x"}}), {api_});
  ExpectErrorEnvelope(down, 503);
  ExpectErrorEnvelope(c0.Get("/healthz"), 503);
  ASSERT_TRUE(redis_->Restart().ok());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (c0.Get("/healthz").status != 200 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  for (int i = 0; i < 20; ++i) sids.push_back(Submit(c0, pid));
  HttpClient c1(nodes_[1]->base_url());
  RunnerCreds rc = Register(c1);
  int completed = 0;
  for (int i = 0; i < 40; ++i) {
    auto r = c1.Get("/runners/" + rc.id + "/next-job", {rc.auth()});
    ASSERT_EQ(r.status, 200) << r.body;
    std::string jb(Parse(r).as_object().at("job_id").as_string());
    completed +=
        c1.Send("PUT", "/runners/" + rc.id + "/jobs/" + jb + "/complete", kOneAc, {rc.auth()})
            .status == 204;
  }
  EXPECT_EQ(completed, 40);
  for (const auto& sid : sids) {
    ASSERT_FALSE(sid.empty());
    EXPECT_EQ(Parse(c1.Get("/submissions/" + sid, {api_})).as_object().at("status"), 0);
  }
}

// Result callbacks with two nodes on one Redis, one SIGKILLed while deliveries are being retried:
// every landed result reaches the receiver; a duplicate is only ever a repeat of an event id it
// already had (a POST the dead node sent whose outcome it never recorded), which it dedups.
TEST_F(MultiNode, CallbacksSurviveANodeKilledMidDelivery) {
  CallbackReceiver receiver(dirs_[0] + "/secrets.json", dirs_[0]);
  std::string err;
  ASSERT_TRUE(receiver.Start(&err)) << err;
  // Every POST hangs until nojd's 1.5 s timeout: whichever node holds a lease holds it while it
  // waits, so the node killed below dies with leases held (taken over when they run out).
  receiver.SetMode("hang");
  HttpClient c0(nodes_[0]->base_url()), c1(nodes_[1]->base_url());
  int64_t pid = CreateProblem(c0);
  RunnerCreds rc = Register(c1);
  constexpr int kSubmissions = 12;
  std::set<std::string> events;
  for (int i = 0; i < kSubmissions; ++i) {
    HttpClient& c = i % 2 ? c1 : c0;
    auto r = c.Send(
        "POST", "/submissions",
        bj::serialize(bj::object{
            {"problem_id", pid}, {"language", 1}, {"code", "x"}, {"callback_url", receiver.url()}}),
        {api_});
    ASSERT_EQ(r.status, 201) << r.body;
    auto job = c1.Get("/runners/" + rc.id + "/next-job", {rc.auth()});
    ASSERT_EQ(job.status, 200) << job.body;
    std::string jb(Parse(job).as_object().at("job_id").as_string());
    ASSERT_EQ(c1.Send("PUT", "/runners/" + rc.id + "/jobs/" + jb + "/complete", kOneAc, {rc.auth()})
                  .status,
              204);
    events.insert("msg_" + jb);
  }
  // Both nodes are trying (each leases what is due); then node 0 dies mid-POST.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool retried = false;
  while (!retried && std::chrono::steady_clock::now() < deadline) {
    auto v = Parse(c1.Get("/callbacks?state=pending&limit=100", {api_})).as_object();
    for (const bj::value& d : v.at("deliveries").as_array())
      retried = retried || d.as_object().at("attempts").as_int64() >= 1;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(retried);
  nodes_[0]->Kill();
  receiver.SetMode("ok");
  ASSERT_TRUE(receiver.WaitForDistinct(kSubmissions, 60));
  std::map<std::string, int> fresh;
  for (const CallbackReceiver::Event& e : receiver.Events()) {
    EXPECT_TRUE(events.count(e.id)) << "an event no landing made: " << e.id;
    if (!e.duplicate) ++fresh[e.id];
  }
  for (const std::string& id : events) EXPECT_EQ(fresh[id], 1) << id;
  auto v = Parse(c1.Get("/callbacks", {api_})).as_object();
  for (int i = 0; i < 200 && v.at("pending").as_int64() > 0; ++i) {  // outcomes being recorded
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    v = Parse(c1.Get("/callbacks", {api_})).as_object();
  }
  EXPECT_EQ(v.at("pending").as_int64(), 0);
  EXPECT_EQ(v.at("dead").as_int64(), 0);
}

}  // namespace
}  // namespace noj::testing

// Pipelining in the Redis store's connection pool and notifier: many callers share round trips
// and each still gets its own answer; the failure rules hold for pipelined batches (a transition
// is never sent twice, a read is retried once, nobody hangs when Redis dies); constants reach
// the Lua scripts from C++.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "api/verdict.h"
#include "common/ids.h"
#include "notifier_inbox.h"
#include "redis_fake_server.h"
#include "store/redis/connection_pool.h"
#include "store/redis/embedded_lua.h"
#include "store/redis/redis_notifier.h"
#include "store/redis/redis_store.h"
#include "store/redis/scripts.h"
#include "support/fake_clock.h"
#include "support/local_redis.h"
#include "support/status_matchers.h"

namespace noj::store::redis {
namespace {

using noj::testing::FakeClock;
using noj::testing::LocalRedis;
using noj::testing::StatusIs;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr LeasePolicy kPolicy{30'000, 3};
const api::RunnerCapabilities kCaps{};

api::SubmissionResult Accepted() {
  using api::Verdict;
  return {Verdict::kAC, 100, 1, 1, {{Verdict::kAC, 100, 1, 1, {{Verdict::kAC, 0, 1, 1}}}}};
}

// The PID of the redis-server behind `redis` (one this test started: LocalRedis::Start).
pid_t ServerPid(const LocalRedis& redis) {
  auto info = redis.Command({"INFO", "server"});
  if (!info.ok()) return -1;
  const size_t at = info->find("process_id:");
  if (at == std::string::npos) return -1;
  return static_cast<pid_t>(std::stol(info->substr(at + 11)));
}

// Waits (bounded) until the process is in the stopped state after SIGSTOP.
bool WaitStopped(pid_t pid) {
  for (int i = 0; i < 100000; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const size_t paren = line.rfind(')');
    if (paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'T') {
      return true;
    }
    std::this_thread::yield();
  }
  return false;
}

// SIGCONT on scope exit, so a failed assertion never leaves the server stopped.
struct ContinueOnExit {
  pid_t pid;
  ~ContinueOnExit() { kill(pid, SIGCONT); }
};

// ---- many callers, two connections ----

TEST(RedisPipeline, SixtyFourThreadsThroughTwoConnectionsEachGetTheirOwnAnswer) {
  if (std::string why = LocalRedis::MissingShared(); !why.empty()) GTEST_SKIP() << why;
  LocalRedis& redis = LocalRedis::Shared();
  std::string prefix;
  const std::string url = redis.FreshStoreUrl(&prefix) + "&pool=2";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenRedisStore(url));
  FakeClock clock;
  ASSERT_OK_AND_ASSIGN(int64_t problem,
                       store->CreateProblem({"A+B", {{100, 1, 65536, 1000}}}, clock.NowMs()));
  const StoreCounters before = store->Counters();

  constexpr int kThreads = 64;
  constexpr int kRounds = 8;
  std::mutex mu;
  std::set<std::string> claimed;  // under mu: no job may be leased twice
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const int64_t now = clock.NowMs();
      const std::string runner = "rn_pipe_" + std::to_string(t);
      EXPECT_OK(store->RegisterRunner(
          {runner, "judge", "hash" + std::to_string(t), now, now, now + 3'600'000}));
      for (int r = 0; r < kRounds; ++r) {
        const int64_t id_ms = 1'000'000 + t * 1000 + r;
        const NewSubmission s{ids::NewSubmissionId(id_ms),
                              ids::NewJobId(id_ms),
                              problem,
                              1,
                              "int main() {}",
                              1,
                              {1, 0}};
        EXPECT_OK(store->Enqueue(s, now));
        // An error reply in the middle of a batch stays that caller's.
        EXPECT_THAT(store->Enqueue(s, now), StatusIs(ErrorCode::kAlreadyExists));
        auto p = store->GetProblem(problem);
        EXPECT_TRUE(p.ok() && p->title == "A+B");
        auto me = store->GetRunner(runner, now);
        EXPECT_TRUE(me.ok() && me->runner_id == runner);
        // This thread enqueued before it claims, so there is always a job for it.
        auto claim = store->Claim(runner, kCaps, kPolicy, now);
        ASSERT_TRUE(claim.ok() && claim->job.has_value()) << claim.status().ToString();
        const JobRecord job = *claim->job;
        EXPECT_EQ(job.runner_id, runner);
        {
          std::lock_guard<std::mutex> lock(mu);
          EXPECT_TRUE(claimed.insert(job.job_id).second) << job.job_id << " leased twice";
        }
        auto done = store->Complete({runner, job.job_id, job.attempts, Accepted(), {}}, now);
        EXPECT_TRUE(done.ok() && *done == CompleteOutcome::kLanded) << done.status().ToString();
        auto sub = store->GetSubmission(job.submission_id);
        ASSERT_TRUE(sub.ok()) << sub.status().ToString();
        EXPECT_EQ(sub->status, api::VerdictCode(api::Verdict::kAC));
        EXPECT_EQ(sub->score, 100);
        EXPECT_EQ(sub->job_state, "");
      }
    });
  }
  for (std::thread& t : threads) t.join();

  // The serial outcome: every job judged once, nothing left in the queue.
  EXPECT_EQ(claimed.size(), size_t{kThreads * kRounds});
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store->GetQueueStats(clock.NowMs()));
  EXPECT_EQ(stats.pending[0] + stats.pending[1] + stats.pending[2], 0);
  EXPECT_EQ(stats.leased, 0);
  EXPECT_EQ(stats.results_total, kThreads * kRounds);
  const StoreCounters after = store->Counters();
  const int64_t commands = after.commands - before.commands;
  const int64_t round_trips = after.round_trips - before.round_trips;
  EXPECT_GE(commands, kThreads * (1 + kRounds * 7));
  EXPECT_LT(round_trips, commands) << "no two commands ever shared a round trip";
  store.reset();
  redis.DeleteKeys(prefix).IgnoreError();
}

// ---- Redis dying under load ----

TEST(RedisPipeline, KilledRedisAnswersEveryCallerWithinItsTimeoutThenThePoolRecovers) {
  if (std::string why = LocalRedis::MissingServer(); !why.empty()) GTEST_SKIP() << why;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<LocalRedis> redis, LocalRedis::Start());
  const pid_t pid = ServerPid(*redis);
  ASSERT_GT(pid, 0);
  ASSERT_OK_AND_ASSIGN(RedisOptions options, ParseRedisUrl(redis->Url()));
  options.pool_size = 2;
  options.command_timeout_ms = 1000;
  options.connect_timeout_ms = 500;
  options.backoff_min_ms = 10;
  options.backoff_max_ms = 100;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenRedisStore(options));
  FakeClock clock;
  ASSERT_OK_AND_ASSIGN(int64_t problem,
                       store->CreateProblem({"A+B", {{100, 1, 65536, 1000}}}, clock.NowMs()));

  std::atomic<bool> stop{false};
  std::atomic<int> calls{0};
  std::atomic<int> failed{0};
  std::atomic<int> wrong_code{0};
  std::atomic<int64_t> slowest_ms{0};
  auto timed = [&](auto&& fn) {
    const auto t0 = steady_clock::now();
    const Status s = fn();
    const int64_t ms = std::chrono::duration_cast<milliseconds>(steady_clock::now() - t0).count();
    int64_t seen = slowest_ms.load();
    while (ms > seen && !slowest_ms.compare_exchange_weak(seen, ms)) {
    }
    ++calls;
    if (!s.ok()) {
      ++failed;
      if (s.code() != ErrorCode::kUnavailable) ++wrong_code;
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop.load(); ++i) {
        const int64_t id_ms = 2'000'000 + t * 100'000 + i;
        const NewSubmission s{
            ids::NewSubmissionId(id_ms), ids::NewJobId(id_ms), problem, 1, "code", 1, {1, 0}};
        timed([&] { return store->Enqueue(s, clock.NowMs()); });
        timed([&] { return store->GetSubmission(s.submission_id).status(); });
        timed([&] { return store->Claim("rn_gone", kCaps, kPolicy, clock.NowMs()).status(); });
      }
    });
  }
  const auto give_up = steady_clock::now() + std::chrono::seconds(60);
  while (calls.load() < 300 && steady_clock::now() < give_up) std::this_thread::yield();
  EXPECT_EQ(failed.load(), 0) << "calls failed before Redis was killed";
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  const int failed_at_kill = failed.load();
  while (failed.load() < failed_at_kill + 200 && steady_clock::now() < give_up) {
    std::this_thread::yield();
  }
  stop = true;
  for (std::thread& t : threads) t.join();

  EXPECT_GE(failed.load(), failed_at_kill + 200) << "callers did not see the outage";
  EXPECT_EQ(wrong_code.load(), 0) << "an outage is kUnavailable";
  // Command timeout 1 s (+ a connect of at most 0.5 s): nobody waited much beyond it.
  EXPECT_LT(slowest_ms.load(), 3000);

  ASSERT_OK(redis->Stop());  // reaps the killed server
  ASSERT_OK(redis->Restart());
  Status ping = UnavailableError("not tried");
  for (int i = 0; i < 300 && !ping.ok(); ++i) {  // the backoff is at most 100 ms
    ping = store->Ping();
    if (!ping.ok()) std::this_thread::sleep_for(milliseconds(10));
  }
  ASSERT_OK(ping);
  const NewSubmission after{
      ids::NewSubmissionId(9), ids::NewJobId(9), problem, 1, "code", 1, {1, 0}};
  EXPECT_OK(store->Enqueue(after, clock.NowMs()));
  ASSERT_OK_AND_ASSIGN(SubmissionRecord rec, store->GetSubmission(after.submission_id));
  EXPECT_EQ(rec.job_state, "pending");
}

// ---- the retry rules, on a server that fails on cue ----

PoolOptions FakeOptions(const FakeRedis& fake) {
  PoolOptions o;
  o.endpoint.port = fake.port();
  o.endpoint.command_timeout_ms = 5000;
  o.size = 2;
  o.backoff_min_ms = 1;
  o.backoff_max_ms = 1;
  return o;
}

TEST(RedisPoolRetry, TransitionOnAConnectionThatDiesIsNeverSentAgain) {
  ASSERT_OK_AND_ASSIGN(auto fake, FakeRedis::Start([](const FakeRedis::Command& c) {
                         return FakeRedis::Default(c);
                       }));
  ASSERT_OK_AND_ASSIGN(Scripts scripts, LoadScripts());
  ConnectionPool pool(FakeOptions(*fake), std::move(scripts));
  ASSERT_OK(pool.Command({"PING"}, Idempotent::kYes).status());  // a pooled, reused connection
  EXPECT_THAT(pool.Eval(ScriptId::kEnqueue, "p:", {"sn", "jb"}, Idempotent::kNo),
              StatusIs(ErrorCode::kUnavailable));
  EXPECT_EQ(fake->Count("EVALSHA"), 1);
  EXPECT_OK(pool.Command({"PING"}, Idempotent::kYes).status());  // usable again
  EXPECT_EQ(fake->Count("EVALSHA"), 1);
}

TEST(RedisPoolRetry, ReadOnAReusedConnectionThatDiesIsRetriedOnceOnAnother) {
  ASSERT_OK_AND_ASSIGN(auto fake, FakeRedis::Start([](const FakeRedis::Command& c) {
                         if (c.argv[0] == "GET")
                           return c.connection == 1 ? "" : FakeRedis::Bulk("v");
                         return FakeRedis::Default(c);
                       }));
  ASSERT_OK_AND_ASSIGN(Scripts scripts, LoadScripts());
  ConnectionPool pool(FakeOptions(*fake), std::move(scripts));
  ASSERT_OK(pool.Command({"PING"}, Idempotent::kYes).status());
  ASSERT_OK_AND_ASSIGN(ReplyPtr reply, pool.Command({"GET", "k"}, Idempotent::kYes));
  EXPECT_EQ(std::string(reply->str, reply->len), "v");
  std::vector<int> connections;
  for (const FakeRedis::Command& c : fake->Seen()) {
    if (c.argv[0] == "GET") connections.push_back(c.connection);
  }
  EXPECT_THAT(connections, ::testing::ElementsAre(1, 2));
}

TEST(RedisPoolRetry, ReadThatFailsTwiceIsUnavailableAfterOneRetry) {
  ASSERT_OK_AND_ASSIGN(auto fake, FakeRedis::Start([](const FakeRedis::Command& c) {
                         return FakeRedis::Default(c);
                       }));
  ASSERT_OK_AND_ASSIGN(Scripts scripts, LoadScripts());
  ConnectionPool pool(FakeOptions(*fake), std::move(scripts));
  ASSERT_OK(pool.Command({"PING"}, Idempotent::kYes).status());
  EXPECT_THAT(pool.Command({"GET", "k"}, Idempotent::kYes), StatusIs(ErrorCode::kUnavailable));
  EXPECT_EQ(fake->Count("GET"), 2);
}

TEST(RedisPoolRetry, ReadOnAFreshConnectionIsNotRetried) {
  ASSERT_OK_AND_ASSIGN(auto fake, FakeRedis::Start([](const FakeRedis::Command& c) {
                         return FakeRedis::Default(c);
                       }));
  ASSERT_OK_AND_ASSIGN(Scripts scripts, LoadScripts());
  ConnectionPool pool(FakeOptions(*fake), std::move(scripts));
  EXPECT_THAT(pool.Command({"GET", "k"}, Idempotent::kYes), StatusIs(ErrorCode::kUnavailable));
  EXPECT_EQ(fake->Count("GET"), 1);
}

TEST(RedisPoolRetry, NoscriptLoadsTheScriptAndRunsItAgainInOneMoreRoundTrip) {
  ASSERT_OK_AND_ASSIGN(Scripts scripts, LoadScripts());
  const std::string sha = scripts[static_cast<size_t>(ScriptId::kQueueStats)].sha1;
  std::atomic<int> evals{0};
  ASSERT_OK_AND_ASSIGN(auto fake, FakeRedis::Start([&](const FakeRedis::Command& c) {
                         if (c.argv[0] == "EVALSHA") {
                           return ++evals == 1 ? std::string("-NOSCRIPT No matching script\r\n")
                                               : std::string("*1\r\n+OK\r\n");
                         }
                         if (c.argv[0] == "SCRIPT" && c.argv[1] == "LOAD") {
                           return FakeRedis::Bulk(sha);
                         }
                         return FakeRedis::Default(c);
                       }));
  ConnectionPool pool(FakeOptions(*fake), std::move(scripts));
  ASSERT_OK(pool.Command({"PING"}, Idempotent::kYes).status());
  const int64_t round_trips = pool.round_trips();
  ASSERT_OK(pool.Eval(ScriptId::kQueueStats, "p:", {}, Idempotent::kYes).status());
  EXPECT_EQ(pool.round_trips() - round_trips, 2);  // EVALSHA; SCRIPT LOAD + EVALSHA together
  EXPECT_EQ(fake->Count("EVALSHA"), 2);
  EXPECT_EQ(fake->Count("SCRIPT"), 2);  // EXISTS when connecting, LOAD after NOSCRIPT
}

// ---- the notifier ----

TEST(RedisNotifierBatching, PublishesQueuedMeanwhileGoOutInOneRoundTripInOrder) {
  if (std::string why = LocalRedis::MissingServer(); !why.empty()) GTEST_SKIP() << why;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<LocalRedis> redis, LocalRedis::Start());
  const pid_t pid = ServerPid(*redis);
  ASSERT_GT(pid, 0);
  NotifierInbox heard;
  ASSERT_OK_AND_ASSIGN(auto sub, RedisNotifier::Open(redis->Url(), heard.Callback()));
  ASSERT_OK_AND_ASSIGN(auto pub, RedisNotifier::Open(redis->Url(), [](const std::string&, int) {}));
  ASSERT_TRUE(sub->WaitSubscribed(milliseconds(5000)));
  pub->Publish("warm", 1);  // the publisher's connection is open once this arrives
  ASSERT_TRUE(heard.WaitFor(1, milliseconds(5000)));
  const int64_t round_trips = pub->round_trips();
  const int64_t commands = pub->commands();

  constexpr int kTopics = 100;
  {
    // With Redis stopped, the first batch waits for its answer and every later publish queues.
    ASSERT_EQ(kill(pid, SIGSTOP), 0);
    ContinueOnExit resume{pid};
    ASSERT_TRUE(WaitStopped(pid));
    for (int i = 0; i < kTopics; ++i) pub->Publish("topic:" + std::to_string(i), 1);
  }
  ASSERT_TRUE(heard.WaitFor(1 + kTopics, milliseconds(10000)));
  std::vector<std::string> expected = {"warm"};
  for (int i = 0; i < kTopics; ++i) expected.push_back("topic:" + std::to_string(i));
  EXPECT_EQ(heard.Topics(), expected);
  EXPECT_EQ(pub->commands() - commands, kTopics);
  EXPECT_LE(pub->round_trips() - round_trips, 2);  // the first batch, then all the others
}

// ---- constants shared with C++ ----

TEST(RedisScripts, StatusCodesComeFromTheCppSide) {
  const std::string prelude = LuaConstants();
  EXPECT_THAT(prelude,
              ::testing::HasSubstr("local STATUS_PENDING = '" +
                                   std::to_string(api::VerdictCode(api::Verdict::kPending)) + "'"));
  EXPECT_THAT(prelude,
              ::testing::HasSubstr("local STATUS_JE = '" +
                                   std::to_string(api::VerdictCode(api::Verdict::kJE)) + "'"));
  ASSERT_OK_AND_ASSIGN(Scripts scripts, LoadScripts());
  for (const Script& s : scripts) EXPECT_TRUE(s.source.starts_with(prelude)) << s.name;
  // The literals they replace are gone from the files.
  for (size_t i = 0; i < kEmbeddedLuaCount; ++i) {
    const std::string_view src = kEmbeddedLua[i].source;
    for (const char* literal :
         {"'status', '-1'", "'-1')", ":status:-1'", "write_result(job.sub, '6'"}) {
      EXPECT_EQ(src.find(literal), std::string_view::npos)
          << kEmbeddedLua[i].name << ".lua writes " << literal;
    }
  }
}

}  // namespace
}  // namespace noj::store::redis

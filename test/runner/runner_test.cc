// The runner's lifecycle against a scripted in-memory server: register, judge, drain (with and
// without a deadline), stop-now, revocation.

#include "runner/runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <deque>
#include <thread>

#include "common/zip_archive.h"
#include "runner/fakes.h"
#include "runner/fs_util.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::Reply;

bool Has(const client::HttpRequest& r, const std::string& part) {
  return r.url.find(part) != std::string::npos;
}

// A tiny protocol server: hands out queued jobs (long-polling 100 ms), records what comes back.
class FakeServer {
 public:
  Result<client::HttpResponse> Handle(const client::HttpRequest& r) {
    std::unique_lock lock(mu_);
    if (Has(r, "/runners/register"))
      return refuse_registration
                 ? Reply(401)
                 : Reply(201, R"({"runner_id":"rn_1","token":"rk_1","config":)"
                              R"({"heartbeat_interval_sec":1,"poll_interval_sec":1,)"
                              R"("max_concurrent_jobs":4}})");
    if (Has(r, "/heartbeat")) {
      ++heartbeats;
      return revoked ? Reply(401) : Reply(204);
    }
    if (Has(r, "/next-job")) {
      cv_.wait_for(lock, 100ms, [this] { return !jobs.empty(); });
      if (jobs.empty()) return Reply(204);
      std::string job = jobs.front();
      jobs.pop_front();
      return Reply(200, job);
    }
    if (Has(r, "/code/"))
      return Reply(200, zip::Build({{"main.cpp", "int main(){}"}}).value_or(""));
    if (Has(r, "/checksum")) return Reply(200, R"({"data":"abc"})");
    if (Has(r, "/testdata"))
      return Reply(200, zip::Build({{"0000.in", "1 2\n"}, {"0000.out", "3\n"}}).value_or(""));
    if (Has(r, "/complete")) {
      completes.push_back(r.body);
      cv_.notify_all();
      return Reply(204);
    }
    if (Has(r, "/abort")) {
      aborts.push_back(r.body);
      cv_.notify_all();
      return Reply(202);
    }
    return Reply(404);
  }

  void AddJob(const std::string& id) {
    std::lock_guard lock(mu_);
    jobs.push_back(R"({"job_id":")" + id +
                   R"(","submission_id":"sn_1","problem_id":1,"language":1,"attempt":1,)"
                   R"("code_url":"http://j/code/1","tasks":[{"taskScore":100,"caseCount":1,)"
                   R"("memoryLimit":65536,"timeLimit":1000}]})");
    cv_.notify_all();
  }
  template <typename Pred>
  bool WaitFor(Pred pred, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return pred(*this); });
  }
  void Revoke() {
    std::lock_guard lock(mu_);
    revoked = true;
  }

  bool refuse_registration = false;
  bool revoked = false;
  int heartbeats = 0;
  std::deque<std::string> jobs;
  std::vector<std::string> completes;
  std::vector<std::string> aborts;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
};

// Answers the compile at once; each case waits until `release` or the stop request.
class GatedExecutor final : public CaseExecutor {
 public:
  sandbox::RunResult Execute(const sandbox::RunRequest& r, std::stop_token stop) override {
    if (r.argv[0] == "g++") return testing::Ok();
    std::unique_lock lock(mu_);
    running_ = true;
    cv_.notify_all();
    cv_.wait(lock, stop, [this] { return released_; });
    if (stop.stop_requested()) return sandbox::SandboxError("cancelled");
    (void)WriteFile(r.stdout_path, "3\n");
    return testing::Ok();
  }
  void Release() {
    std::lock_guard lock(mu_);
    released_ = true;
    cv_.notify_all();
  }
  bool WaitRunning() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, 10s, [this] { return running_; });
  }

 private:
  std::mutex mu_;
  std::condition_variable_any cv_;
  bool running_ = false;
  bool released_ = false;
};

struct RunnerFixture : ::testing::Test {
  noj::testing::TempDir tmp;
  FakeServer server;
  testing::FakeHttpClient http{[this](const client::HttpRequest& r) { return server.Handle(r); }};
  GatedExecutor executor;
  RealSleeper sleeper;
  SystemClock clock;
  int exit_code = -1;
  std::thread thread;
  std::unique_ptr<Runner> runner;

  void Start(std::chrono::milliseconds drain_timeout = 10s) {
    RunnerOptions o;
    o.server_url = "http://j";
    o.registration_token = "secret";
    o.work_dir = tmp.path() / "work";
    o.cache_dir = tmp.path() / "cache";
    o.slots = 2;
    o.drain_timeout = drain_timeout;
    runner = std::make_unique<Runner>(o, RunnerEnv{http, executor, sleeper, clock});
    thread = std::thread([this] { exit_code = runner->Run(); });
  }
  int Join() {
    thread.join();
    return exit_code;
  }
  void TearDown() override {
    if (thread.joinable()) {
      runner->RequestStopNow();
      thread.join();
    }
  }
};

TEST_F(RunnerFixture, JudgesAJobAndDrainsToExitZero) {
  server.AddJob("jb_1");
  Start();
  ASSERT_TRUE(executor.WaitRunning());
  executor.Release();
  ASSERT_TRUE(server.WaitFor([](FakeServer& s) { return !s.completes.empty(); }));
  EXPECT_THAT(server.completes[0], HasSubstr(R"("status":"AC")"));
  runner->RequestDrain();
  EXPECT_EQ(Join(), kExitOk);
  EXPECT_TRUE(server.aborts.empty());
}

TEST_F(RunnerFixture, DrainLetsTheRunningJobFinish) {
  server.AddJob("jb_1");
  Start();
  ASSERT_TRUE(executor.WaitRunning());
  runner->RequestDrain();
  std::this_thread::sleep_for(200ms);  // draining, job still running
  executor.Release();
  EXPECT_EQ(Join(), kExitOk);
  EXPECT_EQ(server.completes.size(), 1u);
  EXPECT_TRUE(server.aborts.empty());
}

TEST_F(RunnerFixture, DrainDeadlineGivesTheRunningJobBack) {
  server.AddJob("jb_1");
  Start(/*drain_timeout=*/1500ms);
  ASSERT_TRUE(executor.WaitRunning());
  auto start = std::chrono::steady_clock::now();
  runner->RequestDrain();
  EXPECT_EQ(Join(), kExitOk);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_TRUE(server.completes.empty());
  EXPECT_THAT(server.aborts, ::testing::ElementsAre(R"({"reason":"drain"})"));
}

TEST_F(RunnerFixture, SecondInterruptStopsNow) {
  server.AddJob("jb_1");
  Start();
  ASSERT_TRUE(executor.WaitRunning());
  runner->RequestDrain();
  runner->RequestStopNow();
  EXPECT_EQ(Join(), kExitStoppedNow);
  EXPECT_TRUE(server.completes.empty());
}

TEST_F(RunnerFixture, RevokedIdentityExitsTwo) {
  server.AddJob("jb_1");
  Start();
  ASSERT_TRUE(executor.WaitRunning());
  server.Revoke();
  EXPECT_EQ(Join(), kExitUnauthorized);
  EXPECT_TRUE(server.completes.empty());
  EXPECT_TRUE(server.aborts.empty());  // the server said the job is not ours
}

TEST_F(RunnerFixture, RefusedRegistrationExitsTwo) {
  server.refuse_registration = true;
  Start();
  EXPECT_EQ(Join(), kExitUnauthorized);
}

TEST_F(RunnerFixture, DrainBeforeRegistrationExitsZero) {
  http.SetHandler([](const client::HttpRequest&) { return Reply(503); });
  Start();
  std::this_thread::sleep_for(100ms);
  runner->RequestDrain();
  EXPECT_EQ(Join(), kExitOk);
}

}  // namespace
}  // namespace noj::runner

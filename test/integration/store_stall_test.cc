// A store that stalls (issue 15): a real nojd on a redis-server of its own, which the test stops
// with SIGSTOP for 5 s. Throughout, /healthz (reporting the store down), /metrics and the status
// page answer at once — they never wait on the store; a claim answers 503 with the error envelope
// at its store deadline; after SIGCONT everything completes.
//
// Timing: the issue asks for answers within 100 ms; this machine is shared and noisy, so every
// answer must come within 1 s and at least 90 % within 100 ms (the max is printed).

#include <signal.h>
#include <sys/types.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "integration/nojd_fixture.h"
#include "support/local_redis.h"

namespace noj::testing {
namespace {

constexpr int64_t kStoreDeadlineMs = 1000;
constexpr int64_t kStallMs = 5000;

// SIGCONT on every way out, so a failing test never leaves a stopped redis-server behind.
class StoppedProcess {
 public:
  explicit StoppedProcess(pid_t pid) : pid_(pid) { stopped_ = ::kill(pid_, SIGSTOP) == 0; }
  ~StoppedProcess() { Resume(); }
  StoppedProcess(const StoppedProcess&) = delete;
  StoppedProcess& operator=(const StoppedProcess&) = delete;
  bool stopped() const { return stopped_; }
  void Resume() {
    if (stopped_) ::kill(pid_, SIGCONT);
    stopped_ = false;
  }

 private:
  pid_t pid_;
  bool stopped_ = false;
};

// The redis-server's PID, from its own INFO (LocalRedis started it: it is ours to stop).
pid_t RedisPid(const LocalRedis& redis) {
  auto info = redis.Command({"INFO", "server"});
  if (!info.ok()) return -1;
  size_t at = info->find("process_id:");
  if (at == std::string::npos) return -1;
  return static_cast<pid_t>(std::stol(info->substr(at + 11)));
}

class StoreStall : public NojdTest {
 protected:
  std::vector<std::string> Flags() const override {
    return {"--store", store_url_, "--store-deadline-ms", std::to_string(kStoreDeadlineMs)};
  }

  void SetUp() override {
    if (std::string why = LocalRedis::MissingServer(); !why.empty()) GTEST_SKIP() << why;
    auto redis = LocalRedis::Start();
    ASSERT_TRUE(redis.ok()) << redis.status().message();
    redis_ = std::move(*redis);
    store_url_ = redis_->FreshStoreUrl();
    redis_pid_ = RedisPid(*redis_);
    ASSERT_GT(redis_pid_, 0);
    NojdTest::SetUp();
  }

  void TearDown() override {
    NojdTest::TearDown();
    if (redis_) redis_->Stop().IgnoreError();  // best effort: the destructor kills it too
  }

  std::unique_ptr<LocalRedis> redis_;
  std::string store_url_;
  pid_t redis_pid_ = -1;
};

struct Timed {
  std::string path;
  int status = 0;
  int64_t ms = 0;
  int64_t at_ms = 0;  // since the stop
  std::string body;
};

TEST_F(StoreStall, HealthAndMetricsAnswerWhileClaimsGet503AtTheirDeadline) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  ASSERT_EQ(http_->Get("/healthz").status, 200);

  std::vector<Timed> answers;
  HttpResult claim;
  int64_t claim_ms = 0;
  {
    StoppedProcess stop(redis_pid_);
    ASSERT_TRUE(stop.stopped());
    const int64_t t0 = MonotonicMs();

    // A claim on its own connection: it waits for the store until its deadline.
    HttpClient claimer(nojd_->base_url());
    auto pending = std::async(std::launch::async, [&] {
      int64_t start = MonotonicMs();
      HttpResult r = claimer.Get("/runners/" + rc.id + "/next-job?wait=0", {rc.auth()});
      claim_ms = MonotonicMs() - start;
      return r;
    });

    const std::vector<std::string> paths = {"/healthz", "/metrics", "/ui"};
    for (size_t i = 0; MonotonicMs() - t0 < kStallMs; ++i) {
      Timed t;
      t.path = paths[i % paths.size()];
      int64_t start = MonotonicMs();
      HttpResult r = http_->Send("GET", t.path, "", {}, 5000);
      t.ms = MonotonicMs() - start;
      t.at_ms = start - t0;
      t.status = r.status;
      t.body = std::move(r.body);
      answers.push_back(std::move(t));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // pacing, not an assertion
    }
    claim = pending.get();
  }  // SIGCONT

  // The claim: 503 with the envelope, not before its deadline, and not much after it.
  ExpectErrorEnvelope(claim, 503);
  EXPECT_GE(claim_ms, kStoreDeadlineMs - 50);  // the timer's own granularity
  EXPECT_LT(claim_ms, kStoreDeadlineMs + 2000);

  ASSERT_GT(answers.size(), 30u);
  int64_t max_ms = 0;
  size_t fast = 0, health_down = 0, health_late = 0, metrics_down = 0;
  for (const Timed& t : answers) {
    max_ms = std::max(max_ms, t.ms);
    if (t.ms < 100) ++fast;
    EXPECT_LT(t.ms, 1000) << t.path << " at " << t.at_ms << " ms into the stall";
    EXPECT_NE(t.status, 0) << t.path << ": no answer";
    if (t.path == "/healthz") {
      // The probe notices within its stall limit (1 s) plus one probe interval; from then on,
      // down.
      if (t.at_ms >= 2000) {
        ++health_late;
        if (t.status == 503) ++health_down;
      }
      if (t.status == 503) ExpectErrorEnvelope(HttpResult{t.status, t.body, {}, ""}, 503);
    } else if (t.path == "/metrics") {
      EXPECT_EQ(t.status, 200);
      if (t.at_ms >= 2000 && t.body.find("\nnoj_store_up 0") != std::string::npos) ++metrics_down;
    } else {
      EXPECT_EQ(t.status, 200) << t.path;
    }
  }
  std::printf("[ stall   ] %zu answers during the stall: max %lld ms, %zu under 100 ms\n",
              answers.size(), static_cast<long long>(max_ms), fast);
  EXPECT_GE(fast * 10, answers.size() * 9) << "fewer than 90 % answered within 100 ms";
  EXPECT_GT(health_late, 0u);
  EXPECT_EQ(health_down, health_late) << "/healthz said up while the store was stopped";
  EXPECT_GT(metrics_down, 0u) << "/metrics never showed noj_store_up 0";

  // After SIGCONT: healthy again, and a submission goes all the way.
  int64_t resumed = MonotonicMs();
  int health = 0;
  while ((health = http_->Get("/healthz").status) != 200 && MonotonicMs() - resumed < 15000)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_EQ(health, 200) << "the store never came back";
  std::string sid = Submit(pid);
  bj::value job = Claim(rc);
  ASSERT_TRUE(job.is_object()) << "no job after the stall";
  std::string jb(job.as_object().at("job_id").as_string());
  ASSERT_EQ(Complete(rc, jb, AllCases({1}, "WA")).status, 204);
  bj::object s = Submission(sid);
  EXPECT_EQ(s.at("status"), 1);  // WA
  auto metrics = http_->Get("/metrics");
  EXPECT_NE(metrics.body.find("noj_store_deadline_exceeded_total"), std::string::npos);
}

}  // namespace
}  // namespace noj::testing

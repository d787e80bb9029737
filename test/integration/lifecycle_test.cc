// Job lifecycle over HTTP with real time: long-poll wake-ups, lease expiry and reclaim, JE at the
// maximum, restart on the same data dir. Leases are 1 s here so the waits stay short.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include "common/clock.h"
#include "integration/nojd_fixture.h"

namespace noj::testing {
namespace {

class Lifecycle : public NojdTest {
 protected:
  std::vector<std::string> Flags() const override {
    return {"--lease-ttl", "1", "--max-attempts", "2"};
  }
  static void SleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }
};

TEST_F(Lifecycle, LongPollWakesUpOnEnqueue) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  HttpClient poller(nojd_->base_url());
  auto parked = std::async(std::launch::async, [&] {
    auto r = poller.Get("/runners/" + rc.id + "/next-job?wait=20", {rc.auth()});
    return std::make_pair(r, MonotonicMs());
  });
  SleepMs(300);  // let the poll park
  int64_t enqueued = MonotonicMs();
  std::string sid = Submit(pid);
  auto [r, answered] = parked.get();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).as_object().at("submission_id"), bj::value(sid));
  // Woken by the enqueue, not by the 20 s deadline nor the 1 s re-check.
  std::printf("long-poll wake-up latency: %lld ms\n", static_cast<long long>(answered - enqueued));
  EXPECT_LT(answered - enqueued, 900);
}

// A runner killed while its long-poll is parked must not be handed a job: it would burn an attempt
// and hold the job for a whole lease. The dead poll parked first (FIFO), so without the disconnect
// check the enqueue would go to it.
TEST_F(Lifecycle, AbandonedLongPollIsNotHandedAJob) {
  RunnerCreds dead = Register("dead"), live = Register("live");
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(nojd_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::string req = "GET /runners/" + dead.id + "/next-job?wait=20 HTTP/1.1\r\nHost: x\r\n" +
                    dead.auth() + "\r\n\r\n";
  ASSERT_EQ(::write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
  SleepMs(300);  // parked
  HttpClient poller(nojd_->base_url());
  auto parked = std::async(std::launch::async, [&] {
    return poller.Get("/runners/" + live.id + "/next-job?wait=20", {live.auth()});
  });
  SleepMs(300);  // parked behind the dead one
  ::close(fd);   // what the kernel does for a SIGKILLed runner
  SleepMs(200);
  int64_t enqueued = MonotonicMs();
  std::string sid = Submit(pid);
  auto r = parked.get();
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).as_object().at("submission_id"), bj::value(sid));
  EXPECT_EQ(Json(r).as_object().at("attempt"), 1);
  EXPECT_LT(MonotonicMs() - enqueued, 900);  // woken by the enqueue, not the 1 s re-check
  auto q = Json(Api("GET", "/queue")).as_object();
  EXPECT_EQ(q.at("reclaimed_total"), 0);
}

TEST_F(Lifecycle, LongPollAnswers204AtTheDeadline) {
  RunnerCreds rc = Register();
  int64_t start = MonotonicMs();
  auto r = http_->Get("/runners/" + rc.id + "/next-job?wait=1", {rc.auth()});
  EXPECT_EQ(r.status, 204);
  EXPECT_GE(MonotonicMs() - start, 900);
}

TEST_F(Lifecycle, SubmissionWaitReturnsWhenTheResultLands) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string sid = Submit(pid);
  std::string jb(Claim(rc).as_object().at("job_id").as_string());
  HttpClient waiter(nojd_->base_url());
  auto pending = std::async(std::launch::async, [&] {
    return waiter.Get("/submissions/" + sid + "?wait=20", {ApiAuth()});
  });
  SleepMs(200);
  ASSERT_EQ(Complete(rc, jb, AllCases({1}, "WA")).status, 204);
  auto r = pending.get();
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Json(r).as_object().at("status"), 1);
}

// A dead runner's orphans come in a batch and announce nothing. Once a long-poll has found one,
// the next arriving poll must claim at once rather than wait for the 1 s re-check (it did: with 8
// orphans, bench_dispatch measured 12.7 s to recover them all instead of 5.7 s).
class LifecycleTtl3 : public Lifecycle {
 protected:
  std::vector<std::string> Flags() const override { return {"--lease-ttl", "3"}; }
};

TEST_F(LifecycleTtl3, OrphansAfterTheFirstAreClaimedOnArrival) {
  RunnerCreds dead = Register("dead"), live = Register("live");
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  Submit(pid);
  Submit(pid);
  int64_t claimed = MonotonicMs();
  ASSERT_TRUE(Claim(dead).is_object());
  ASSERT_TRUE(Claim(dead).is_object());
  auto poll = [&](int wait_s) {
    return http_->Get("/runners/" + live.id + "/next-job?wait=" + std::to_string(wait_s),
                      {live.auth()});
  };
  EXPECT_EQ(poll(1).status, 204);  // the leases are live: a claim came up empty
  SleepMs(static_cast<int>(std::max<int64_t>(0, claimed + 3200 - MonotonicMs())));  // expired
  auto first = poll(5);  // found by the re-check
  ASSERT_EQ(first.status, 200) << first.body;
  int64_t asked = MonotonicMs();
  auto second = poll(5);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(Json(second).as_object().at("attempt"), 2);
  EXPECT_LT(MonotonicMs() - asked, 600) << "the second orphan waited for the re-check";
}

TEST_F(Lifecycle, ZombieCompleteIsRejectedAfterReclaim) {
  RunnerCreds zombie = Register("zombie"), live = Register("live");
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string sid = Submit(pid);
  std::string jb(Claim(zombie).as_object().at("job_id").as_string());
  EXPECT_TRUE(Claim(live).is_null());  // lease not expired: not reclaimable
  SleepMs(1300);
  auto job = Claim(live).as_object();
  EXPECT_EQ(job.at("job_id"), bj::value(jb));
  EXPECT_EQ(job.at("attempt"), 2);
  ExpectErrorEnvelope(Complete(zombie, jb, AllCases({1}, "WA")), 409);
  EXPECT_EQ(Complete(live, jb, AllCases({1}), 2).status, 204);
  auto s = Submission(sid);
  EXPECT_EQ(s.at("status"), 0);
  EXPECT_EQ(s.at("attempts"), 2);
  auto q = Json(Api("GET", "/queue")).as_object();
  EXPECT_EQ(q.at("reclaimed_total"), 1);
}

TEST_F(Lifecycle, HeartbeatKeepsTheLeaseAlive) {
  RunnerCreds holder = Register("holder"), other = Register("other");
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  Submit(pid);
  std::string jb(Claim(holder).as_object().at("job_id").as_string());
  for (int i = 0; i < 5; ++i) {
    SleepMs(400);
    ASSERT_EQ(http_
                  ->Send("POST", "/runners/" + holder.id + "/heartbeat",
                         bj::serialize(bj::object{{"active_job_ids", bj::array{bj::string(jb)}}}),
                         {holder.auth()})
                  .status,
              204);
  }
  EXPECT_TRUE(Claim(other).is_null());
  EXPECT_EQ(Complete(holder, jb, AllCases({1})).status, 204);
}

TEST_F(Lifecycle, ExhaustedJobConvergesToJudgeErrorWithoutPolling) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string sid = Submit(pid);
  ASSERT_TRUE(Claim(rc).is_object());
  SleepMs(1200);
  auto second = Claim(rc);
  ASSERT_TRUE(second.is_object());
  EXPECT_EQ(second.as_object().at("attempt"), 2);
  // Nobody polls now; the reaper converges it within about a second of the expiry.
  auto s = WaitFinal(sid, 10);
  EXPECT_EQ(s.at("status"), 6);
  EXPECT_EQ(s.at("score"), 0);
  EXPECT_EQ(Json(Api("GET", "/queue")).as_object().at("judge_error_total"), 1);
  EXPECT_EQ(Json(Api("GET", "/queue")).as_object().at("results_total"), 1);
}

TEST_F(Lifecycle, RestartKeepsPendingLeasedAndLandedState) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string landed = Submit(pid), leased = Submit(pid), pending = Submit(pid);
  std::string j1(Claim(rc).as_object().at("job_id").as_string());
  ASSERT_EQ(Complete(rc, j1, AllCases({1})).status, 204);
  std::string j2(Claim(rc).as_object().at("job_id").as_string());
  std::string err;
  ASSERT_TRUE(nojd_->Restart(&err)) << err;
  http_ = std::make_unique<HttpClient>(nojd_->base_url());
  EXPECT_EQ(Submission(landed).at("status"), 0);
  EXPECT_EQ(Submission(leased).at("job_state"), "leased");
  EXPECT_EQ(Submission(pending).at("job_state"), "pending");
  // The runner's identity and lease survived: it can still complete.
  EXPECT_EQ(Complete(rc, j2, AllCases({1})).status, 204);
  auto next = Claim(rc).as_object();
  EXPECT_EQ(next.at("submission_id"), bj::value(pending));
}

TEST_F(Lifecycle, SigtermStopsCleanly) { EXPECT_EQ(nojd_->Stop(), 0); }

}  // namespace
}  // namespace noj::testing

#include "runner/poll_loop.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "runner/fakes.h"

namespace noj::runner {
namespace {

using ::testing::ElementsAre;
using testing::FakeHttpClient;
using testing::FakeSleeper;
using testing::Reply;

std::string Payload(const std::string& id) {
  return R"({"status":"ok","data":{"job_id":")" + id +
         R"(","submission_id":"sn_1","problem_id":1,"language":0,"attempt":1,"code_url":"http://c",)"
         R"("tasks":[{"taskScore":100,"caseCount":1,"memoryLimit":65536,"timeLimit":1000}]}})";
}

struct PollFixture : ::testing::Test {
  noj::testing::FakeClock clock;
  FakeSleeper sleeper{&clock};
  FakeHttpClient http;
  RunnerApi api{http, "http://j", "rn_1", "rk_1"};
  JobTracker tracker{2};
  std::vector<std::string> launched;
  std::vector<size_t> tracked_at_launch;
  PollLoop loop{api,
                tracker,
                sleeper,
                clock,
                {.wait_sec = 20, .poll_interval = std::chrono::seconds(3)},
                [this](api::JobPayload job, std::shared_ptr<JobControl> control) {
                  tracked_at_launch.push_back(tracker.size());
                  EXPECT_EQ(control->job_id, job.job_id);
                  launched.push_back(job.job_id);
                }};
};

TEST_F(PollFixture, TracksTheJobBeforeLaunchingIt) {
  http.SetHandler([](const auto&) { return Reply(200, Payload("jb_1")); });
  EXPECT_EQ(loop.PollOnce({}, {}), PollLoop::Outcome::kLaunched);
  EXPECT_THAT(launched, ElementsAre("jb_1"));
  EXPECT_THAT(tracked_at_launch, ElementsAre(1u));
  EXPECT_THAT(tracker.ActiveIds(), ElementsAre("jb_1"));
}

TEST_F(PollFixture, QuickNoContentWaitsOutThePollInterval) {
  http.SetHandler([&](const auto&) {
    clock.Advance(500);
    return Reply(204);
  });
  EXPECT_EQ(loop.PollOnce({}, {}), PollLoop::Outcome::kNoJob);
  EXPECT_THAT(sleeper.sleeps(), ElementsAre(2500));
}

TEST_F(PollFixture, LongPolledNoContentPollsAgainAtOnce) {
  http.SetHandler([&](const auto&) {
    clock.Advance(20000);
    return Reply(204);
  });
  EXPECT_EQ(loop.PollOnce({}, {}), PollLoop::Outcome::kNoJob);
  EXPECT_TRUE(sleeper.sleeps().empty());
}

TEST_F(PollFixture, ErrorsBackOffAndASuccessResets) {
  int call = 0;
  http.SetHandler([&](const auto&) -> Result<client::HttpResponse> {
    if (++call <= 3) return UnavailableError("down");
    if (call == 4) return Reply(200, Payload("jb_x"));
    return Reply(500);
  });
  for (int i = 0; i < 5; ++i) (void)loop.PollOnce({}, {});
  EXPECT_THAT(sleeper.sleeps(), ElementsAre(1000, 2000, 4000, 1000));
}

TEST_F(PollFixture, PollsOnlyWhileASlotIsFree) {
  std::stop_source stop;
  std::atomic<int> polls = 0;
  http.SetHandler([&](const auto&) {
    int n = ++polls;
    return Reply(200, Payload("jb_" + std::to_string(n)));
  });
  std::thread t([&] { loop.Run(stop.get_token(), {}); });
  while (tracker.BusySlots() < 2) std::this_thread::yield();
  // Both slots busy: the loop must now be parked in WaitForFreeSlot, not polling.
  for (int i = 0; i < 1000 && polls < 3; ++i) std::this_thread::yield();
  EXPECT_EQ(polls, 2);
  tracker.MarkStarted("jb_1");
  tracker.MarkSending("jb_1");  // frees a slot
  while (polls < 3) std::this_thread::yield();
  stop.request_stop();
  t.join();
  EXPECT_EQ(polls, 3);
  EXPECT_EQ(tracker.size(), 3u);
}

TEST_F(PollFixture, UndecodablePayloadIsGivenBack) {
  http.SetHandler([](const client::HttpRequest& r) {
    if (r.url.find("/abort") != std::string::npos) return Reply(202);
    return Reply(200, R"({"job_id":"jb_bad","language":9})");
  });
  EXPECT_EQ(loop.PollOnce({}, {}), PollLoop::Outcome::kLaunched);
  EXPECT_TRUE(launched.empty());
  EXPECT_EQ(http.Count("/runners/rn_1/jobs/jb_bad/abort"), 1);
  EXPECT_EQ(tracker.size(), 0u);
}

TEST_F(PollFixture, AJobClaimedWhileStoppingIsStillTracked) {
  std::stop_source stop;
  http.SetHandler([&](const auto&) {
    stop.request_stop();  // the drain begins while the claim is in flight
    return Reply(200, Payload("jb_late"));
  });
  EXPECT_EQ(loop.PollOnce(stop.get_token(), {}), PollLoop::Outcome::kLaunched);
  EXPECT_THAT(launched, ElementsAre("jb_late"));
}

TEST_F(PollFixture, StoppingLeavesTheRequestInFlightButCuttingInterruptsIt) {
  std::stop_source stop, cut;
  stop.request_stop();
  http.SetHandler([](const auto&) { return Reply(200, Payload("jb_inflight")); });
  EXPECT_EQ(loop.PollOnce(stop.get_token(), cut.get_token()), PollLoop::Outcome::kLaunched);
  cut.request_stop();
  EXPECT_EQ(loop.PollOnce(stop.get_token(), cut.get_token()), PollLoop::Outcome::kStopped);
  EXPECT_THAT(launched, ElementsAre("jb_inflight"));
}

TEST(JobTracker, AClaimArrivingWhileDrainingIsStoppedAtOnce) {
  JobTracker tracker(2);
  auto before = tracker.Track("jb_1", 1);
  tracker.MarkStarted("jb_1");
  tracker.BeginDrain();
  EXPECT_FALSE(before->token().stop_requested());  // already judging: finishes
  auto late = tracker.Track("jb_2", 1);
  EXPECT_TRUE(late->token().stop_requested());
  EXPECT_EQ(late->reason.load(), StopReason::kDrain);
  EXPECT_FALSE(tracker.MarkStarted("jb_2"));
}

TEST(JobTracker, SlotsCountPreparingAndJudgingNotSending) {
  JobTracker tracker(2);
  (void)tracker.Track("a", 1);
  (void)tracker.Track("b", 1);
  EXPECT_EQ(tracker.BusySlots(), 2);
  EXPECT_EQ(tracker.Track("a", 1), nullptr);  // already tracked
  tracker.MarkStarted("a");
  EXPECT_EQ(tracker.BusySlots(), 2);
  tracker.MarkSending("a");
  EXPECT_EQ(tracker.BusySlots(), 1);
  EXPECT_THAT(tracker.ActiveIds(), ElementsAre("a", "b"));
  tracker.Untrack("a");
  EXPECT_THAT(tracker.ActiveIds(), ElementsAre("b"));
}

}  // namespace
}  // namespace noj::runner

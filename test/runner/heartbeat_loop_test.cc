#include "runner/heartbeat_loop.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner/fakes.h"

namespace noj::runner {
namespace {

using ::testing::ElementsAre;
using testing::FakeHttpClient;
using testing::FakeSleeper;
using testing::Reply;

struct HeartbeatFixture : ::testing::Test {
  noj::testing::FakeClock clock;
  FakeSleeper sleeper{&clock};
  FakeHttpClient http;
  RunnerApi api{http, "http://j", "rn_1", "rk_1"};
  JobTracker tracker{4};
  int revoked = 0;
  HeartbeatLoop loop{api, tracker, sleeper, clock, std::chrono::seconds(15), [this] { ++revoked; }};
};

TEST_F(HeartbeatFixture, ListsTrackedJobsAndStopsCancelledOnes) {
  auto a = tracker.Track("jb_a", 1);
  auto b = tracker.Track("jb_b", 1);
  http.SetHandler([](const auto&) { return Reply(200, R"({"cancel":["jb_b","jb_unknown"]})"); });
  EXPECT_TRUE(loop.BeatOnce({}));
  EXPECT_EQ(http.requests()[0].body, R"({"active_job_ids":["jb_a","jb_b"],"want_hints":true})");
  EXPECT_FALSE(a->token().stop_requested());
  EXPECT_TRUE(b->token().stop_requested());
  EXPECT_EQ(b->reason.load(), StopReason::kServerCancel);
}

TEST_F(HeartbeatFixture, TwoUnauthorizedInARowRevoke) {
  http.SetHandler([](const auto&) { return Reply(401); });
  EXPECT_TRUE(loop.BeatOnce({}));
  EXPECT_EQ(revoked, 0);
  EXPECT_FALSE(loop.BeatOnce({}));
  EXPECT_EQ(revoked, 1);
}

TEST_F(HeartbeatFixture, ASuccessOrOtherErrorResetsTheCount) {
  int call = 0;
  http.SetHandler(
      [&](const auto&) { return Reply(++call % 2 == 1 ? 401 : (call == 2 ? 204 : 503)); });
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(loop.BeatOnce({}));  // 401 204 401 503 401 204
  EXPECT_EQ(revoked, 0);
}

TEST_F(HeartbeatFixture, BeatsOnAFixedCadence) {
  std::stop_source stop;
  int64_t start = clock.NowMs();
  std::vector<int64_t> beats;
  http.SetHandler([&](const auto&) {
    beats.push_back(clock.NowMs() - start);
    clock.Advance(beats.size() == 2 ? 4000 : 700);  // the request itself takes time
    return Reply(204);
  });
  sleeper.OnSleep([&] {
    if (sleeper.sleeps().size() == 4) stop.request_stop();
  });
  loop.Run(stop.get_token());
  EXPECT_THAT(beats, ElementsAre(0, 15000, 30000, 45000));
  EXPECT_THAT(sleeper.sleeps(), ElementsAre(14300, 11000, 14300, 14300));
}

TEST_F(HeartbeatFixture, RunEndsWhenRevoked) {
  http.SetHandler([](const auto&) { return Reply(401); });
  loop.Run({});
  EXPECT_EQ(revoked, 1);
  EXPECT_EQ(http.requests().size(), 2u);
}

}  // namespace
}  // namespace noj::runner

#include "runner/registration.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner/fakes.h"
#include "support/status_matchers.h"

namespace noj::runner {
namespace {

using noj::testing::StatusIs;
using testing::FakeHttpClient;
using testing::FakeSleeper;
using testing::Reply;

constexpr char kOk[] = R"({"runner_id":"rn_a","token":"rk_b","config":{}})";

TEST(RegisterWithRetry, RetriesNetworkAndServerErrorsOnTheSchedule) {
  int calls = 0;
  FakeHttpClient http([&](const auto&) -> Result<client::HttpResponse> {
    ++calls;
    if (calls <= 3) return UnavailableError("connection refused");
    if (calls <= 8) return Reply(503);
    return Reply(201, kOk);
  });
  FakeSleeper sleeper;
  ASSERT_OK_AND_ASSIGN(Registration reg,
                       RegisterWithRetry(http, sleeper, "http://j", "s", "n", "", {}, {}));
  EXPECT_EQ(reg.runner_id, "rn_a");
  EXPECT_THAT(sleeper.sleeps(),
              ::testing::ElementsAre(1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000));
}

TEST(RegisterWithRetry, UnauthorizedIsFatal) {
  FakeHttpClient http([](const auto&) {
    return Reply(401, R"({"status":"err","message":"invalid registration token","data":null})");
  });
  FakeSleeper sleeper;
  auto reg = RegisterWithRetry(http, sleeper, "http://j", "bad", "n", "", {}, {});
  EXPECT_THAT(reg, StatusIs(ErrorCode::kUnauthenticated));
  EXPECT_EQ(http.requests().size(), 1u);
  EXPECT_TRUE(sleeper.sleeps().empty());
}

TEST(RegisterWithRetry, StopEndsTheRetries) {
  FakeHttpClient http([](const auto&) { return Reply(502); });
  FakeSleeper sleeper;
  std::stop_source stop;
  sleeper.OnSleep([&] {
    if (sleeper.sleeps().size() == 3) stop.request_stop();
  });
  EXPECT_THAT(RegisterWithRetry(http, sleeper, "http://j", "s", "n", "", {}, stop.get_token()),
              StatusIs(ErrorCode::kAborted));
  EXPECT_EQ(http.requests().size(), 3u);
}

TEST(RegisterWithRetry, DeclaresTheGivenLanguagesAndFeatures) {
  FakeHttpClient http([](const auto&) { return Reply(201, kOk); });
  FakeSleeper sleeper;
  const api::RunnerCapabilities caps{{1, 2}, api::kFeatureInteractive};
  ASSERT_OK(RegisterWithRetry(http, sleeper, "http://j", "s", "n", "", caps, {}));
  ASSERT_EQ(http.requests().size(), 1u);
  EXPECT_THAT(http.requests()[0].body,
              ::testing::HasSubstr(R"("languages":[1,2],"features":["interactive"])"));
}

}  // namespace
}  // namespace noj::runner

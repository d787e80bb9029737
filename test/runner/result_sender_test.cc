#include "runner/result_sender.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner/fakes.h"
#include "support/status_matchers.h"

namespace noj::runner {
namespace {

using ::testing::ElementsAre;
using testing::FakeHttpClient;
using testing::FakeSleeper;
using ::testing::IsEmpty;
using testing::Reply;

api::ReportedCases OneCase() {
  api::CaseResult c;
  c.status = api::Verdict::kAC;
  return {{c}};
}

struct SendFixture : ::testing::Test {
  FakeHttpClient http;
  FakeSleeper sleeper;
  RunnerApi api{http, "http://judge.test/", "rn_1", "rk_secret"};

  SendOutcome SendWithStatuses(std::vector<int> statuses) {
    auto calls = std::make_shared<size_t>(0);
    http.SetHandler([statuses, calls](const client::HttpRequest&) {
      size_t i = std::min((*calls)++, statuses.size() - 1);
      if (statuses[i] < 0) return Result<client::HttpResponse>(UnavailableError("reset"));
      return Reply(statuses[i], statuses[i] >= 400 ? R"({"status":"err","message":"nope"})" : "");
    });
    return SendResult(api, sleeper, "jb_1", 2, OneCase(), {});
  }
};

TEST_F(SendFixture, NoContentLandsAtOnce) {
  EXPECT_EQ(SendWithStatuses({204}), SendOutcome::kLanded);
  EXPECT_THAT(sleeper.sleeps(), IsEmpty());
  auto reqs = http.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "PUT");
  EXPECT_EQ(reqs[0].url, "http://judge.test/runners/rn_1/jobs/jb_1/complete");
  EXPECT_THAT(reqs[0].headers,
              ::testing::Contains(std::pair<std::string, std::string>("X-Job-Attempt", "2")));
  EXPECT_THAT(reqs[0].headers, ::testing::Contains(std::pair<std::string, std::string>(
                                   "Authorization", "Bearer rk_secret")));
  EXPECT_THAT(reqs[0].body, ::testing::HasSubstr(R"("status":"AC")"));
}

TEST_F(SendFixture, NoAttemptNoFencingHeader) {
  http.SetHandler([](const client::HttpRequest&) { return Reply(204); });
  EXPECT_EQ(SendResult(api, sleeper, "jb_1", 0, OneCase(), {}), SendOutcome::kLanded);
  auto reqs = http.requests();
  for (const auto& [name, value] : reqs.at(0).headers) EXPECT_NE(name, "X-Job-Attempt");
}

TEST_F(SendFixture, ConflictDropsWithoutRetry) {
  EXPECT_EQ(SendWithStatuses({409}), SendOutcome::kDropped);
  EXPECT_EQ(http.requests().size(), 1u);
}

TEST_F(SendFixture, NotFoundDropsWithoutRetry) {
  EXPECT_EQ(SendWithStatuses({404}), SendOutcome::kDropped);
  EXPECT_EQ(http.requests().size(), 1u);
}

TEST_F(SendFixture, BadRequestIsRejected) {
  EXPECT_EQ(SendWithStatuses({400}), SendOutcome::kRejected);
  EXPECT_EQ(http.requests().size(), 1u);
}

TEST_F(SendFixture, ServerErrorsRetryOnTheScheduleThenLand) {
  EXPECT_EQ(SendWithStatuses({500, 503, -1, 204}), SendOutcome::kLanded);
  EXPECT_THAT(sleeper.sleeps(), ElementsAre(1000, 2000, 4000));
}

TEST_F(SendFixture, UnexpectedCodesRetryToo) {
  EXPECT_EQ(SendWithStatuses({302, 401, 429, 204}), SendOutcome::kLanded);
  EXPECT_EQ(http.requests().size(), 4u);
}

TEST_F(SendFixture, GivesUpAfterTheLastDelay) {
  EXPECT_EQ(SendWithStatuses({502}), SendOutcome::kGaveUp);
  EXPECT_THAT(sleeper.sleeps(), ElementsAre(1000, 2000, 4000, 8000, 16000));
  EXPECT_EQ(http.requests().size(), 6u);
}

TEST_F(SendFixture, StopEndsTheRetries) {
  std::stop_source stop;
  http.SetHandler([](const client::HttpRequest&) { return Reply(503); });
  sleeper.OnSleep([&] { stop.request_stop(); });
  EXPECT_EQ(SendResult(api, sleeper, "jb_1", 1, OneCase(), stop.get_token()),
            SendOutcome::kStopped);
}

TEST_F(SendFixture, AbortSendsTheReason) {
  http.SetHandler([](const client::HttpRequest&) { return Reply(202); });
  EXPECT_OK(AbortJob(api, sleeper, "jb_9", "prep_failed", {}));
  auto reqs = http.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].url, "http://judge.test/runners/rn_1/jobs/jb_9/abort");
  EXPECT_EQ(reqs[0].body, R"({"reason":"prep_failed"})");
}

TEST_F(SendFixture, AbortRetriesServerErrorsTwiceAndStopsOnConflict) {
  http.SetHandler([](const client::HttpRequest&) { return Reply(503); });
  EXPECT_THAT(AbortJob(api, sleeper, "jb_9", "drain", {}),
              noj::testing::StatusIs(ErrorCode::kUnavailable));
  EXPECT_THAT(sleeper.sleeps(), ElementsAre(1000, 2000));
  http.SetHandler([](const client::HttpRequest&) { return Reply(409); });
  EXPECT_THAT(AbortJob(api, sleeper, "jb_9", "drain", {}),
              noj::testing::StatusIs(ErrorCode::kAborted));
  EXPECT_EQ(http.requests().size(), 4u);
}

TEST_F(SendFixture, AbortWithOneTryDoesNotRetry) {
  http.SetHandler([](const client::HttpRequest&) { return Reply(503); });
  EXPECT_FALSE(AbortJob(api, sleeper, "jb_9", "drain", {}, 1).ok());
  EXPECT_EQ(http.requests().size(), 1u);
}

}  // namespace
}  // namespace noj::runner

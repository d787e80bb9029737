#include "runner/runner_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/crypto.h"
#include "runner/fakes.h"
#include "runner/server_testdata_source.h"
#include "support/status_matchers.h"

namespace noj::runner {
namespace {

using noj::testing::StatusIs;
using testing::FakeHttpClient;
using testing::Reply;

constexpr char kTasks[] =
    R"([{"taskScore":40,"caseCount":2,"memoryLimit":65536,"timeLimit":1000},)"
    R"({"taskScore":60,"caseCount":1,"memoryLimit":131072,"timeLimit":2000}])";

std::string PayloadFields() {
  return std::string(R"("job_id":"jb_7","submission_id":"sn_3","problem_id":42,"language":1,)") +
         R"("attempt":2,"code_url":"http://h/code?sig=x","checker":null,"tasks":)" + kTasks;
}

void ExpectPayload(const PolledJob& job) {
  ASSERT_TRUE(job.payload.has_value()) << job.parse_status.ToString();
  EXPECT_EQ(job.job_id, "jb_7");
  EXPECT_EQ(job.payload->submission_id, "sn_3");
  EXPECT_EQ(job.payload->problem_id, 42);
  EXPECT_EQ(job.payload->language, api::Language::kCpp);
  EXPECT_EQ(job.payload->attempt, 2);
  EXPECT_EQ(job.payload->code_url, "http://h/code?sig=x");
  ASSERT_EQ(job.payload->tasks.size(), 2u);
  EXPECT_EQ(job.payload->tasks[1].time_limit_ms, 2000);
  EXPECT_EQ(job.payload->tasks[1].memory_limit_kib, 131072);
}

struct ApiFixture : ::testing::Test {
  FakeHttpClient http;
  RunnerApi api{http, "http://judge.test", "rn_1", "rk_x"};
};

TEST_F(ApiFixture, NextJobReadsTheTopLevel) {
  http.SetHandler([](const auto&) { return Reply(200, "{" + PayloadFields() + "}"); });
  ASSERT_OK_AND_ASSIGN(auto job, api.NextJob(20, {}));
  ASSERT_TRUE(job.has_value());
  ExpectPayload(*job);
  EXPECT_EQ(http.requests()[0].url, "http://judge.test/runners/rn_1/next-job?wait=20");
  EXPECT_GT(http.requests()[0].timeout, std::chrono::seconds(20));
}

TEST_F(ApiFixture, NextJobFallsBackToData) {
  http.SetHandler([](const auto&) {
    return Reply(200, R"({"status":"ok","message":"","data":{)" + PayloadFields() + "}}");
  });
  ASSERT_OK_AND_ASSIGN(auto job, api.NextJob(0, {}));
  ASSERT_TRUE(job.has_value());
  ExpectPayload(*job);
  EXPECT_EQ(http.requests()[0].url, "http://judge.test/runners/rn_1/next-job");
}

TEST_F(ApiFixture, NextJobNoContentIsNoJob) {
  http.SetHandler([](const auto&) { return Reply(204); });
  ASSERT_OK_AND_ASSIGN(auto job, api.NextJob(20, {}));
  EXPECT_FALSE(job.has_value());
}

TEST_F(ApiFixture, MalformedPayloadKeepsTheJobId) {
  http.SetHandler([](const auto&) { return Reply(200, R"({"job_id":"jb_bad","tasks":"x"})"); });
  ASSERT_OK_AND_ASSIGN(auto job, api.NextJob(20, {}));
  ASSERT_TRUE(job.has_value());
  EXPECT_FALSE(job->payload.has_value());
  EXPECT_EQ(job->job_id, "jb_bad");
  EXPECT_FALSE(job->parse_status.ok());
}

TEST_F(ApiFixture, HeartbeatSendsIdsAndWantsHints) {
  http.SetHandler([](const auto&) { return Reply(200, R"({"cancel":["jb_2"]})"); });
  ASSERT_OK_AND_ASSIGN(auto cancel, api.Heartbeat({"jb_1", "jb_2"}, {}));
  EXPECT_THAT(cancel, ::testing::ElementsAre("jb_2"));
  EXPECT_EQ(http.requests()[0].body, R"({"active_job_ids":["jb_1","jb_2"],"want_hints":true})");
  EXPECT_EQ(http.requests()[0].url, "http://judge.test/runners/rn_1/heartbeat");
}

TEST_F(ApiFixture, HeartbeatHintsUnderDataAndNoContent) {
  http.SetHandler([](const auto&) { return Reply(200, R"({"data":{"cancel":["jb_3"]}})"); });
  ASSERT_OK_AND_ASSIGN(auto cancel, api.Heartbeat({}, {}));
  EXPECT_THAT(cancel, ::testing::ElementsAre("jb_3"));
  http.SetHandler([](const auto&) { return Reply(204); });
  ASSERT_OK_AND_ASSIGN(auto none, api.Heartbeat({}, {}));
  EXPECT_TRUE(none.empty());
}

TEST_F(ApiFixture, ChecksumUnderData) {
  http.SetHandler(
      [](const auto&) { return Reply(200, R"({"status":"ok","message":"","data":"abc123"})"); });
  ASSERT_OK_AND_ASSIGN(std::string sum, api.Checksum(5, {}));
  EXPECT_EQ(sum, "abc123");
  EXPECT_EQ(http.requests()[0].url, "http://judge.test/problem/5/checksum");
  EXPECT_THAT(http.requests()[0].headers, ::testing::Contains(std::pair<std::string, std::string>(
                                              "Authorization", "Bearer rk_x")));
}

// A lease finishes on the version it was claimed with (judging.md §6): the zip and the meta of
// that version are asked with ?version=N and checked against the payload's checksum.
TEST_F(ApiFixture, AnOlderVersionIsFetchedWithItsVersionAndVerified) {
  const std::string meta = R"({"tasks": []})";
  const std::string checksum = crypto::Md5Hex("zip-v2" + meta);
  http.SetHandler([&](const client::HttpRequest& r) {
    if (r.url.find("/testdata") != std::string::npos) return Reply(200, "zip-v2");
    return Reply(200, R"({"status":"ok","message":"","data":{"tasks":[]}})");
  });
  ServerTestdataSource source(api);
  ASSERT_OK_AND_ASSIGN(TestdataDownload d, source.DownloadVersion(5, 2, checksum, {}));
  EXPECT_EQ(d.zip, "zip-v2");
  EXPECT_EQ(d.meta_json, meta);
  ASSERT_EQ(http.requests().size(), 2u);
  EXPECT_EQ(http.requests()[0].url, "http://judge.test/problem/5/testdata?version=2");
  EXPECT_EQ(http.requests()[1].url, "http://judge.test/problem/5/meta?version=2");
  // Not the bytes the payload named, or a version the server no longer keeps: the caller falls
  // back to the current testdata (kFailedPrecondition), never judges with a mismatch.
  EXPECT_THAT(source.DownloadVersion(5, 2, "0123456789abcdef0123456789abcdef", {}),
              StatusIs(ErrorCode::kFailedPrecondition));
  http.SetHandler([](const auto&) { return Reply(404, R"({"error":"no such version"})"); });
  EXPECT_THAT(source.DownloadVersion(5, 1, checksum, {}), StatusIs(ErrorCode::kFailedPrecondition));
}

TEST_F(ApiFixture, CodeDownloadHasNoAuthHeader) {
  http.SetHandler([](const auto&) { return Reply(200, "zipbytes"); });
  ASSERT_OK_AND_ASSIGN(std::string zip, api.DownloadCode("http://h/code?sig=1", {}));
  EXPECT_EQ(zip, "zipbytes");
  EXPECT_TRUE(http.requests()[0].headers.empty());
}

TEST_F(ApiFixture, JobIdsAreEscapedInPaths) {
  http.SetHandler([](const auto&) { return Reply(202); });
  EXPECT_OK(api.Abort("jb/../x", "drain", {}));
  EXPECT_EQ(http.requests()[0].url, "http://judge.test/runners/rn_1/jobs/jb%2F..%2Fx/abort");
}

TEST(StatusFromHttp, MapsByRetrySemantics) {
  EXPECT_OK(StatusFromHttp(204, "", "x"));
  EXPECT_THAT(StatusFromHttp(400, "", "x"), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(StatusFromHttp(401, "", "x"), StatusIs(ErrorCode::kUnauthenticated));
  EXPECT_THAT(StatusFromHttp(404, "", "x"), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(StatusFromHttp(409, "", "x"), StatusIs(ErrorCode::kAborted));
  EXPECT_THAT(StatusFromHttp(500, "", "x"), StatusIs(ErrorCode::kUnavailable));
  EXPECT_THAT(StatusFromHttp(429, "", "x"), StatusIs(ErrorCode::kUnavailable));
  EXPECT_THAT(
      StatusFromHttp(400, R"({"status":"err","message":"task 1 has 2 cases","data":null})", "x")
          .message(),
      ::testing::HasSubstr("task 1 has 2 cases"));
}

TEST(Register, ReadsTopLevelOrData) {
  for (std::string body :
       {std::string(R"({"runner_id":"rn_a","token":"rk_b","config":{"heartbeat_interval_sec":5,)"
                    R"("poll_interval_sec":1,"max_concurrent_jobs":3}})"),
        std::string(
            R"({"status":"ok","data":{"runner_id":"rn_a","token":"rk_b","config":)"
            R"({"heartbeat_interval_sec":5,"poll_interval_sec":1,"max_concurrent_jobs":3}}})")}) {
    FakeHttpClient http([&](const auto&) { return Reply(201, body); });
    ASSERT_OK_AND_ASSIGN(Registration reg,
                         Register(http, "http://j/", "secret", "judge-1", "", {}, {}));
    EXPECT_EQ(reg.runner_id, "rn_a");
    EXPECT_EQ(reg.token, "rk_b");
    EXPECT_EQ(reg.config.heartbeat_interval_sec, 5);
    EXPECT_EQ(reg.config.poll_interval_sec, 1);
    EXPECT_EQ(reg.config.max_concurrent_jobs, 3);
    EXPECT_EQ(http.requests()[0].url, "http://j/runners/register");
    EXPECT_EQ(http.requests()[0].body,
              R"({"registration_token":"secret","name":"judge-1","languages":[0,1,2],)"
              R"("features":[]})");
  }
}

TEST(Register, SendsTheSandboxProtectionsWhenKnown) {
  FakeHttpClient http(
      [](const auto&) { return Reply(201, R"({"runner_id":"rn_a","token":"rk_b"})"); });
  ASSERT_OK(Register(http, "http://j", "s", "n", "cgroup-mem=v2 ns=pid,mnt seccomp=yes", {}, {}));
  EXPECT_EQ(
      http.requests()[0].body,
      R"({"registration_token":"s","name":"n","sandbox":"cgroup-mem=v2 ns=pid,mnt seccomp=yes",)"
      R"("languages":[0,1,2],"features":[]})");
}

// docs/runner.md "Times you can trust": the speed measured at start, only when measured.
TEST(Register, SendsTheSpeedScoreWhenMeasured) {
  FakeHttpClient http(
      [](const auto&) { return Reply(201, R"({"runner_id":"rn_a","token":"rk_b"})"); });
  ASSERT_OK(Register(http, "http://j", "s", "n", "", {}, {}, 1.5));
  EXPECT_EQ(http.requests()[0].body, R"({"registration_token":"s","name":"n","languages":[0,1,2],)"
                                     R"("features":[],"speed_score":1.5E0})");
  ASSERT_OK(Register(http, "http://j", "s", "n", "", {}, {}));
  EXPECT_THAT(http.requests()[1].body, ::testing::Not(::testing::HasSubstr("speed_score")));
}

// judging.md §5: the server hands it only jobs of these languages that need no other feature.
TEST(Register, SendsTheLanguagesAndFeaturesItCanJudge) {
  FakeHttpClient http(
      [](const auto&) { return Reply(201, R"({"runner_id":"rn_a","token":"rk_b"})"); });
  const api::RunnerCapabilities caps{{0, 1, 2}, api::kFeatureChecker | api::kFeatureFileIo};
  ASSERT_OK(Register(http, "http://j", "s", "n", "", caps, {}));
  EXPECT_EQ(http.requests()[0].body, R"({"registration_token":"s","name":"n","languages":[0,1,2],)"
                                     R"("features":["checker","fileio"]})");
}

TEST(Register, MissingConfigUsesDefaults) {
  FakeHttpClient http(
      [](const auto&) { return Reply(201, R"({"runner_id":"rn_a","token":"rk_b"})"); });
  ASSERT_OK_AND_ASSIGN(Registration reg, Register(http, "http://j", "s", "n", "", {}, {}));
  EXPECT_EQ(reg.config.heartbeat_interval_sec, 15);
  EXPECT_EQ(reg.config.max_concurrent_jobs, 8);
}

}  // namespace
}  // namespace noj::runner

// The runner protocol's small bodies (protocol.md §2.1, 2.2, 2.5) and the envelopes (§1): each
// body's serialized text pinned (key order is part of the contract), round trips, every refusal.

#include "api/runner_bodies.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/envelope.h"

namespace noj::api {
namespace {

using ::testing::ElementsAre;

bj::object Obj(std::string_view text) { return bj::parse(text).as_object(); }
std::string Text(const bj::value& v) { return bj::serialize(v); }

TEST(RegisterRequestCodec, TextIsPinned) {
  RegisterRequest r{
      .registration_token = "secret", .name = "judge-1", .sandbox = "", .capabilities = {}};
  EXPECT_EQ(
      Text(RegisterRequestToJson(r)),
      R"({"registration_token":"secret","name":"judge-1","languages":[0,1,2],"features":[]})");
  r.sandbox = "seccomp=on";
  r.capabilities.languages = {0, 1, 2, 4};
  r.capabilities.features = FeaturesFromNames({"checker"}).value();
  EXPECT_EQ(Text(RegisterRequestToJson(r)),
            R"({"registration_token":"secret","name":"judge-1","sandbox":"seccomp=on",)"
            R"("languages":[0,1,2,4],"features":["checker"]})");
}

TEST(RegisterRequestCodec, RoundTrip) {
  RegisterRequest r{.registration_token = "t", .name = "n", .sandbox = "s", .capabilities = {}};
  r.capabilities.languages = {1, 5};
  auto back = RegisterRequestFromJson(RegisterRequestToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->registration_token, "t");
  EXPECT_EQ(back->name, "n");
  EXPECT_EQ(back->sandbox, "s");
  EXPECT_EQ(back->capabilities, r.capabilities);
}

TEST(RegisterRequestCodec, DefaultsOfNormalOjsRunner) {
  auto r = RegisterRequestFromJson(Obj(R"({"registrationToken":"t","name":""})"));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->registration_token, "t");
  EXPECT_EQ(r->name, "unnamed");
  EXPECT_EQ(r->sandbox, "");
  EXPECT_EQ(r->capabilities, RunnerCapabilities{});
  // A sandbox field that is not a string is someone else's extension: ignored.
  auto other = RegisterRequestFromJson(Obj(R"({"registration_token":"t","sandbox":{"x":1}})"));
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->sandbox, "");
}

TEST(RegisterRequestCodec, Refusals) {
  EXPECT_EQ(RegistrationTokenFromJson(Obj("{}")).status().message(),
            "missing field 'registration_token'");
  EXPECT_EQ(RegistrationTokenFromJson(Obj(R"({"registration_token":1})")).status().message(),
            "registration_token: must be a string");
  EXPECT_EQ(
      RegisterRequestFromJson(Obj(R"({"registration_token":"t","name":5})")).status().message(),
      "name: must be a string");
  std::string long_name = R"({"registration_token":"t","name":")" + std::string(129, 'n') + "\"}";
  EXPECT_EQ(RegisterRequestFromJson(Obj(long_name)).status().message(),
            "name: must be at most 128 characters");
  EXPECT_THAT(RegisterRequestFromJson(Obj(R"({"registration_token":"t","languages":"0,1"})"))
                  .status()
                  .message(),
              ::testing::HasSubstr("languages must be an array"));
}

TEST(RegisterRequestCodec, SpeedScoreIsOptionalAndChecked) {
  RegisterRequest r{.registration_token = "t", .name = "n", .sandbox = "", .capabilities = {}};
  r.speed_score = 1.25;
  EXPECT_EQ(Text(RegisterRequestToJson(r)),
            R"({"registration_token":"t","name":"n","languages":[0,1,2],"features":[],)"
            R"("speed_score":1.25E0})");
  auto back = RegisterRequestFromJson(RegisterRequestToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->speed_score, 1.25);
  for (const char* absent :
       {R"({"registration_token":"t"})", R"({"registration_token":"t","speed_score":null})"}) {
    auto got = RegisterRequestFromJson(Obj(absent));
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(got->speed_score, std::nullopt);
  }
  auto integer = RegisterRequestFromJson(Obj(R"({"registration_token":"t","speed_score":2})"));
  ASSERT_TRUE(integer.ok());
  EXPECT_EQ(integer->speed_score, 2.0);
  EXPECT_EQ(RegisterRequestFromJson(Obj(R"({"registration_token":"t","speed_score":"1"})"))
                .status()
                .message(),
            "speed_score: must be a number");
  for (const char* bad : {"0", "-1", "1e7"}) {
    std::string body = R"({"registration_token":"t","speed_score":)" + std::string(bad) + "}";
    EXPECT_EQ(RegisterRequestFromJson(Obj(body)).status().message(),
              "speed_score: must be a positive number of at most 1000000")
        << bad;
  }
}

TEST(RegisterResponseCodec, TextIsPinnedInsideTheRunnerEnvelope) {
  RegisterResponse r{.runner_id = "rn_1", .token = "rk_2", .config = {15, 3, 8}};
  EXPECT_EQ(Text(RegisterResponseToJson(r)),
            R"({"runner_id":"rn_1","token":"rk_2","config":{"heartbeat_interval_sec":15,)"
            R"("poll_interval_sec":3,"max_concurrent_jobs":8}})");
  EXPECT_EQ(Text(RunnerEnvelope(RegisterResponseToJson(r))),
            R"({"runner_id":"rn_1","token":"rk_2","config":{"heartbeat_interval_sec":15,)"
            R"("poll_interval_sec":3,"max_concurrent_jobs":8},"status":"ok","message":"",)"
            R"("data":{"runner_id":"rn_1","token":"rk_2","config":{"heartbeat_interval_sec":15,)"
            R"("poll_interval_sec":3,"max_concurrent_jobs":8}}})");
}

TEST(RegisterResponseCodec, ReadsTopLevelOrDataWithLenientConfig) {
  RegisterResponse r{.runner_id = "rn_1", .token = "rk_2", .config = {20, 5, 2}};
  auto back = RegisterResponseFromJson(RunnerEnvelope(RegisterResponseToJson(r)));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->runner_id, "rn_1");
  EXPECT_EQ(back->token, "rk_2");
  EXPECT_EQ(back->config, r.config);
  auto wrapped = RegisterResponseFromJson(
      Obj(R"({"data":{"runner_id":"rn_9","token":"rk_9","config":{"heartbeat_interval_sec":0,)"
          R"("poll_interval_sec":"3","max_concurrent_jobs":2.0}}})"));
  ASSERT_TRUE(wrapped.ok());
  EXPECT_EQ(wrapped->runner_id, "rn_9");
  EXPECT_EQ(wrapped->config, (RunnerConfig{15, 3, 2}));
}

TEST(RegisterResponseCodec, RefusesAReplyWithoutIdOrToken) {
  EXPECT_EQ(RegisterResponseFromJson(Obj(R"({"token":"rk"})")).status().message(),
            "runner_id: must be a non-empty string");
  EXPECT_EQ(RegisterResponseFromJson(Obj(R"({"runner_id":"rn","token":""})")).status().message(),
            "token: must be a non-empty string");
}

TEST(HeartbeatCodec, TextIsPinned) {
  EXPECT_EQ(Text(HeartbeatRequestToJson({.active_job_ids = {"jb_1", "jb_2"}, .want_hints = true})),
            R"({"active_job_ids":["jb_1","jb_2"],"want_hints":true})");
  EXPECT_EQ(Text(HeartbeatRequestToJson({})), R"({"active_job_ids":[],"want_hints":false})");
  EXPECT_EQ(Text(RunnerEnvelope(HeartbeatResponseToJson({.cancel = {"jb_1"}}))),
            R"({"cancel":["jb_1"],"status":"ok","message":"","data":{"cancel":["jb_1"]}})");
}

TEST(HeartbeatCodec, RequestRoundTripAndDefaults) {
  auto back = HeartbeatRequestFromJson(HeartbeatRequestToJson({{"jb_1"}, true}));
  ASSERT_TRUE(back.ok());
  EXPECT_THAT(back->active_job_ids, ElementsAre("jb_1"));
  EXPECT_TRUE(back->want_hints);
  auto empty = HeartbeatRequestFromJson(Obj("{}"));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->active_job_ids.empty());
  EXPECT_FALSE(empty->want_hints);
  auto camel = HeartbeatRequestFromJson(Obj(R"({"activeJobIds":["jb_3"],"wantHints":true})"));
  ASSERT_TRUE(camel.ok());
  EXPECT_THAT(camel->active_job_ids, ElementsAre("jb_3"));
  EXPECT_TRUE(camel->want_hints);
}

TEST(HeartbeatCodec, RequestRefusals) {
  EXPECT_EQ(HeartbeatRequestFromJson(Obj(R"({"active_job_ids":{}})")).status().message(),
            "active_job_ids: must be an array of job ids");
  EXPECT_EQ(HeartbeatRequestFromJson(Obj(R"({"active_job_ids":[null]})")).status().message(),
            "active_job_ids: must be an array of job ids");
  EXPECT_EQ(HeartbeatRequestFromJson(Obj(R"({"want_hints":"yes"})")).status().message(),
            "want_hints: must be true or false");
  bj::array many;
  for (size_t i = 0; i <= kMaxJobsPerHeartbeat; ++i) many.emplace_back("jb");
  EXPECT_EQ(HeartbeatRequestFromJson(bj::object{{"active_job_ids", many}}).status().message(),
            "active_job_ids: lists more than 1024 items");
}

TEST(HeartbeatCodec, HintsAreAdvisory) {
  EXPECT_THAT(HeartbeatResponseFromJson(Obj(R"({"data":{"cancel":["jb_1",2,"jb_3"]}})")).cancel,
              ElementsAre("jb_1", "jb_3"));
  EXPECT_TRUE(HeartbeatResponseFromJson(Obj(R"({"cancel":"jb_1"})")).cancel.empty());
  EXPECT_TRUE(HeartbeatResponseFromJson(Obj("{}")).cancel.empty());
}

TEST(AbortCodec, TextRoundTripAndRefusals) {
  EXPECT_EQ(Text(AbortRequestToJson({.reason = "drain"})), R"({"reason":"drain"})");
  EXPECT_EQ(AbortRequestFromJson(AbortRequestToJson({"prep_failed"}))->reason, "prep_failed");
  EXPECT_EQ(AbortRequestFromJson(Obj("{}"))->reason, "");
  EXPECT_EQ(AbortRequestFromJson(Obj(R"({"reason":{}})")).status().message(),
            "reason: must be a string");
  bj::object long_reason{{"reason", std::string(1025, 'r')}};
  EXPECT_EQ(AbortRequestFromJson(long_reason).status().message(),
            "reason: must be at most 1024 characters");
}

TEST(Envelope, ErrorEnvelopeTextAndMessage) {
  EXPECT_EQ(Text(ErrorEnvelope("no such job")),
            R"({"status":"err","message":"no such job","data":null})");
  EXPECT_EQ(Text(ErrorEnvelope("bad", bj::object{{"extra", bj::array{"a"}}})),
            R"({"status":"err","message":"bad","data":{"extra":["a"]}})");
  EXPECT_EQ(ErrorEnvelopeMessage(Text(ErrorEnvelope("task 1 has 2 cases"))), "task 1 has 2 cases");
  EXPECT_EQ(ErrorEnvelopeMessage("<html>\nBad Gateway"), "<html> Bad Gateway");
  EXPECT_EQ(ErrorEnvelopeMessage(std::string(300, 'x')).size(), 200u);
}

TEST(Envelope, FieldsAtTheTopLevelFirstThenUnderData) {
  bj::object body = Obj(R"({"job_id":null,"jobId2":1,"data":{"job_id":"jb_d","only":"d"}})");
  ASSERT_NE(EnvelopeField(body, "job_id"), nullptr);
  EXPECT_EQ(EnvelopeField(body, "job_id")->as_string(), "jb_d");
  EXPECT_EQ(EnvelopeField(body, "only")->as_string(), "d");
  EXPECT_EQ(EnvelopeField(body, "absent"), nullptr);
  bj::object top = Obj(R"({"job_id":"jb_t","data":{"job_id":"jb_d"}})");
  EXPECT_EQ(EnvelopeField(top, "job_id")->as_string(), "jb_t");
  EXPECT_EQ(&EnvelopePayload(top, "job_id"), &top);
  bj::object wrapped = Obj(R"({"status":"ok","data":{"job_id":"jb_d"}})");
  EXPECT_EQ(EnvelopePayload(wrapped, "job_id").at("job_id").as_string(), "jb_d");
}

}  // namespace
}  // namespace noj::api

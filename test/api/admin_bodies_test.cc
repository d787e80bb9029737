// The client API's operations bodies (protocol.md §5): GET /runners, DELETE /runners/{rn},
// GET /queue, GET /healthz — text pinned as nojd wrote it before the bodies moved to api/, round
// trips, and every refusal nojctl can meet reading them.

#include "api/admin_bodies.h"

#include <gtest/gtest.h>

namespace noj::api {
namespace {

std::string AdminText(const bj::value& v) { return bj::serialize(v); }

RunnerView SampleRunner() {
  return RunnerView{.runner_id = "rn_a",
                    .name = "box-1",
                    .registered_at = 1000,
                    .last_seen = 2000,
                    .alive = true,
                    .active_jobs = {"jb_1", "jb_2"},
                    .sandbox = "seccomp",
                    .languages = {0, 1, 2, 4},
                    .features = {"checker", "fileio"},
                    .speed_score = 1.5};
}

QueueView SampleQueue() {
  QueueView q;
  q.pending[0] = 1;
  q.pending[1] = 2;
  q.pending[2] = 3;
  q.leased = 4;
  q.oldest_pending_age_ms = 5;
  q.reclaimed_total = 6;
  q.judge_error_total = 7;
  q.results_total = 8;
  q.classes.push_back(QueueClassView{.key = "1:1",
                                     .label = "C++ + checker",
                                     .language = 1,
                                     .features = {"checker"},
                                     .pending = 2,
                                     .oldest_pending_age_ms = 5,
                                     .runners_able = 0});
  return q;
}

TEST(RunnersViewCodec, TextIsPinned) {
  EXPECT_EQ(AdminText(RunnersViewToJson({SampleRunner()})),
            R"([{"runner_id":"rn_a","name":"box-1","registered_at":1000,"last_seen":2000,)"
            R"("alive":true,"active_jobs":["jb_1","jb_2"],"sandbox":"seccomp",)"
            R"("languages":[0,1,2,4],"features":["checker","fileio"],"speed_score":1.5E0}])");
  EXPECT_EQ(AdminText(RunnersViewToJson({})), "[]");
  RunnerView empty{.runner_id = "rn_b", .name = "unnamed"};
  EXPECT_EQ(AdminText(RunnerViewToJson(empty)),
            R"({"runner_id":"rn_b","name":"unnamed","registered_at":0,"last_seen":0,)"
            R"("alive":false,"active_jobs":[],"sandbox":"","languages":[],"features":[],)"
            R"("speed_score":null})");
}

TEST(RunnersViewCodec, RoundTripAndAnOlderServer) {
  auto back = RunnersViewFromJson(RunnersViewToJson({SampleRunner(), SampleRunner()}));
  ASSERT_TRUE(back.ok()) << back.status().message();
  ASSERT_EQ(back->size(), 2u);
  const RunnerView& r = (*back)[1];
  EXPECT_EQ(r.runner_id, "rn_a");
  EXPECT_EQ(r.name, "box-1");
  EXPECT_EQ(r.registered_at, 1000);
  EXPECT_EQ(r.last_seen, 2000);
  EXPECT_TRUE(r.alive);
  EXPECT_EQ(r.active_jobs, (std::vector<std::string>{"jb_1", "jb_2"}));
  EXPECT_EQ(r.sandbox, "seccomp");
  EXPECT_EQ(r.languages, (std::vector<int>{0, 1, 2, 4}));
  EXPECT_EQ(r.features, (std::vector<std::string>{"checker", "fileio"}));
  EXPECT_EQ(r.speed_score, 1.5);
  // Before the extensions: no sandbox, languages or features; integers as 2.0 are integers.
  auto old = RunnersViewFromJson(bj::parse(
      R"([{"runnerId":"rn_c","name":"x","registered_at":2.0,"lastSeen":3,"alive":false}])"));
  ASSERT_TRUE(old.ok()) << old.status().message();
  EXPECT_EQ((*old)[0].runner_id, "rn_c");
  EXPECT_EQ((*old)[0].registered_at, 2);
  EXPECT_EQ((*old)[0].last_seen, 3);
  EXPECT_TRUE((*old)[0].active_jobs.empty());
  EXPECT_TRUE((*old)[0].languages.empty());
  EXPECT_EQ((*old)[0].speed_score, std::nullopt);
}

TEST(RunnersViewCodec, Refusals) {
  const std::string ok_head = R"({"runner_id":"rn_a","name":"n","registered_at":1,"last_seen":1)";
  struct Case {
    std::string body;
    std::string message;
  } cases[] = {
      {R"({})", "runners: must be an array"},
      {R"([1])", "[0]: must be an object"},
      {R"([{"name":"n","registered_at":1,"last_seen":1}])", "[0]: missing field 'runner_id'"},
      {R"([{"runner_id":1,"name":"n","registered_at":1,"last_seen":1}])",
       "[0].runner_id: must be a string"},
      {"[" + ok_head + R"(,"last_seen":1.5}])", "[0].last_seen: must be an integer"},
      {R"([{"runner_id":"rn_a","name":"n","registered_at":-1,"last_seen":1}])",
       "[0].registered_at: must not be negative"},
      {"[" + ok_head + R"(,"alive":"yes"}])", "[0].alive: must be true or false"},
      {"[" + ok_head + R"(,"active_jobs":[1]}])", "[0].active_jobs: must be an array of job ids"},
      {"[" + ok_head + R"(,"sandbox":7}])", "[0].sandbox: must be a string"},
      {"[" + ok_head + R"(,"languages":[1,64]}])",
       "[0].languages: must be an array of language codes"},
      {"[" + ok_head + R"(,"languages":"1"}])",
       "[0].languages: must be an array of language codes"},
      {"[" + ok_head + R"(,"features":[true]}])",
       "[0].features: must be an array of feature names"},
  };
  for (const Case& c : cases) {
    auto r = RunnersViewFromJson(bj::parse(c.body));
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), c.message) << c.body;
  }
}

TEST(RevokeResponseCodec, TextRoundTripAndRefusal) {
  EXPECT_EQ(AdminText(RevokeResponseToJson({.runner_id = "rn_a"})),
            R"({"runner_id":"rn_a","revoked":true})");
  auto back = RevokeResponseFromJson(RevokeResponseToJson({.runner_id = "rn_a"}));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->runner_id, "rn_a");
  EXPECT_TRUE(back->revoked);
  auto bad = RevokeResponseFromJson(bj::parse(R"({"revoked":true})").as_object());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "missing field 'runner_id'");
}

TEST(QueueViewCodec, TextIsPinned) {
  EXPECT_EQ(AdminText(QueueViewToJson(SampleQueue())),
            R"({"pending":{"0":1,"1":2,"2":3},"pending_total":6,"leased":4,)"
            R"("oldest_pending_age_ms":5,"reclaimed_total":6,"judge_error_total":7,)"
            R"("results_total":8,"classes":[{"key":"1:1","label":"C++ + checker","language":1,)"
            R"("features":["checker"],"pending":2,"oldest_pending_age_ms":5,"runners_able":0}]})");
  EXPECT_EQ(AdminText(QueueViewToJson(QueueView{})),
            R"({"pending":{"0":0,"1":0,"2":0},"pending_total":0,"leased":0,)"
            R"("oldest_pending_age_ms":0,"reclaimed_total":0,"judge_error_total":0,)"
            R"("results_total":0,"classes":[]})");
}

TEST(QueueViewCodec, RoundTripAndAnOlderServer) {
  auto back = QueueViewFromJson(QueueViewToJson(SampleQueue()));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(AdminText(QueueViewToJson(*back)), AdminText(QueueViewToJson(SampleQueue())));
  EXPECT_EQ(back->PendingTotal(), 6);
  ASSERT_EQ(back->classes.size(), 1u);
  EXPECT_EQ(back->classes[0].label, "C++ + checker");
  // No classes (before judging.md §5), camelCase spellings.
  auto old = QueueViewFromJson(bj::parse(R"({"pending":{"0":0,"1":1,"2":0},"leased":0,)"
                                         R"("oldestPendingAgeMs":9,"reclaimedTotal":0,)"
                                         R"("judgeErrorTotal":0,"resultsTotal":1e3})")
                                   .as_object());
  ASSERT_TRUE(old.ok()) << old.status().message();
  EXPECT_EQ(old->pending[1], 1);
  EXPECT_EQ(old->oldest_pending_age_ms, 9);
  EXPECT_EQ(old->results_total, 1000);
  EXPECT_TRUE(old->classes.empty());
}

TEST(QueueViewCodec, Refusals) {
  const std::string rest =
      R"("leased":0,"oldest_pending_age_ms":0,"reclaimed_total":0,"judge_error_total":0,)"
      R"("results_total":0)";
  const std::string pending = R"("pending":{"0":0,"1":0,"2":0},)";
  struct Case {
    std::string body;
    std::string message;
  } cases[] = {
      {"{" + rest + "}", "missing field 'pending'"},
      {R"({"pending":[0,0,0],)" + rest + "}", "pending: must be an object"},
      {R"({"pending":{"0":0,"2":0},)" + rest + "}", "pending: missing field '1'"},
      {R"({"pending":{"0":0,"1":"3","2":0},)" + rest + "}", "pending.1: must be an integer"},
      {"{" + pending +
           R"("oldest_pending_age_ms":0,"reclaimed_total":0,"judge_error_total":0,)"
           R"("results_total":0})",
       "missing field 'leased'"},
      {"{" + pending +
           R"("leased":-1,"oldest_pending_age_ms":0,"reclaimed_total":0,)"
           R"("judge_error_total":0,"results_total":0})",
       "leased: must not be negative"},
      {"{" + pending + rest + R"(,"classes":{}})", "classes: must be an array"},
      {"{" + pending + rest + R"(,"classes":[3]})", "classes[0]: must be an object"},
      {"{" + pending + rest +
           R"(,"classes":[{"key":"1:0","label":"C++","language":64,)"
           R"("pending":1,"oldest_pending_age_ms":0,"runners_able":0}]})",
       "classes[0].language: must be between 0 and 63"},
      {"{" + pending + rest +
           R"(,"classes":[{"key":"1:0","label":"C++","language":1,)"
           R"("pending":1,"oldest_pending_age_ms":0}]})",
       "classes[0]: missing field 'runners_able'"},
  };
  for (const Case& c : cases) {
    auto r = QueueViewFromJson(bj::parse(c.body).as_object());
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), c.message) << c.body;
  }
}

TEST(HealthResponseCodec, TextIsPinned) {
  EXPECT_EQ(AdminText(HealthResponseToJson()), R"({"status":"ok"})");
}

}  // namespace
}  // namespace noj::api

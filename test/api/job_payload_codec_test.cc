#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "api/codec.h"
#include "common/json_util.h"

namespace noj::api {
namespace {

using ::testing::HasSubstr;

bj::object O(std::string_view text) { return bj::parse(text).as_object(); }

JobPayload SamplePayload() {
  JobPayload p;
  p.job_id = "jb_01HZZZZZZZZZZZZZZZZZZZZZZZ";
  p.submission_id = "sn_01HZZZZZZZZZZZZZZZZZZZZZZZ";
  p.problem_id = 42;
  p.language = Language::kCpp;
  p.attempt = 2;
  p.code_url = "http://host/code/sn_x?exp=1&sig=abc";
  p.tasks = {{40, 3, 65536, 1000}, {60, 1, 262144, 2000}};
  return p;
}

TEST(JobPayloadCodec, ToJsonHasTheProtocolShape) {
  bj::object o = JobPayloadToJson(SamplePayload());
  std::vector<std::string> keys;
  for (const auto& kv : o) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"job_id", "submission_id", "problem_id", "language",
                                            "attempt", "code_url", "checker", "tasks"}));
  EXPECT_TRUE(o.at("checker").is_null());
  EXPECT_EQ(o.at("language").as_int64(), 1);
  EXPECT_EQ(o.at("problem_id").as_int64(), 42);
  const bj::array& tasks = o.at("tasks").as_array();
  ASSERT_EQ(tasks.size(), 2u);
  EXPECT_EQ(json::Dump(tasks[1]),
            R"({"taskScore":60,"caseCount":1,"memoryLimit":262144,"timeLimit":2000,)"
            R"("task_id":1,"case_count":1,"memory_limit":262144,"time_limit":2000})");
}

TEST(JobPayloadCodec, RoundTrips) {
  auto p = JobPayloadFromJson(JobPayloadToJson(SamplePayload()));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(*p, SamplePayload());
}

TEST(JobPayloadCodec, ReadsPayloadWrappedInData) {
  bj::object body;
  body["status"] = "ok";
  body["message"] = "";
  body["data"] = JobPayloadToJson(SamplePayload());
  auto p = JobPayloadFromJson(body);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(*p, SamplePayload());
}

TEST(JobPayloadCodec, PrefersTopLevelOverData) {
  bj::object body = JobPayloadToJson(SamplePayload());
  JobPayload other = SamplePayload();
  other.job_id = "jb_other";
  body["data"] = JobPayloadToJson(other);
  auto p = JobPayloadFromJson(body);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->job_id, SamplePayload().job_id);
}

TEST(JobPayloadCodec, ReadsSnakeCaseOnlyTasksOfOlderPayloads) {
  // The seed's payload: snake_case tasks without taskScore, no attempt.
  auto p = JobPayloadFromJson(O(R"({"job_id":"jb_1","submission_id":"sub_1","problem_id":42,
      "language":2,"code_url":"http://h/c","checker":"print 1",
      "tasks":[{"task_id":0,"case_count":3,"memory_limit":65536,"time_limit":1000}]})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->language, Language::kPython3);
  EXPECT_EQ(p->attempt, 0);
  EXPECT_EQ(p->tasks, (TaskSpecs{{0, 3, 65536, 1000}}));
}

TEST(JobPayloadCodec, ReadsCamelCaseOnlyTasks) {
  auto p = JobPayloadFromJson(O(R"({"jobId":"jb_1","submissionId":"sn_1","problemId":7,
      "language":0,"attempt":1,"codeUrl":"http://h/c",
      "tasks":[{"taskScore":100,"caseCount":2,"memoryLimit":2048,"timeLimit":500}]})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->job_id, "jb_1");
  EXPECT_EQ(p->tasks, (TaskSpecs{{100, 2, 2048, 500}}));
}

struct BadPayload {
  const char* json;
  const char* message;
};

TEST(JobPayloadCodec, RejectsMalformedPayloads) {
  const std::string tasks =
      R"("tasks":[{"taskScore":100,"caseCount":2,"memoryLimit":2048,"timeLimit":500}])";
  const std::string base = R"("submission_id":"sn_1","problem_id":7,"language":1,"code_url":"u",)";
  const BadPayload cases[] = {
      {"{}", "missing field 'job_id'"},
      {R"({"data":{}})", "missing field 'job_id'"},
      {R"({"data":[1]})", "missing field 'job_id'"},
      {R"({"job_id":5})", "job_id: must be a string"},
      {R"({"job_id":""})", "job_id: must be a non-empty id"},
      {R"({"job_id":"../../x"})", "job_id: must be a non-empty id"},
      {R"({"job_id":"jb_1","submission_id":"sn_1","problem_id":0})", "problem_id"},
      {R"({"job_id":"jb_1","submission_id":"sn_1","problem_id":"7"})",
       "problem_id: must be an integer"},
      {R"({"job_id":"jb_1","submission_id":"sn_1","problem_id":7,"language":3})",
       "language: unknown language 3"},
      {R"({"job_id":"jb_1","submission_id":"sn_1","problem_id":7,"language":1,"attempt":-1})",
       "attempt: must not be negative"},
      {R"({"job_id":"jb_1","submission_id":"sn_1","problem_id":7,"language":1})",
       "missing field 'code_url'"},
      {R"({"job_id":"jb_1","submission_id":"sn_1","problem_id":7,"language":1,"code_url":""})",
       "code_url: must not be empty"},
      {R"({"job_id":"jb_1","submission_id":"sn_1","problem_id":7,"language":1,"code_url":"u"})",
       "missing field 'tasks'"},
  };
  for (const BadPayload& c : cases) {
    auto p = JobPayloadFromJson(O(c.json));
    ASSERT_FALSE(p.ok()) << c.json;
    EXPECT_EQ(p.status().code(), ErrorCode::kInvalidArgument) << c.json;
    EXPECT_THAT(p.status().message(), HasSubstr(c.message)) << c.json;
  }
  for (const char* bad_tasks : {R"("tasks":{})", R"("tasks":[])", R"("tasks":[{"caseCount":2}])"}) {
    std::string text = R"({"job_id":"jb_1",)" + base + bad_tasks + "}";
    auto p = JobPayloadFromJson(O(text));
    ASSERT_FALSE(p.ok()) << text;
    EXPECT_THAT(p.status().message(), HasSubstr("tasks")) << text;
  }
  std::string good = R"({"job_id":"jb_1",)" + base + tasks + "}";
  EXPECT_TRUE(JobPayloadFromJson(O(good)).ok()) << good;
}

}  // namespace
}  // namespace noj::api

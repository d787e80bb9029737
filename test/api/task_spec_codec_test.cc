#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "api/codec.h"
#include "common/json_util.h"

namespace noj::api {
namespace {

using ::testing::HasSubstr;

bj::value J(std::string_view text) { return bj::parse(text); }

std::vector<std::string> Keys(const bj::object& o) {
  std::vector<std::string> keys;
  for (const auto& kv : o) keys.emplace_back(kv.key());
  return keys;
}

TEST(TaskSpecCodec, MetaJsonHasExactKeyOrder) {
  bj::object o = TaskSpecToMetaJson({100, 3, 65536, 1000});
  EXPECT_EQ(Keys(o),
            (std::vector<std::string>{"taskScore", "caseCount", "memoryLimit", "timeLimit"}));
  EXPECT_EQ(json::PythonDumps(o),
            R"({"taskScore": 100, "caseCount": 3, "memoryLimit": 65536, "timeLimit": 1000})");
}

TEST(TaskSpecCodec, PayloadJsonHasBothSpellings) {
  bj::object o = TaskSpecToPayloadJson({40, 2, 131072, 2000}, 1);
  EXPECT_EQ(Keys(o),
            (std::vector<std::string>{"taskScore", "caseCount", "memoryLimit", "timeLimit",
                                      "task_id", "case_count", "memory_limit", "time_limit"}));
  EXPECT_EQ(json::Dump(o),
            R"({"taskScore":40,"caseCount":2,"memoryLimit":131072,"timeLimit":2000,)"
            R"("task_id":1,"case_count":2,"memory_limit":131072,"time_limit":2000})");
}

TEST(TaskSpecCodec, FromJsonAcceptsCamelCase) {
  auto t = TaskSpecFromJson(
      J(R"({"taskScore":100,"caseCount":3,"memoryLimit":65536,"timeLimit":1000})"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, (TaskSpec{100, 3, 65536, 1000}));
}

TEST(TaskSpecCodec, FromJsonAcceptsSnakeCase) {
  auto t = TaskSpecFromJson(
      J(R"({"task_score":100,"case_count":3,"memory_limit":65536,"time_limit":1000})"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, (TaskSpec{100, 3, 65536, 1000}));
}

TEST(TaskSpecCodec, FromJsonRoundTripsMetaJson) {
  TaskSpec spec{25, 99, 4 * 1024 * 1024, 60000};
  auto t = TaskSpecFromJson(TaskSpecToMetaJson(spec));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, spec);
}

struct BadSpec {
  const char* json;
  const char* message;
};

TEST(TaskSpecCodec, FromJsonRejectsBadSpecsNamingTheField) {
  const BadSpec cases[] = {
      {R"([])", "must be an object"},
      {R"({"caseCount":3,"memoryLimit":65536,"timeLimit":1000})", "missing field 'taskScore'"},
      {R"({"taskScore":101,"caseCount":3,"memoryLimit":65536,"timeLimit":1000})", "taskScore"},
      {R"({"taskScore":-1,"caseCount":3,"memoryLimit":65536,"timeLimit":1000})", "taskScore"},
      {R"({"taskScore":"100","caseCount":3,"memoryLimit":65536,"timeLimit":1000})",
       "taskScore: must be an integer"},
      {R"({"taskScore":100,"caseCount":0,"memoryLimit":65536,"timeLimit":1000})", "caseCount"},
      {R"({"taskScore":100,"caseCount":100,"memoryLimit":65536,"timeLimit":1000})", "caseCount"},
      {R"({"taskScore":100,"caseCount":1.5,"memoryLimit":65536,"timeLimit":1000})",
       "caseCount: must be an integer"},
      {R"({"taskScore":100,"caseCount":3,"memoryLimit":1023,"timeLimit":1000})", "memoryLimit"},
      {R"({"taskScore":100,"caseCount":3,"memoryLimit":4194305,"timeLimit":1000})", "memoryLimit"},
      {R"({"taskScore":100,"caseCount":3,"memoryLimit":65536,"timeLimit":0})", "timeLimit"},
      {R"({"taskScore":100,"caseCount":3,"memoryLimit":65536,"timeLimit":60001})", "timeLimit"},
      {R"({"taskScore":100,"caseCount":3,"memoryLimit":65536,"timeLimit":1e300})", "timeLimit"},
      {R"({"taskScore":100,"caseCount":3,"memoryLimit":65536})", "missing field 'timeLimit'"},
  };
  for (const BadSpec& c : cases) {
    auto t = TaskSpecFromJson(J(c.json));
    ASSERT_FALSE(t.ok()) << c.json;
    EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument) << c.json;
    EXPECT_THAT(t.status().message(), HasSubstr(c.message)) << c.json;
  }
}

TEST(TaskSpecCodec, SpecsFromJsonAcceptsScoresSummingTo100) {
  auto t = TaskSpecsFromJson(J(R"([
      {"taskScore":40,"caseCount":2,"memoryLimit":65536,"timeLimit":1000},
      {"task_score":60,"case_count":1,"memory_limit":1024,"time_limit":1}])"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, (TaskSpecs{{40, 2, 65536, 1000}, {60, 1, 1024, 1}}));
}

TEST(TaskSpecCodec, SpecsFromJsonRejectsBadLists) {
  const BadSpec cases[] = {
      {R"({"tasks":[]})", "tasks: must be an array"},
      {R"([])", "tasks: must not be empty"},
      {R"([{"taskScore":90,"caseCount":2,"memoryLimit":65536,"timeLimit":1000}])",
       "sum to 90, expected 100"},
      {R"([{"taskScore":100,"caseCount":2,"memoryLimit":65536,"timeLimit":1000},
           {"taskScore":0,"caseCount":0,"memoryLimit":65536,"timeLimit":1000}])",
       "tasks[1].caseCount"},
      {R"([{"taskScore":100,"caseCount":2,"memoryLimit":65536,"timeLimit":1000}, 5])",
       "tasks[1]: must be an object"},
  };
  for (const BadSpec& c : cases) {
    auto t = TaskSpecsFromJson(J(c.json));
    ASSERT_FALSE(t.ok()) << c.json;
    EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument) << c.json;
    EXPECT_THAT(t.status().message(), HasSubstr(c.message)) << c.json;
  }
}

TEST(TaskSpecCodec, SpecsFromJsonAllowsAtMost99Tasks) {
  auto make = [](int n) {
    bj::array a;
    for (int i = 0; i < n; ++i) a.push_back(TaskSpecToMetaJson({i == 0 ? 100 : 0, 1, 65536, 1000}));
    return bj::value(std::move(a));
  };
  EXPECT_TRUE(TaskSpecsFromJson(make(99)).ok());
  auto t = TaskSpecsFromJson(make(100));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("99"));
}

}  // namespace
}  // namespace noj::api

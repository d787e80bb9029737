#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "api/codec.h"
#include "common/json_util.h"

namespace noj::api {
namespace {

using ::testing::HasSubstr;

SubmissionResult SampleResult() {
  SubmissionResult r;
  r.status = Verdict::kWA;
  r.score = 40;
  r.exec_time_ms = 120;
  r.memory_kib = 4096;
  r.tasks = {
      {Verdict::kAC, 40, 100, 4096, {{Verdict::kAC, 0, 100, 4096}, {Verdict::kAC, 0, 90, 2048}}},
      {Verdict::kWA, 0, 120, 1024, {{Verdict::kWA, 0, 120, 1024}, {Verdict::kRE, 139, 3, 512}}},
  };
  return r;
}

TEST(SubmissionResultCodec, ToJsonUsesIntegerCodesAndProtocolNames) {
  bj::object o = SubmissionResultToJson(SampleResult());
  EXPECT_EQ(json::Dump(o), R"({"status":1,"score":40,"execTime":120,"memoryUsage":4096,"tasks":[)"
                           R"({"status":0,"score":40,"execTime":100,"memoryUsage":4096,"cases":[)"
                           R"({"status":0,"execTime":100,"memoryUsage":4096,"exitCode":0},)"
                           R"({"status":0,"execTime":90,"memoryUsage":2048,"exitCode":0}]},)"
                           R"({"status":1,"score":0,"execTime":120,"memoryUsage":1024,"cases":[)"
                           R"({"status":1,"execTime":120,"memoryUsage":1024,"exitCode":0},)"
                           R"({"status":5,"execTime":3,"memoryUsage":512,"exitCode":139}]}]})");
}

TEST(SubmissionResultCodec, RoundTrips) {
  auto back = SubmissionResultFromJson(SubmissionResultToJson(SampleResult()));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, SampleResult());
}

TEST(SubmissionResultCodec, RoundTripsJudgeErrorWithoutTasks) {
  SubmissionResult je;
  je.status = Verdict::kJE;
  bj::object o = SubmissionResultToJson(je);
  EXPECT_EQ(json::Dump(o), R"({"status":6,"score":0,"execTime":0,"memoryUsage":0,"tasks":[]})");
  auto back = SubmissionResultFromJson(o);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, je);
}

TEST(SubmissionResultCodec, AcceptsSnakeCase) {
  auto r = SubmissionResultFromJson(bj::parse(
      R"({"status":0,"score":100,"exec_time":5,"memory_usage":6,"tasks":[{"status":0,"score":100,)"
      R"("exec_time":5,"memory_usage":6,"cases":[{"status":0,"exec_time":5,"memory_usage":6,"exit_code":0}]}]})"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->exec_time_ms, 5);
  EXPECT_EQ(r->tasks[0].cases[0].memory_kib, 6);
}

TEST(SubmissionResultCodec, RejectsMalformedResults) {
  const std::pair<const char*, const char*> cases[] = {
      {"[]", "must be a JSON object"},
      {R"({"score":0,"execTime":0,"memoryUsage":0,"tasks":[]})", "missing field 'status'"},
      {R"({"status":8,"score":0,"execTime":0,"memoryUsage":0,"tasks":[]})",
       "status: unknown status code 8"},
      {R"({"status":"AC","score":0,"execTime":0,"memoryUsage":0,"tasks":[]})",
       "status: must be an integer"},
      {R"({"status":0,"score":101,"execTime":0,"memoryUsage":0,"tasks":[]})", "score"},
      {R"({"status":0,"score":0,"execTime":-1,"memoryUsage":0,"tasks":[]})",
       "execTime: must not be negative"},
      {R"({"status":0,"score":0,"execTime":0,"memoryUsage":0})", "missing field 'tasks'"},
      {R"({"status":0,"score":0,"execTime":0,"memoryUsage":0,"tasks":{}})",
       "tasks: must be an array"},
      {R"({"status":0,"score":0,"execTime":0,"memoryUsage":0,"tasks":[1]})",
       "tasks[0]: must be an object"},
      {R"({"status":0,"score":0,"execTime":0,"memoryUsage":0,"tasks":[{"status":0,"score":0,)"
       R"("execTime":0,"memoryUsage":0}]})",
       "tasks[0]: missing field 'cases'"},
      {R"({"status":0,"score":0,"execTime":0,"memoryUsage":0,"tasks":[{"status":0,"score":0,)"
       R"("execTime":0,"memoryUsage":0,"cases":[{"status":-3,"execTime":0,"memoryUsage":0,"exitCode":0}]}]})",
       "tasks[0].cases[0].status: unknown status code -3"},
      {R"({"status":0,"score":0,"execTime":0,"memoryUsage":0,"tasks":[{"status":0,"score":0,)"
       R"("execTime":0,"memoryUsage":0,"cases":[{"status":0,"execTime":0,"memoryUsage":0}]}]})",
       "tasks[0].cases[0]: missing field 'exitCode'"},
  };
  for (const auto& [text, message] : cases) {
    auto r = SubmissionResultFromJson(bj::parse(text));
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << text;
    EXPECT_THAT(r.status().message(), HasSubstr(message)) << text;
  }
}

}  // namespace
}  // namespace noj::api

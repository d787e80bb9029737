// The problem bodies: POST /problems and its 201, GET /problems/{pid}, PUT /problems/{pid}, the
// answer of PUT /problems/{pid}/testdata, the 202 of POST /problems/{pid}/rejudge, and the next-job
// payload's version extensions. The texts pinned here are what nojd answered before the bodies
// moved to api/.

#include "api/problem_bodies.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "api/codec.h"
#include "common/json_util.h"

namespace noj::api {
namespace {

using ::testing::HasSubstr;

bj::object O(std::string_view text) { return bj::parse(text).as_object(); }

std::vector<std::string> KeysOf(const bj::object& o) {
  std::vector<std::string> keys;
  for (const auto& kv : o) keys.emplace_back(kv.key());
  return keys;
}

constexpr const char* kTasks =
    R"("tasks":[{"taskScore":40,"caseCount":1,"memoryLimit":65536,"timeLimit":1000},)"
    R"({"taskScore":60,"caseCount":2,"memoryLimit":65536,"timeLimit":2000}])";

TEST(ProblemUpdateRequest, ReadsTitleTasksAndMeta) {
  auto r = ProblemUpdateRequestFromJson(
      O(std::string(R"({"title":"New",)") + kTasks + R"(,"checker":{"type":"tokens"}})"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "New");
  ASSERT_EQ(r->tasks.size(), 2u);
  EXPECT_EQ(r->tasks[1].time_limit_ms, 2000);
  EXPECT_EQ(r->meta.checker.kind, CheckerKind::kTokens);
}

TEST(ProblemUpdateRequest, AbsentTitleIsKeptAndAbsentMetaIsTheDefault) {
  auto r = ProblemUpdateRequestFromJson(O(std::string("{") + kTasks + "}"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->title.has_value());
  EXPECT_TRUE(r->meta.IsPlain());
}

TEST(ProblemUpdateRequest, RoundTripsWithTheKeysInOrder) {
  ProblemUpdateRequest in;
  in.title = "T";
  in.tasks = {{100, 2, 65536, 1000}};
  in.meta.interactive = true;
  bj::object o = ProblemUpdateRequestToJson(in);
  EXPECT_EQ(KeysOf(o), (std::vector<std::string>{"title", "tasks", "interactive"}));
  auto back = ProblemUpdateRequestFromJson(o);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->title, in.title);
  EXPECT_EQ(back->tasks, in.tasks);
  EXPECT_EQ(back->meta, in.meta);
}

TEST(ProblemUpdateRequest, RefusesWhatCreationRefuses) {
  EXPECT_THAT(ProblemUpdateRequestFromJson(O(R"({"title":"x"})")).status().message(),
              HasSubstr("tasks"));
  EXPECT_THAT(ProblemUpdateRequestFromJson(O(std::string(R"({"title":"",)") + kTasks + "}"))
                  .status()
                  .message(),
              HasSubstr("title"));
  EXPECT_FALSE(ProblemUpdateRequestFromJson(
                   O(R"({"tasks":[{"taskScore":90,"caseCount":1,"memoryLimit":1,"timeLimit":1}]})"))
                   .ok());
  EXPECT_THAT(
      ProblemUpdateRequestFromJson(O(std::string("{") + kTasks + R"(,"checker":{"type":"magic"}})"))
          .status()
          .message(),
      HasSubstr("checker"));
  EXPECT_FALSE(ProblemUpdateRequestFromJson(
                   O(std::string(R"({"title":")") + std::string(257, 'x') + "\"," + kTasks + "}"))
                   .ok());
}

TEST(ProblemCreateRequest, PinsItsTextAndRoundTrips) {
  ProblemCreateRequest in;
  in.title = "A+B";
  in.tasks = {{40, 1, 65536, 1000}, {60, 2, 65536, 2000, TaskScoring::kPartial}};
  in.meta.checker.kind = CheckerKind::kTokens;
  in.meta.output_limit_bytes = 4096;
  EXPECT_EQ(json::Dump(ProblemCreateRequestToJson(in)),
            R"({"title":"A+B","tasks":[{"taskScore":40,"caseCount":1,"memoryLimit":65536,)"
            R"("timeLimit":1000},{"taskScore":60,"caseCount":2,"memoryLimit":65536,)"
            R"("timeLimit":2000,"scoring":"partial"}],"checker":{"type":"tokens"},)"
            R"("outputLimit":4096})");
  auto back = ProblemCreateRequestFromJson(ProblemCreateRequestToJson(in));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->title, in.title);
  EXPECT_EQ(back->tasks, in.tasks);
  EXPECT_EQ(back->meta, in.meta);
}

TEST(ProblemCreateRequest, RefusesAMissingOrBadTitleTasksOrMeta) {
  EXPECT_EQ(ProblemCreateRequestFromJson(O(std::string("{") + kTasks + "}")).status().message(),
            "missing field 'title'");
  EXPECT_EQ(ProblemCreateRequestFromJson(O(std::string(R"({"title":null,)") + kTasks + "}"))
                .status()
                .message(),
            "missing field 'title'");
  EXPECT_EQ(ProblemCreateRequestFromJson(O(std::string(R"({"title":1,)") + kTasks + "}"))
                .status()
                .message(),
            "title: must be a string");
  EXPECT_EQ(ProblemCreateRequestFromJson(O(std::string(R"({"title":"",)") + kTasks + "}"))
                .status()
                .message(),
            "title: must not be empty");
  EXPECT_EQ(ProblemCreateRequestFromJson(
                O(std::string(R"({"title":")") + std::string(257, 'x') + "\"," + kTasks + "}"))
                .status()
                .message(),
            "title: must be at most 256 characters");
  EXPECT_TRUE(ProblemCreateRequestFromJson(
                  O(std::string(R"({"title":")") + std::string(256, 'x') + "\"," + kTasks + "}"))
                  .ok());
  EXPECT_EQ(ProblemCreateRequestFromJson(O(R"({"title":"x"})")).status().message(),
            "missing field 'tasks'");
  EXPECT_FALSE(ProblemCreateRequestFromJson(O(R"({"title":"x","tasks":{}})")).ok());
  EXPECT_FALSE(ProblemCreateRequestFromJson(
                   O(R"({"title":"x","tasks":[{"taskScore":90,"caseCount":1,"memoryLimit":65536,)"
                     R"("timeLimit":1000}]})"))
                   .ok());
  EXPECT_THAT(ProblemCreateRequestFromJson(
                  O(std::string(R"({"title":"x",)") + kTasks + R"(,"checker":{"type":"magic"}})"))
                  .status()
                  .message(),
              HasSubstr("checker"));
}

TEST(ProblemCreated, PinsItsTextAndRoundTrips) {
  EXPECT_EQ(json::Dump(ProblemCreatedToJson({7})), R"({"problem_id":7})");
  auto r = ProblemCreatedFromJson(O(R"({"problem_id":12})"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->problem_id, 12);
  EXPECT_EQ(ProblemCreatedFromJson(O("{}")).status().message(), "missing field 'problem_id'");
  EXPECT_FALSE(ProblemCreatedFromJson(O(R"({"problem_id":"7"})")).ok());
}

ProblemView SampleView() {
  ProblemView v;
  v.problem_id = 7;
  v.title = "A+B";
  v.tasks = {{100, 2, 65536, 1000}};
  v.has_testdata = true;
  v.checksum = "0123456789abcdef0123456789abcdef";
  v.created_at = 1700000000000;
  v.version = 3;
  return v;
}

TEST(ProblemView, PinsThePlainProblemsText) {
  EXPECT_EQ(json::Dump(ProblemViewToJson(SampleView())),
            R"({"problem_id":7,"title":"A+B","tasks":[{"taskScore":100,"caseCount":2,)"
            R"("memoryLimit":65536,"timeLimit":1000}],"has_testdata":true,"context_io":false,)"
            R"("checksum":"0123456789abcdef0123456789abcdef","created_at":1700000000000,)"
            R"("version":3})");
  ProblemView none = SampleView();
  none.has_testdata = false;  // no testdata: checksum is null whatever is held
  EXPECT_EQ(ProblemViewToJson(none).at("checksum"), nullptr);
}

TEST(ProblemView, PutsTheMetaKeysBetweenTasksAndTestdataAndRoundTrips) {
  ProblemView v = SampleView();
  v.context_io = true;
  v.meta.checker = {CheckerKind::kFloat, 1e-6, 0.5};
  v.meta.interactive = true;
  v.meta.output_limit_bytes = 65536;
  v.meta.languages = {1, 2};
  bj::object o = ProblemViewToJson(v);
  EXPECT_EQ(KeysOf(o),
            (std::vector<std::string>{"problem_id", "title", "tasks", "checker", "interactive",
                                      "outputLimit", "languages", "has_testdata", "context_io",
                                      "checksum", "created_at", "version"}));
  EXPECT_EQ(json::Dump(o.at("checker")), R"({"type":"float","abs":1E-6,"rel":5E-1})");
  auto back = ProblemViewFromJson(o);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->problem_id, v.problem_id);
  EXPECT_EQ(back->title, v.title);
  EXPECT_EQ(back->tasks, v.tasks);
  EXPECT_EQ(back->meta, v.meta);
  EXPECT_TRUE(back->has_testdata);
  EXPECT_TRUE(back->context_io);
  EXPECT_EQ(back->checksum, v.checksum);
  EXPECT_EQ(back->created_at, v.created_at);
  EXPECT_EQ(back->version, 3);
}

TEST(ProblemView, ReadsAnOlderNojdsViewAndRefusesAWrongOne) {
  auto old = ProblemViewFromJson(O(
      R"({"problem_id":2,"title":"T","tasks":[{"taskScore":100,"caseCount":1,"memoryLimit":65536,)"
      R"("timeLimit":1000}],"has_testdata":false,"checksum":null})"));
  ASSERT_TRUE(old.ok()) << old.status().ToString();
  EXPECT_EQ(old->version, 0);
  EXPECT_EQ(old->checksum, "");
  EXPECT_FALSE(old->has_testdata);
  EXPECT_EQ(ProblemViewFromJson(O(R"({"title":"T","tasks":[]})")).status().message(),
            "missing field 'problem_id'");
  EXPECT_EQ(ProblemViewFromJson(O(R"({"problem_id":2,"title":"T","tasks":{}})")).status().message(),
            "tasks: must be an array");
  EXPECT_THAT(ProblemViewFromJson(O(R"({"problem_id":2,"title":"T","tasks":[{"taskScore":1}]})"))
                  .status()
                  .message(),
              HasSubstr("tasks[0]"));
}

TEST(TestdataUploaded, PinsItsTextAndRoundTrips) {
  EXPECT_EQ(json::Dump(TestdataUploadedToJson({"0123456789abcdef0123456789abcdef", true})),
            R"({"checksum":"0123456789abcdef0123456789abcdef","context_io":true})");
  auto r = TestdataUploadedFromJson(O(R"({"checksum":"ab","context_io":false})"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->checksum, "ab");
  EXPECT_FALSE(r->context_io);
  EXPECT_EQ(TestdataUploadedFromJson(O("{}")).status().message(), "missing field 'checksum'");
}

TEST(RejudgeQueued, RoundTrips) {
  EXPECT_EQ(json::Dump(RejudgeQueuedToJson({12})), R"({"queued":12})");
  auto r = RejudgeQueuedFromJson(O(R"({"queued":3})"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->queued, 3);
  EXPECT_FALSE(RejudgeQueuedFromJson(O(R"({"queued":-1})")).ok());
}

TEST(JobPayloadVersion, ExtensionsAreSentOnlyWhenKnownAndRoundTrip) {
  JobPayload p;
  p.job_id = "jb_01HZZZZZZZZZZZZZZZZZZZZZZZ";
  p.submission_id = "sn_01HZZZZZZZZZZZZZZZZZZZZZZZ";
  p.problem_id = 7;
  p.language = Language::kCpp;
  p.code_url = "http://host/code/x";
  p.tasks = {{100, 1, 65536, 1000}};
  EXPECT_FALSE(JobPayloadToJson(p).contains("checksum"));
  EXPECT_FALSE(JobPayloadToJson(p).contains("problem_version"));
  p.checksum = "0123456789abcdef0123456789abcdef";
  p.problem_version = 3;
  bj::object o = JobPayloadToJson(p);
  EXPECT_EQ(o.at("checksum"), "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(o.at("problem_version"), 3);
  auto back = JobPayloadFromJson(o);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, p);
  o["problem_version"] = 0;
  EXPECT_FALSE(JobPayloadFromJson(o).ok());
}

}  // namespace
}  // namespace noj::api

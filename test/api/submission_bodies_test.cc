// The client API's submission bodies (protocol.md §5): text pinned (the black-box suite checks
// these bytes), round trips, every refusal of POST /submissions and of a rejudge body.

#include "api/submission_bodies.h"

#include <gtest/gtest.h>

namespace noj::api {
namespace {

bj::object SubObj(std::string_view text) { return bj::parse(text).as_object(); }
std::string SubText(const bj::value& v) { return bj::serialize(v); }

TEST(SubmitRequestCodec, TextAndRoundTrip) {
  SubmitRequest r{.problem_id = 7, .language = 4, .code = "int main(){}", .priority = 0};
  EXPECT_EQ(SubText(SubmitRequestToJson(r)),
            R"({"problem_id":7,"language":4,"code":"int main(){}","priority":0})");
  auto back = SubmitRequestFromJson(SubmitRequestToJson(r));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->problem_id, 7);
  EXPECT_EQ(back->language, 4);
  EXPECT_EQ(back->code, "int main(){}");
  EXPECT_EQ(back->priority, 0);
  auto camel = SubmitRequestFromJson(SubObj(R"({"problemId":3,"language":1.0,"code":"x"})"));
  ASSERT_TRUE(camel.ok());
  EXPECT_EQ(camel->problem_id, 3);
  EXPECT_EQ(camel->priority, kPriorityNormal);
}

TEST(SubmitRequestCodec, Refusals) {
  const std::string kLanguage =
      "language: must be a code 0..63 other than 3 (0 C, 1 C++, 2 Python 3, 4 and up as the "
      "runners' languages files define them)";
  struct Case {
    const char* body;
    std::string message;
  } cases[] = {
      {R"({"language":1,"code":"x"})", "missing field 'problem_id'"},
      {R"({"problem_id":"1","language":1,"code":"x"})", "problem_id: must be an integer"},
      {R"({"problem_id":1e400})", "problem_id: must be an integer"},
      {R"({"problem_id":1,"code":"x"})", kLanguage},
      {R"({"problem_id":1,"language":-1,"code":"x"})", kLanguage},
      {R"({"problem_id":1,"language":3,"code":"x"})", kLanguage},
      {R"({"problem_id":1,"language":64,"code":"x"})", kLanguage},
      {R"({"problem_id":1,"language":1.5,"code":"x"})", kLanguage},
      {R"({"problem_id":1,"language":1})", "code: must not be empty"},
      {R"({"problem_id":1,"language":1,"code":""})", "code: must not be empty"},
      {R"({"problem_id":1,"language":1,"code":[]})", "code: must be a string"},
      {R"({"problem_id":1,"language":1,"code":"x","priority":"high"})",
       "priority: must be an integer"},
      {R"({"problem_id":1,"language":1,"code":"x","priority":3})", "priority: must be 0, 1 or 2"},
  };
  for (const Case& c : cases) {
    auto r = SubmitRequestFromJson(SubObj(c.body));
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), c.message) << c.body;
  }
}

TEST(SubmitResponseCodec, TextAndRoundTrip) {
  EXPECT_EQ(SubText(SubmitResponseToJson({"sn_1", -1})), R"({"submission_id":"sn_1","status":-1})");
  auto back = SubmitResponseFromJson(SubmitResponseToJson({"sn_1", -1}));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->submission_id, "sn_1");
  EXPECT_EQ(back->status, -1);
  EXPECT_EQ(SubmitResponseFromJson(SubObj("{}")).status().message(),
            "missing field 'submission_id'");
}

TEST(RejudgeCodec, PriorityDefaultsToBulk) {
  EXPECT_EQ(RejudgePriorityFromJson(SubObj("{}")).value(), kPriorityBulk);
  EXPECT_EQ(RejudgePriorityFromJson(SubObj(R"({"priority":null})")).value(), kPriorityBulk);
  EXPECT_EQ(RejudgePriorityFromJson(SubObj(R"({"priority":0})")).value(), 0);
  EXPECT_EQ(RejudgePriorityFromJson(SubObj(R"({"priority":7})")).status().message(),
            "priority: must be 0, 1 or 2");
  EXPECT_EQ(SubText(RejudgeResponseToJson("jb_1")), R"({"job_id":"jb_1"})");
  EXPECT_EQ(SubText(CaseOutputToJson("o", "e")), R"({"stdout":"o","stderr":"e"})");
}

TEST(SubmissionViewCodec, PendingTextIsPinned) {
  SubmissionView v{.submission_id = "sn_1", .problem_id = 2, .language = 1, .created_at = 5};
  EXPECT_EQ(SubText(SubmissionViewToJson(v)),
            R"({"submission_id":"sn_1","problem_id":2,"language":1,"status":-1,"score":0,)"
            R"("execTime":0,"memoryUsage":0,"attempts":0,"created_at":5,"judged_at":null,)"
            R"("tasks":[],"priority":1,"job_state":null,"runner_id":null})");
}

TEST(SubmissionViewCodec, JudgedTextIsPinned) {
  SubmissionResult r;
  r.status = Verdict::kAC;
  r.score = 100;
  r.exec_time_ms = 12;
  r.memory_kib = 1024;
  TaskResult t;
  t.status = Verdict::kAC;
  t.score = 100;
  t.exec_time_ms = 12;
  t.memory_kib = 1024;
  CaseSummary c;
  c.status = Verdict::kAC;
  c.exec_time_ms = 12;
  c.memory_kib = 1024;
  c.exit_code = 0;
  t.cases.push_back(c);
  r.tasks.push_back(t);
  SubmissionView v{.submission_id = "sn_1",
                   .problem_id = 2,
                   .language = 0,
                   .status = 0,
                   .score = 100,
                   .exec_time_ms = 12,
                   .memory_kib = 1024,
                   .attempts = 1,
                   .created_at = 5,
                   .judged_at = 9,
                   .result = r,
                   .priority = 0,
                   .job_state = "leased",
                   .runner_id = "rn_1"};
  const std::string view =
      R"({"submission_id":"sn_1","problem_id":2,"language":0,"status":0,"score":100,)"
      R"("execTime":12,"memoryUsage":1024,"attempts":1,"created_at":5,"judged_at":9,)"
      R"("tasks":[{"status":0,"score":100,"execTime":12,"memoryUsage":1024,"cases":[{"status":0,)"
      R"("execTime":12,"memoryUsage":1024,"exitCode":0}]}],"priority":0,"job_state":"leased",)"
      R"("runner_id":"rn_1"})";
  EXPECT_EQ(SubText(SubmissionViewToJson(v)), view);
  EXPECT_EQ(SubText(SubmissionListToJson({v}, std::string("sn_1"))),
            R"({"next_before":"sn_1","submissions":[)" + view + "]}");
  EXPECT_EQ(SubText(SubmissionListToJson({}, std::nullopt)),
            R"({"next_before":null,"submissions":[]})");
}

// What nojctl reads back: the server's text, unchanged by a decode and encode.
TEST(SubmissionViewCodec, ReadsBackWhatTheServerWrites) {
  const std::string judged =
      R"({"submission_id":"sn_1","problem_id":2,"language":5,"status":1,"score":40,)"
      R"("execTime":12,"memoryUsage":1024,"attempts":2,"created_at":5,"judged_at":9,)"
      R"("tasks":[{"status":1,"score":0,"execTime":12,"memoryUsage":1024,"cases":[{"status":5,)"
      R"("execTime":12,"memoryUsage":1024,"exitCode":3,"wallTime":20,"points":0.5,)"
      R"("message":"wrong answer"}]},{"status":0,"score":40,"execTime":1,"memoryUsage":2,)"
      R"("cases":[]}],"priority":0,"job_state":"done","runner_id":"rn_1"})";
  auto v = SubmissionViewFromJson(bj::parse(judged));
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ(bj::value(SubmissionViewToJson(*v)), bj::parse(judged));  // 0.5 prints as 5E-1
  ASSERT_TRUE(v->result.has_value());
  ASSERT_EQ(v->result->tasks.size(), 2u);
  const CaseSummary& c = v->result->tasks[0].cases[0];
  EXPECT_EQ(c.status, Verdict::kRE);
  EXPECT_EQ(c.exit_code, 3);
  EXPECT_EQ(c.wall_time_ms, 20);
  EXPECT_EQ(c.points, 0.5);
  EXPECT_EQ(c.message, "wrong answer");
  EXPECT_EQ(v->attempts, 2);
  EXPECT_EQ(v->job_state, "done");

  const std::string pending =
      R"({"submission_id":"sn_2","problem_id":2,"language":1,"status":-1,"score":0,)"
      R"("execTime":0,"memoryUsage":0,"attempts":1,"created_at":5,"judged_at":null,)"
      R"("tasks":[],"priority":1,"job_state":"leased","runner_id":"rn_9"})";
  auto p = SubmissionViewFromJson(bj::parse(pending));
  ASSERT_TRUE(p.ok()) << p.status().message();
  EXPECT_FALSE(p->result.has_value());
  EXPECT_EQ(p->runner_id, "rn_9");
  EXPECT_EQ(SubText(SubmissionViewToJson(*p)), pending);

  // An older server: only what Normal-OJ has.
  auto old = SubmissionViewFromJson(
      bj::parse(R"({"submissionId":"sn_3","problemId":1,"language":2,"status":-1})"));
  ASSERT_TRUE(old.ok()) << old.status().message();
  EXPECT_EQ(old->submission_id, "sn_3");
  EXPECT_EQ(old->priority, kPriorityNormal);
  EXPECT_TRUE(old->job_state.empty());

  auto list = SubmissionListFromJson(
      bj::parse(R"({"next_before":"sn_2","submissions":[)" + pending + "," + judged + "]}")
          .as_object());
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_EQ(list->next_before, "sn_2");
  ASSERT_EQ(list->submissions.size(), 2u);
  EXPECT_EQ(list->submissions[1].submission_id, "sn_1");
  auto last =
      SubmissionListFromJson(bj::parse(R"({"next_before":null,"submissions":[]})").as_object());
  ASSERT_TRUE(last.ok());
  EXPECT_FALSE(last->next_before.has_value());
}

TEST(SubmissionViewCodec, Refusals) {
  const std::string head = R"({"submission_id":"sn_1","problem_id":2,"language":1,)";
  struct Case {
    std::string body;
    std::string message;
  } cases[] = {
      {"[]", "submission: must be an object"},
      {R"({"problem_id":2,"language":1,"status":-1})", "missing field 'submission_id'"},
      {R"({"submission_id":"sn_1","problem_id":"2","language":1,"status":-1})",
       "problem_id: must be an integer"},
      {R"({"submission_id":"sn_1","problem_id":2,"language":64,"status":-1})",
       "language: must be between 0 and 63"},
      {head + R"("status":8})", "status: must be between -2 and 7"},
      {head + R"("status":-1,"score":101})", "score: must be between 0 and 100"},
      {head + R"("status":-1,"execTime":1.5})", "exec_time: must be an integer"},
      {head + R"("status":-1,"tasks":{}})", "tasks: must be an array"},
      {head + R"("status":0,"tasks":[{"status":0}]})", "tasks[0]: missing field 'score'"},
      {head + R"("status":-1,"priority":5})", "priority: must be 0, 1 or 2"},
      {head + R"("status":-1,"job_state":1})", "job_state: must be a string"},
      {head + R"("status":-1,"runner_id":[]})", "runner_id: must be a string"},
  };
  for (const Case& c : cases) {
    auto r = SubmissionViewFromJson(bj::parse(c.body));
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.status().message(), c.message) << c.body;
  }
  struct ListCase {
    std::string body;
    std::string message;
  } list_cases[] = {
      {R"({"next_before":null})", "missing field 'submissions'"},
      {R"({"submissions":{}})", "submissions: must be an array"},
      {R"({"next_before":3,"submissions":[]})", "next_before: must be a string"},
      {R"({"submissions":[1]})", "submissions[0]: must be an object"},
      {R"({"submissions":[)" + head + R"("status":-1},)" + head + R"("status":"AC"}]})",
       "submissions[1].status: must be an integer"},
      {R"({"submissions":[)" + head + R"("status":0,"tasks":[{"status":0}]}]})",
       "submissions[0].tasks[0]: missing field 'score'"},
  };
  for (const ListCase& c : list_cases) {
    auto r = SubmissionListFromJson(bj::parse(c.body).as_object());
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().message(), c.message) << c.body;
  }
}

TEST(RejudgeCodec, RequestAndResponse) {
  EXPECT_EQ(SubText(RejudgeRequestToJson(std::nullopt)), "{}");
  EXPECT_EQ(SubText(RejudgeRequestToJson(0)), R"({"priority":0})");
  EXPECT_EQ(*RejudgePriorityFromJson(RejudgeRequestToJson(std::nullopt)), kPriorityBulk);
  auto job = RejudgeResponseFromJson(RejudgeResponseToJson("jb_7"));
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(*job, "jb_7");
  auto bad = RejudgeResponseFromJson(bj::parse(R"({"job_id":7})").as_object());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "job_id: must be a string");
}

TEST(CaseOutputCodec, RoundTripAndAbsentFields) {
  EXPECT_EQ(SubText(CaseOutputToJson("out", "err")), R"({"stdout":"out","stderr":"err"})");
  auto back = CaseOutputFromJson(CaseOutputToJson("out", "err"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->stdout_text, "out");
  EXPECT_EQ(back->stderr_text, "err");
  auto none = CaseOutputFromJson(bj::parse(R"({"stderr":null})").as_object());
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->stderr_text, "");
  auto bad = CaseOutputFromJson(bj::parse(R"({"stderr":1})").as_object());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "stderr: must be a string");
}

}  // namespace
}  // namespace noj::api

// Runner API over HTTP against a real nojd: every status code of protocol.md §2.

#include <openssl/md5.h>

#include "common/crypto.h"
#include "common/zip_archive.h"
#include "integration/nojd_fixture.h"

namespace noj::testing {
namespace {

using RunnerApi = NojdTest;

TEST_F(RunnerApi, RegisterReturnsTokenAndConfigAtTopLevelAndUnderData) {
  auto r = http_->Send("POST", "/runners/register",
                       bj::serialize(bj::object{{"registrationToken", nojd_->registration_token()},
                                                {"name", "judge-1"}}));
  ASSERT_EQ(r.status, 201) << r.body;
  auto o = Json(r).as_object();
  EXPECT_EQ(o.at("status"), "ok");
  EXPECT_EQ(o.at("message"), "");
  EXPECT_TRUE(o.at("runner_id").as_string().starts_with("rn_"));
  EXPECT_EQ(o.at("token").as_string().size(), 46u);
  EXPECT_TRUE(o.at("token").as_string().starts_with("rk_"));
  auto cfg = o.at("config").as_object();
  EXPECT_EQ(cfg.at("heartbeat_interval_sec"), 15);
  EXPECT_EQ(cfg.at("poll_interval_sec"), 3);
  EXPECT_EQ(cfg.at("max_concurrent_jobs"), 8);
  auto data = o.at("data").as_object();
  EXPECT_EQ(data.at("runner_id"), o.at("runner_id"));
  EXPECT_EQ(data.at("token"), o.at("token"));
  EXPECT_EQ(data.at("config"), o.at("config"));
  // Key order: fields, then status, message, data.
  EXPECT_EQ(r.body.find("\"runner_id\""), 1u);
}

TEST_F(RunnerApi, RegisterRejectsWrongMissingAndMalformed) {
  ExpectErrorEnvelope(http_->Send("POST", "/runners/register", R"({"registration_token":"nope"})"),
                      401);
  ExpectErrorEnvelope(http_->Send("POST", "/runners/register", R"({"name":"x"})"), 400);
  ExpectErrorEnvelope(http_->Send("POST", "/runners/register", R"({"registration_token":)"), 400);
  ExpectErrorEnvelope(http_->Send("POST", "/runners/register", R"([1,2])"), 400);
  ExpectErrorEnvelope(http_->Send("POST", "/runners/register", R"({"registration_token":12})"),
                      400);
  ExpectErrorEnvelope(http_->Send("POST", "/runners/register", "registration_token=x",
                                  {"Content-Type: text/plain"}),
                      415);
  std::string long_name(129, 'n');
  ExpectErrorEnvelope(
      http_->Send("POST", "/runners/register",
                  bj::serialize(bj::object{{"registration_token", nojd_->registration_token()},
                                           {"name", long_name}})),
      400);
}

TEST_F(RunnerApi, EveryRunnerEndpointNeedsItsOwnToken) {
  RunnerCreds a = Register("a"), b = Register("b");
  const std::string jb = "jb_01ARZ3NDEKTSV4RRFFQ69G5FAV";
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"POST", "/heartbeat"},
                                                        {"GET", "/next-job"},
                                                        {"PUT", "/jobs/" + jb + "/complete"},
                                                        {"PUT", "/jobs/" + jb + "/abort"}}) {
    SCOPED_TRACE(path);
    ExpectErrorEnvelope(http_->Send(method, "/runners/" + a.id + path), 401);
    ExpectErrorEnvelope(
        http_->Send(method, "/runners/" + a.id + path, "", {"Authorization: Basic x"}), 401);
    ExpectErrorEnvelope(http_->Send(method, "/runners/" + a.id + path, "", {b.auth()}), 401);
    ExpectErrorEnvelope(
        http_->Send(method, "/runners/" + a.id + path, "", {"Authorization: Bearer rk_\xff\xfe"}),
        401);
    ExpectErrorEnvelope(http_->Send(method, "/runners/" + a.id + path, "",
                                    {"Authorization: Bearer " + std::string(5000, 'k')}),
                        401);
    ExpectErrorEnvelope(http_->Send(method, "/runners/" + a.id + path, "", {ApiAuth()}), 401);
  }
  auto r = http_->Get("/runners/" + a.id + "/next-job");
  EXPECT_EQ(Json(r).as_object().at("message"), "missing or malformed Authorization header");
  r = http_->Get("/runners/" + a.id + "/next-job", {b.auth()});
  EXPECT_EQ(Json(r).as_object().at("message"), "invalid runner token");
}

TEST_F(RunnerApi, HeartbeatRenewsAndHintsCancelForJobsNotHeld) {
  RunnerCreds rc = Register();
  EXPECT_EQ(http_->Send("POST", "/runners/" + rc.id + "/heartbeat", "", {rc.auth()}).status, 204);
  EXPECT_EQ(http_
                ->Send("POST", "/runners/" + rc.id + "/heartbeat", R"({"active_job_ids":[]})",
                       {rc.auth()})
                .status,
            204);
  auto r = http_->Send("POST", "/runners/" + rc.id + "/heartbeat",
                       R"({"active_job_ids":["jb_01ARZ3NDEKTSV4RRFFQ69G5FAV"],"want_hints":true})",
                       {rc.auth()});
  ASSERT_EQ(r.status, 200) << r.body;
  auto cancel = Json(r).as_object().at("cancel").as_array();
  ASSERT_EQ(cancel.size(), 1u);
  EXPECT_EQ(cancel[0], "jb_01ARZ3NDEKTSV4RRFFQ69G5FAV");
  ExpectErrorEnvelope(http_->Send("POST", "/runners/" + rc.id + "/heartbeat",
                                  R"({"active_job_ids":"x"})", {rc.auth()}),
                      400);
  ExpectErrorEnvelope(http_->Send("POST", "/runners/" + rc.id + "/heartbeat",
                                  R"({"active_job_ids":[1]})", {rc.auth()}),
                      400);
}

TEST_F(RunnerApi, NextJobIs204WhenIdleAnd200WithBothSpellings) {
  RunnerCreds rc = Register();
  EXPECT_TRUE(Claim(rc).is_null());
  int64_t pid = CreateProblemWithTestdata({{40, 2}, {60, 3}});
  std::string sid = Submit(pid, 1, "int main(){return 0;}");
  bj::value v = Claim(rc);
  ASSERT_TRUE(v.is_object());
  auto o = v.as_object();
  EXPECT_EQ(o.at("status"), "ok");
  EXPECT_TRUE(o.at("job_id").as_string().starts_with("jb_"));
  EXPECT_EQ(o.at("submission_id"), bj::value(sid));
  EXPECT_EQ(o.at("problem_id"), pid);
  EXPECT_EQ(o.at("language"), 1);
  EXPECT_EQ(o.at("attempt"), 1);
  EXPECT_TRUE(o.at("checker").is_null());
  auto tasks = o.at("tasks").as_array();
  ASSERT_EQ(tasks.size(), 2u);
  auto t1 = tasks[1].as_object();
  EXPECT_EQ(t1.at("taskScore"), 60);
  EXPECT_EQ(t1.at("caseCount"), 3);
  EXPECT_EQ(t1.at("case_count"), 3);
  EXPECT_EQ(t1.at("memoryLimit"), 65536);
  EXPECT_EQ(t1.at("memory_limit"), 65536);
  EXPECT_EQ(t1.at("timeLimit"), 1000);
  EXPECT_EQ(t1.at("time_limit"), 1000);
  EXPECT_EQ(t1.at("task_id"), 1);
  auto data = o.at("data").as_object();
  EXPECT_EQ(data.at("job_id"), o.at("job_id"));
  EXPECT_EQ(data.at("tasks"), o.at("tasks"));

  // The code link is a plain GET returning a zip with exactly main.cpp.
  std::string url(o.at("code_url").as_string());
  std::string path = url.substr(nojd_->base_url().size());
  auto code = http_->Get(path);
  ASSERT_EQ(code.status, 200);
  auto entries = zip::ReadAll(code.body);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].name, "main.cpp");
  EXPECT_EQ((*entries)[0].data, "int main(){return 0;}");
  // Tampered or unsigned links are refused.
  std::string bad = path;
  bad.back() = bad.back() == 'a' ? 'b' : 'a';
  ExpectErrorEnvelope(http_->Get(bad), 403);
  ExpectErrorEnvelope(http_->Get("/code/" + sid), 403);
}

TEST_F(RunnerApi, NextJobRejectsBadWait) {
  RunnerCreds rc = Register();
  ExpectErrorEnvelope(http_->Get("/runners/" + rc.id + "/next-job?wait=abc", {rc.auth()}), 400);
  ExpectErrorEnvelope(http_->Get("/runners/" + rc.id + "/next-job?wait=31", {rc.auth()}), 400);
  ExpectErrorEnvelope(http_->Get("/runners/" + rc.id + "/next-job?wait=-1", {rc.auth()}), 400);
}

TEST_F(RunnerApi, CompleteLandsOnceThen404) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{40, 2}, {60, 1}});
  std::string sid = Submit(pid);
  auto job = Claim(rc).as_object();
  std::string jb(job.at("job_id").as_string());
  auto r = Complete(rc, jb, AllCases({2, 1}), 1);
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_TRUE(r.body.empty());
  auto s = Submission(sid);
  EXPECT_EQ(s.at("status"), 0);
  EXPECT_EQ(s.at("score"), 100);
  EXPECT_EQ(s.at("tasks").as_array().size(), 2u);
  EXPECT_EQ(s.at("attempts"), 1);
  EXPECT_FALSE(s.at("judged_at").is_null());
  ExpectErrorEnvelope(Complete(rc, jb, AllCases({2, 1})), 404);
  auto out = Api("GET", "/submissions/" + sid + "/cases/0/1");
  ASSERT_EQ(out.status, 200);
  EXPECT_EQ(Json(out).as_object().at("stdout"), "out");
}

TEST_F(RunnerApi, CompleteValidatesStrictlyAndNamesTheProblem) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{40, 2}, {60, 1}});
  Submit(pid);
  std::string jb(Claim(rc).as_object().at("job_id").as_string());
  ExpectErrorEnvelope(Complete(rc, jb, AllCases({2})), 400);
  ExpectErrorEnvelope(Complete(rc, jb, AllCases({2, 2})), 400);
  ExpectErrorEnvelope(Complete(rc, jb, AllCases({2, 1}, "XX")), 400);
  ExpectErrorEnvelope(Complete(rc, jb, R"({"tasks":[[{"status":"AC"}],[]]})"), 400);
  ExpectErrorEnvelope(Complete(rc, jb, "not json"), 400);
  ExpectErrorEnvelope(Complete(rc, jb, ""), 400);
  auto r = Complete(rc, jb, AllCases({2, 1}, "XX"));
  EXPECT_NE(Json(r).as_object().at("message").as_string().find("XX"), std::string::npos);
  // Still held: a good result lands afterwards.
  EXPECT_EQ(Complete(rc, jb, AllCases({2, 1}, "WA")).status, 204);
}

TEST_F(RunnerApi, CompleteByAnotherRunnerOrStaleAttemptIs409) {
  RunnerCreds a = Register("a"), b = Register("b");
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  Submit(pid);
  std::string jb(Claim(a).as_object().at("job_id").as_string());
  ExpectErrorEnvelope(Complete(b, jb, AllCases({1})), 409);
  ExpectErrorEnvelope(Complete(a, jb, AllCases({1}), 2), 409);
  ExpectErrorEnvelope(http_->Send("PUT", "/runners/" + a.id + "/jobs/" + jb + "/complete",
                                  AllCases({1}), {a.auth(), "X-Job-Attempt: one"}),
                      400);
  ExpectErrorEnvelope(Complete(a, "jb_01ARZ3NDEKTSV4RRFFQ69G5FAV", AllCases({1})), 404);
  ExpectErrorEnvelope(Complete(a, "..%2F..%2Fetc", AllCases({1})), 404);
  EXPECT_EQ(Complete(a, jb, AllCases({1}), 1).status, 204);
}

TEST_F(RunnerApi, AbortRequeuesAndDrainRefundsTheAttempt) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string sid = Submit(pid);
  std::string jb(Claim(rc).as_object().at("job_id").as_string());
  auto r = http_->Send("PUT", "/runners/" + rc.id + "/jobs/" + jb + "/abort",
                       R"({"reason":"drain"})", {rc.auth()});
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_TRUE(r.body.empty());
  auto again = Claim(rc).as_object();
  EXPECT_EQ(again.at("job_id"), bj::value(jb));
  EXPECT_EQ(again.at("attempt"), 1);  // drain gave the attempt back
  r = http_->Send("PUT", "/runners/" + rc.id + "/jobs/" + jb + "/abort",
                  R"({"reason":"prep_failed"})", {rc.auth()});
  ASSERT_EQ(r.status, 202);
  EXPECT_EQ(Claim(rc).as_object().at("attempt"), 2);
  ExpectErrorEnvelope(http_->Send("PUT", "/runners/" + rc.id + "/jobs/" + jb + "/abort",
                                  R"({"reason":5})", {rc.auth()}),
                      400);
  RunnerCreds other = Register("other");
  ExpectErrorEnvelope(
      http_->Send("PUT", "/runners/" + other.id + "/jobs/" + jb + "/abort", "{}", {other.auth()}),
      409);
  ExpectErrorEnvelope(
      http_->Send("PUT", "/runners/" + rc.id + "/jobs/jb_01ARZ3NDEKTSV4RRFFQ69G5FAV/abort", "{}",
                  {rc.auth()}),
      404);
}

TEST_F(RunnerApi, AbortAtMaxAttemptsGivesJudgeError) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string sid = Submit(pid);
  for (int i = 1; i <= 3; ++i) {
    auto job = Claim(rc);
    ASSERT_TRUE(job.is_object()) << "attempt " << i;
    EXPECT_EQ(job.as_object().at("attempt"), i);
    std::string jb(job.as_object().at("job_id").as_string());
    EXPECT_EQ(http_
                  ->Send("PUT", "/runners/" + rc.id + "/jobs/" + jb + "/abort",
                         R"({"reason":"rejected"})", {rc.auth()})
                  .status,
              202);
  }
  EXPECT_TRUE(Claim(rc).is_null());
  EXPECT_EQ(Submission(sid).at("status"), 6);
}

TEST_F(RunnerApi, TestdataMetaAndChecksumFollowNormalOjPaths) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{40, 2}, {60, 1}});
  std::string p = "/problem/" + std::to_string(pid);
  ExpectErrorEnvelope(http_->Get(p + "/testdata"), 401);
  ExpectErrorEnvelope(http_->Get(p + "/testdata?token=rk_wrong"), 401);
  ExpectErrorEnvelope(http_->Get(p + "/meta", {ApiAuth()}), 401);
  ExpectErrorEnvelope(http_->Get("/problem/999/testdata?token=" + rc.token), 404);
  ExpectErrorEnvelope(http_->Get("/problem/abc/meta", {rc.auth()}), 404);
  auto z1 = http_->Get(p + "/testdata?token=" + rc.token);
  auto z2 = http_->Get(p + "/testdata", {rc.auth()});
  ASSERT_EQ(z1.status, 200);
  EXPECT_EQ(z1.headers["content-type"], "application/zip");
  EXPECT_EQ(z1.body, z2.body);
  EXPECT_EQ(z1.body, last_zip_);  // byte-identical to the upload
  auto meta = http_->Get(p + "/meta", {rc.auth()});
  ASSERT_EQ(meta.status, 200);
  const std::string tasks_json =
      R"([{"taskScore":40,"caseCount":2,"memoryLimit":65536,"timeLimit":1000},)"
      R"({"taskScore":60,"caseCount":1,"memoryLimit":65536,"timeLimit":1000}])";
  EXPECT_EQ(meta.body, R"({"status":"ok","message":"","data":{"tasks":)" + tasks_json + "}}");
  auto sum = http_->Get(p + "/checksum", {rc.auth()});
  ASSERT_EQ(sum.status, 200);
  // Python: json.dumps(meta["data"]) with default separators.
  std::string py =
      R"({"tasks": [{"taskScore": 40, "caseCount": 2, "memoryLimit": 65536, "timeLimit": 1000}, )"
      R"({"taskScore": 60, "caseCount": 1, "memoryLimit": 65536, "timeLimit": 1000}]})";
  EXPECT_EQ(Json(sum).as_object().at("data"), bj::value(crypto::Md5Hex(z1.body + py)));
}

}  // namespace
}  // namespace noj::testing

// Client API over HTTP against a real nojd (protocol.md §5).

#include "integration/nojd_fixture.h"

namespace noj::testing {
namespace {

using ClientApi = NojdTest;

TEST_F(ClientApi, HealthzNeedsNoAuth) {
  auto r = http_->Get("/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Json(r).as_object().at("status"), "ok");
}

TEST_F(ClientApi, RefusesMissingWrongAndRunnerTokens) {
  RunnerCreds rc = Register();
  for (const std::string path : {"/queue", "/runners", "/submissions", "/problems/1"}) {
    SCOPED_TRACE(path);
    ExpectErrorEnvelope(http_->Get(path), 401);
    ExpectErrorEnvelope(http_->Get(path, {"Authorization: Bearer wrong"}), 401);
    ExpectErrorEnvelope(http_->Get(path, {rc.auth()}), 401);
  }
}

TEST_F(ClientApi, ProblemCreationValidatesTasks) {
  auto bad = [&](const std::string& body) {
    ExpectErrorEnvelope(Api("POST", "/problems", body), 400);
  };
  bad(R"({"title":"x","tasks":[{"taskScore":50,"caseCount":1,"memoryLimit":65536,"timeLimit":1000}]})");
  bad(R"({"title":"x","tasks":[]})");
  bad(R"({"title":"x"})");
  bad(R"({"tasks":[{"taskScore":100,"caseCount":1,"memoryLimit":65536,"timeLimit":1000}]})");
  bad(R"({"title":"x","tasks":[{"taskScore":100,"caseCount":0,"memoryLimit":65536,"timeLimit":1000}]})");
  bad(R"({"title":"x","tasks":[{"taskScore":100,"caseCount":1,"memoryLimit":-5,"timeLimit":1000}]})");
  bad(R"({"title":"x","tasks":[{"taskScore":100,"caseCount":1,"memoryLimit":65536,"timeLimit":"1s"}]})");
  auto r = Api(
      "POST", "/problems",
      R"({"title":"A+B","tasks":[{"taskScore":100,"caseCount":1,"memoryLimit":65536,"timeLimit":1000}]})");
  ASSERT_EQ(r.status, 201);
  int64_t pid = Json(r).as_object().at("problem_id").as_int64();
  EXPECT_GT(pid, 0);
  auto show = Api("GET", "/problems/" + std::to_string(pid));
  ASSERT_EQ(show.status, 200);
  EXPECT_EQ(Json(show).as_object().at("has_testdata"), false);
  ExpectErrorEnvelope(Api("GET", "/problems/99999"), 404);
}

TEST_F(ClientApi, TestdataUploadListsExtraAndMissingFiles) {
  auto r = Api(
      "POST", "/problems",
      R"({"title":"A+B","tasks":[{"taskScore":100,"caseCount":2,"memoryLimit":65536,"timeLimit":1000}]})");
  int64_t pid = Json(r).as_object().at("problem_id").as_int64();
  std::string path = "/problems/" + std::to_string(pid) + "/testdata";
  // One task with one case where two are declared, plus a stray file.
  std::string zip = TestdataZip({{100, 1}});
  auto up = http_->Send("PUT", path, zip, {ApiAuth(), "Content-Type: application/zip"});
  ExpectErrorEnvelope(up, 400);
  auto detail = Json(up).as_object().at("data").as_object();
  EXPECT_EQ(detail.at("missing"), bj::array({"0001.in", "0001.out"}));
  EXPECT_EQ(detail.at("extra"), bj::array());
  ExpectErrorEnvelope(
      http_->Send("PUT", path, "garbage", {ApiAuth(), "Content-Type: application/zip"}), 400);
  ExpectErrorEnvelope(http_->Send("PUT", path, zip, {ApiAuth(), "Content-Type: text/html"}), 415);
  ExpectErrorEnvelope(http_->Send("PUT", "/problems/4242/testdata", zip,
                                  {ApiAuth(), "Content-Type: application/zip"}),
                      404);
  auto ok = http_->Send("PUT", path, TestdataZip({{100, 2}}),
                        {ApiAuth(), "Content-Type: application/zip"});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Json(ok).as_object().at("checksum").as_string().size(), 32u);
}

TEST_F(ClientApi, SubmitValidatesAndAnswers201Pending) {
  auto r = Api(
      "POST", "/problems",
      R"({"title":"A+B","tasks":[{"taskScore":100,"caseCount":1,"memoryLimit":65536,"timeLimit":1000}]})");
  int64_t no_data = Json(r).as_object().at("problem_id").as_int64();
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  auto sub = [&](const bj::object& o) { return Api("POST", "/submissions", bj::serialize(o)); };
  ExpectErrorEnvelope(sub({{"problem_id", 777}, {"language", 1}, {"code", "x"}}), 404);
  ExpectErrorEnvelope(sub({{"problem_id", no_data}, {"language", 1}, {"code", "x"}}), 409);
  ExpectErrorEnvelope(sub({{"problem_id", pid}, {"language", 3}, {"code", "x"}}), 400);
  ExpectErrorEnvelope(sub({{"problem_id", pid}, {"language", 64}, {"code", "x"}}), 400);
  ExpectErrorEnvelope(sub({{"problem_id", pid}, {"language", -1}, {"code", "x"}}), 400);
  // A code of a runner's languages file (judging.md §5) is accepted; it waits for such a runner.
  EXPECT_EQ(sub({{"problem_id", pid}, {"language", 5}, {"code", "class Main {}"}}).status, 201);
  ExpectErrorEnvelope(sub({{"problem_id", pid}, {"language", "cpp"}, {"code", "x"}}), 400);
  ExpectErrorEnvelope(sub({{"problem_id", pid}, {"language", 1}, {"code", ""}}), 400);
  ExpectErrorEnvelope(
      sub({{"problem_id", pid}, {"language", 1}, {"code", std::string(300 * 1024, 'x')}}), 400);
  ExpectErrorEnvelope(sub({{"problem_id", pid}, {"language", 1}, {"code", "x"}, {"priority", 9}}),
                      400);
  auto ok = sub({{"problem_id", pid}, {"language", 1}, {"code", "x"}});
  ASSERT_EQ(ok.status, 201);
  auto o = Json(ok).as_object();
  EXPECT_EQ(o.at("status"), -1);
  auto s = Submission(std::string(o.at("submission_id").as_string()));
  EXPECT_EQ(s.at("status"), -1);
  EXPECT_EQ(s.at("job_state"), "pending");
  EXPECT_TRUE(s.at("judged_at").is_null());
  for (const char* key : {"submission_id", "problem_id", "language", "status", "score", "execTime",
                          "memoryUsage", "attempts", "created_at", "judged_at", "tasks"})
    EXPECT_TRUE(s.contains(key)) << key;
}

TEST_F(ClientApi, RejudgeSupersedesTheJobInFlight) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string sid = Submit(pid);
  std::string old_job(Claim(rc).as_object().at("job_id").as_string());
  auto r = Api("POST", "/submissions/" + sid + "/rejudge");
  ASSERT_EQ(r.status, 202) << r.body;
  std::string new_job(Json(r).as_object().at("job_id").as_string());
  EXPECT_NE(new_job, old_job);
  // The old runner's hint says stop; its result is dropped with 204.
  auto hb = http_->Send("POST", "/runners/" + rc.id + "/heartbeat",
                        bj::serialize(bj::object{{"active_job_ids", bj::array{bj::string(old_job)}},
                                                 {"want_hints", true}}),
                        {rc.auth()});
  ASSERT_EQ(hb.status, 200);
  EXPECT_EQ(Json(hb).as_object().at("cancel"), bj::array({bj::string(old_job)}));
  EXPECT_EQ(Complete(rc, old_job, AllCases({1}, "WA")).status, 204);
  EXPECT_EQ(Submission(sid).at("status"), -1);
  auto job = Claim(rc).as_object();
  EXPECT_EQ(job.at("job_id"), bj::value(new_job));
  EXPECT_EQ(Complete(rc, new_job, AllCases({1})).status, 204);
  EXPECT_EQ(Submission(sid).at("status"), 0);
  ExpectErrorEnvelope(Api("POST", "/submissions/sn_01ARZ3NDEKTSV4RRFFQ69G5FAV/rejudge"), 404);
}

TEST_F(ClientApi, PrioritiesPutContestBeforeNormalBeforeRejudge) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string bulk = Submit(pid, 1, "a", 2), normal = Submit(pid, 1, "b", 1),
              contest = Submit(pid, 1, "c", 0);
  EXPECT_EQ(Claim(rc).as_object().at("submission_id"), bj::value(contest));
  EXPECT_EQ(Claim(rc).as_object().at("submission_id"), bj::value(normal));
  EXPECT_EQ(Claim(rc).as_object().at("submission_id"), bj::value(bulk));
}

TEST_F(ClientApi, ListsSubmissionsNewestFirstWithFilters) {
  int64_t p1 = CreateProblemWithTestdata({{100, 1}});
  int64_t p2 = CreateProblemWithTestdata({{100, 1}});
  std::string a = Submit(p1), b = Submit(p2), c = Submit(p1);
  auto r = Api("GET", "/submissions?problem_id=" + std::to_string(p1));
  ASSERT_EQ(r.status, 200);
  auto items = Json(r).as_object().at("submissions").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].as_object().at("submission_id"), bj::value(c));
  EXPECT_EQ(items[1].as_object().at("submission_id"), bj::value(a));
  r = Api("GET", "/submissions?limit=1");
  auto o = Json(r).as_object();
  ASSERT_EQ(o.at("submissions").as_array().size(), 1u);
  std::string next(o.at("next_before").as_string());
  r = Api("GET", "/submissions?limit=5&before=" + next);
  EXPECT_EQ(Json(r).as_object().at("submissions").as_array()[0].as_object().at("submission_id"),
            bj::value(b));
  ExpectErrorEnvelope(Api("GET", "/submissions?limit=0"), 400);
  ExpectErrorEnvelope(Api("GET", "/submissions?status=x"), 400);
  ExpectErrorEnvelope(Api("GET", "/submissions?before=../x"), 400);
  EXPECT_EQ(
      Json(Api("GET", "/submissions?status=-1")).as_object().at("submissions").as_array().size(),
      3u);
}

TEST_F(ClientApi, RunnersListAndRevokeTakesEffectAtOnce) {
  RunnerCreds rc = Register("judge-7");
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  Submit(pid);
  std::string jb(Claim(rc).as_object().at("job_id").as_string());
  auto r = Api("GET", "/runners");
  ASSERT_EQ(r.status, 200);
  auto list = Json(r).as_array();
  ASSERT_EQ(list.size(), 1u);
  auto o = list[0].as_object();
  EXPECT_EQ(o.at("runner_id"), bj::value(rc.id));
  EXPECT_EQ(o.at("name"), "judge-7");
  EXPECT_EQ(o.at("alive"), true);
  EXPECT_EQ(o.at("active_jobs"), bj::array({bj::string(jb)}));
  EXPECT_EQ(Api("DELETE", "/runners/" + rc.id).status, 200);
  ExpectErrorEnvelope(http_->Send("POST", "/runners/" + rc.id + "/heartbeat", "", {rc.auth()}),
                      401);
  ExpectErrorEnvelope(Api("DELETE", "/runners/" + rc.id), 404);
  ExpectErrorEnvelope(Api("DELETE", "/runners/not-an-id"), 404);
}

TEST_F(ClientApi, QueueReportsPendingPerPriorityAndLeased) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  Submit(pid, 1, "a", 0);
  Submit(pid, 1, "b", 1);
  Submit(pid, 1, "c", 1);
  Claim(rc);
  auto r = Api("GET", "/queue");
  ASSERT_EQ(r.status, 200);
  auto q = Json(r).as_object();
  EXPECT_EQ(q.at("pending").as_object().at("0"), 0);
  EXPECT_EQ(q.at("pending").as_object().at("1"), 2);
  EXPECT_EQ(q.at("pending_total"), 2);
  EXPECT_EQ(q.at("leased"), 1);
  EXPECT_GE(q.at("oldest_pending_age_ms").as_int64(), 0);
}

}  // namespace
}  // namespace noj::testing

// Problems that change, over HTTP against a real nojd (judging.md §6, both stores): PUT
// /problems/{pid} replaces tasks and meta as a new version with a new checksum, or changes nothing
// when the body or the stored package does not fit; a job leased before the change is judged on
// its version (next-job's payload names it, its testdata stays downloadable with ?version=N, its
// complete is scored with its tasks) while new claims get the new one; POST
// /problems/{pid}/rejudge requeues the problem's submissions and answers how many.

#include "integration/nojd_fixture.h"

namespace noj::testing {
namespace {

std::string Tasks(const std::vector<std::pair<int, int>>& tasks) {
  bj::array ts;
  for (auto [score, cases] : tasks)
    ts.push_back(bj::object{
        {"taskScore", score}, {"caseCount", cases}, {"memoryLimit", 65536}, {"timeLimit", 1000}});
  return bj::serialize(ts);
}

class ProblemLifecycleTest : public NojdTest {
 protected:
  HttpResult Put(int64_t pid, const std::string& body) {
    return Api("PUT", "/problems/" + std::to_string(pid), body);
  }
  bj::object Show(int64_t pid) {
    auto r = Api("GET", "/problems/" + std::to_string(pid));
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).as_object();
  }
  HttpResult Rejudge(int64_t pid, const std::string& query = "") {
    return Api("POST", "/problems/" + std::to_string(pid) + "/rejudge" + query);
  }
  int64_t Queued(const HttpResult& r) {
    EXPECT_EQ(r.status, 202) << r.body;
    return r.status == 202 ? Json(r).as_object().at("queued").as_int64() : -1;
  }
  // Judges one submission with the given status for every case of a {1, 2} problem.
  void Judge(const RunnerCreds& rc, const std::string& status) {
    bj::value job = Claim(rc);
    ASSERT_TRUE(job.is_object());
    auto r = Complete(rc, std::string(job.as_object().at("job_id").as_string()),
                      AllCases({1, 2}, status));
    ASSERT_EQ(r.status, 204) << r.body;
  }
};

TEST_F(ProblemLifecycleTest, UpdateReplacesTasksAndMetaAsANewVersion) {
  const int64_t pid = CreateProblemWithTestdata({{40, 1}, {60, 2}});
  const bj::object before = Show(pid);
  EXPECT_EQ(before.at("version"), 2);  // created, then testdata
  auto r = Put(pid, R"({"tasks":[{"taskScore":30,"caseCount":1,"memoryLimit":65536,)"
                    R"("timeLimit":500},{"taskScore":70,"caseCount":2,"memoryLimit":65536,)"
                    R"("timeLimit":500}],"checker":{"type":"tokens"}})");
  ASSERT_EQ(r.status, 200) << r.body;
  const bj::object after = Json(r).as_object();
  EXPECT_EQ(after, Show(pid));
  EXPECT_EQ(after.at("version"), 3);
  EXPECT_EQ(after.at("title"), before.at("title"));  // kept when absent
  EXPECT_NE(after.at("checksum"), before.at("checksum"));
  EXPECT_EQ(after.at("checker"), (bj::object{{"type", "tokens"}}));
  EXPECT_EQ(after.at("tasks").as_array()[0].as_object().at("timeLimit"), 500);
  // The body replaces the meta: a key it leaves out is back to its default.
  r = Put(pid, R"({"title":"renamed","tasks":)" + Tasks({{40, 1}, {60, 2}}) + "}");
  ASSERT_EQ(r.status, 200) << r.body;
  const bj::object plain = Json(r).as_object();
  EXPECT_EQ(plain.at("title"), "renamed");
  EXPECT_FALSE(plain.contains("checker"));
  EXPECT_EQ(plain.at("version"), 4);
}

TEST_F(ProblemLifecycleTest, BadUpdatesChangeNothing) {
  const int64_t pid = CreateProblemWithTestdata({{40, 1}, {60, 2}});
  const bj::object before = Show(pid);
  auto r = Put(pid, R"({"tasks":)" + Tasks({{40, 1}, {50, 2}}) + "}");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("100"), std::string::npos) << r.body;
  r = Put(pid, R"({"tasks":)" + Tasks({{100, 1}}) + R"(,"checker":{"type":"magic"}})");
  EXPECT_EQ(r.status, 400) << r.body;
  r = Put(pid, R"({"tasks":)" + Tasks({{40, 1}, {60, 3}}) + "}");  // the zip has 2 cases there
  ExpectErrorEnvelope(r, 400);
  EXPECT_NE(r.body.find("0102.in"), std::string::npos) << r.body;
  r = Put(pid, R"({"title":"","tasks":)" + Tasks({{100, 1}}) + "}");
  EXPECT_EQ(r.status, 400) << r.body;
  r = Put(pid, "not json");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(Show(pid), before);
  EXPECT_EQ(Put(pid + 1000, R"({"tasks":)" + Tasks({{100, 1}}) + "}").status, 404);
  EXPECT_EQ(http_->Send("PUT", "/problems/" + std::to_string(pid), "{}", {}).status, 401);
}

TEST_F(ProblemLifecycleTest, LeasedJobKeepsItsVersionNewClaimsGetTheNewOne) {
  const int64_t pid = CreateProblemWithTestdata({{40, 1}, {60, 2}});
  const std::string old_checksum(Show(pid).at("checksum").as_string());
  const std::string old_zip = last_zip_;
  RunnerCreds rc = Register();
  const std::string first = Submit(pid);
  bj::value old_job = Claim(rc);
  ASSERT_TRUE(old_job.is_object());
  EXPECT_EQ(old_job.as_object().at("problem_version"), 2);
  EXPECT_EQ(old_job.as_object().at("checksum"), bj::value(old_checksum));

  auto r = Put(pid, R"({"tasks":)" + Tasks({{30, 1}, {70, 2}}) + "}");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string new_checksum(Json(r).as_object().at("checksum").as_string());
  ASSERT_NE(new_checksum, old_checksum);

  const std::string second = Submit(pid);
  bj::value new_job = Claim(rc);
  ASSERT_TRUE(new_job.is_object());
  EXPECT_EQ(new_job.as_object().at("problem_version"), 3);
  EXPECT_EQ(new_job.as_object().at("checksum"), bj::value(new_checksum));
  EXPECT_EQ(new_job.as_object().at("tasks").as_array()[0].as_object().at("taskScore"), 30);

  // The old version stays readable for the old lease; the current one without ?version.
  const std::string base = "/problem/" + std::to_string(pid);
  auto sum = http_->Get(base + "/checksum?version=2", {rc.auth()});
  ASSERT_EQ(sum.status, 200) << sum.body;
  EXPECT_EQ(Json(sum).as_object().at("data"), bj::value(old_checksum));
  sum = http_->Get(base + "/checksum", {rc.auth()});
  EXPECT_EQ(Json(sum).as_object().at("data"), bj::value(new_checksum));
  auto meta = http_->Get(base + "/meta?version=2", {rc.auth()});
  ASSERT_EQ(meta.status, 200) << meta.body;
  const bj::value old_meta = Json(meta);
  EXPECT_EQ(old_meta.at("data").at("tasks").at(0).at("taskScore"), 40);
  auto zip = http_->Get(base + "/testdata?version=2", {rc.auth()});
  ASSERT_EQ(zip.status, 200);
  EXPECT_EQ(zip.body, old_zip);
  EXPECT_EQ(http_->Get(base + "/meta?version=abc", {rc.auth()}).status, 400);
  EXPECT_EQ(http_->Get(base + "/meta?version=99", {rc.auth()}).status, 404);

  // Each is scored with the tasks of its own version: task 0 WA, task 1 AC.
  const std::string wa_then_ac =
      R"({"tasks":[[{"status":"WA","exitCode":0,"execTime":1,"memoryUsage":1,"stdout":"",)"
      R"("stderr":""}],[{"status":"AC","exitCode":0,"execTime":1,"memoryUsage":1,"stdout":"",)"
      R"("stderr":""},{"status":"AC","exitCode":0,"execTime":1,"memoryUsage":1,"stdout":"",)"
      R"("stderr":""}]]})";
  auto done = Complete(rc, std::string(old_job.as_object().at("job_id").as_string()), wa_then_ac);
  ASSERT_EQ(done.status, 204) << done.body;
  done = Complete(rc, std::string(new_job.as_object().at("job_id").as_string()), wa_then_ac);
  ASSERT_EQ(done.status, 204) << done.body;
  EXPECT_EQ(Submission(first).at("score"), 60);
  EXPECT_EQ(Submission(second).at("score"), 70);
}

TEST_F(ProblemLifecycleTest, RejudgeQueuesTheProblemsSubmissionsAtBulkPriority) {
  const int64_t pid = CreateProblemWithTestdata({{40, 1}, {60, 2}});
  const int64_t other = CreateProblemWithTestdata({{40, 1}, {60, 2}});
  RunnerCreds rc = Register();
  std::vector<std::string> sids;
  for (const char* status : {"AC", "WA", "AC", "TLE"}) {
    sids.push_back(Submit(pid));
    Judge(rc, status);
  }
  const std::string elsewhere = Submit(other);
  Judge(rc, "AC");

  EXPECT_EQ(Queued(Rejudge(pid, "?status=AC")), 2);
  EXPECT_EQ(Submission(sids[0]).at("status"), -1);
  EXPECT_EQ(Submission(sids[0]).at("priority"), 2);
  EXPECT_EQ(Submission(sids[1]).at("status"), 1);
  EXPECT_EQ(Submission(elsewhere).at("status"), 0);
  EXPECT_EQ(Queued(Rejudge(pid, "?status=2")), 0);  // CE: none
  EXPECT_EQ(Queued(Rejudge(pid)), 4);
  for (const std::string& sid : sids) EXPECT_EQ(Submission(sid).at("status"), -1);
  EXPECT_EQ(Submission(elsewhere).at("status"), 0);

  EXPECT_EQ(Rejudge(pid, "?status=XX").status, 400);
  EXPECT_EQ(Rejudge(pid, "?status=9").status, 400);
  EXPECT_EQ(Rejudge(pid + 1000).status, 404);
  EXPECT_EQ(http_->Send("POST", "/problems/" + std::to_string(pid) + "/rejudge", "", {}).status,
            401);
}

}  // namespace
}  // namespace noj::testing

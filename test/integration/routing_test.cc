// Routing (judging.md §5) through the HTTP API: runners declare languages and features at
// registration, a job goes only to a runner that can take it (Normal-OJ's runner, which declares
// nothing, gets plain jobs only), and GET /queue, /metrics show what waits per requirement class
// with the number of alive runners able to take it.

#include <gmock/gmock.h>

#include <chrono>
#include <thread>

#include "integration/nojd_fixture.h"

namespace noj::testing {
namespace {

class RoutingTest : public NojdTest {
 protected:
  // Registers with an extra JSON fragment next to the name, e.g. R"("features":["checker"])".
  HttpResult RegisterRaw(const std::string& fields) {
    std::string body = R"({"registration_token":")" + nojd_->registration_token() +
                       R"(","name":"r")" + (fields.empty() ? "" : "," + fields) + "}";
    return http_->Send("POST", "/runners/register", body);
  }
  RunnerCreds RegisterWith(const std::string& fields) {
    HttpResult r = RegisterRaw(fields);
    EXPECT_EQ(r.status, 201) << r.body;
    auto o = Json(r).as_object();
    return RunnerCreds{std::string(o.at("runner_id").as_string()),
                       std::string(o.at("token").as_string())};
  }
  // A problem of one task (one case) with the given judging.md §2 meta keys and testdata.
  int64_t ProblemWithMeta(const std::string& meta_fields) {
    std::string body =
        R"({"title":"routed","tasks":[{"taskScore":100,"caseCount":1,"memoryLimit":65536,)"
        R"("timeLimit":1000}])" +
        (meta_fields.empty() ? "" : "," + meta_fields) + "}";
    HttpResult r = Api("POST", "/problems", body);
    EXPECT_EQ(r.status, 201) << r.body;
    int64_t pid = Json(r).as_object().at("problem_id").as_int64();
    auto up = http_->Send("PUT", "/problems/" + std::to_string(pid) + "/testdata",
                          TestdataZip({{100, 1}}), {ApiAuth(), "Content-Type: application/zip"});
    EXPECT_EQ(up.status, 200) << up.body;
    return pid;
  }
  const bj::object* RunnerEntry(const bj::value& runners, const std::string& id) {
    for (const bj::value& r : runners.as_array())
      if (r.as_object().at("runner_id").as_string() == id) return &r.as_object();
    return nullptr;
  }
  bj::array QueueClasses() {
    return Json(Api("GET", "/queue")).as_object().at("classes").as_array();
  }
};

TEST_F(RoutingTest, DeclaredLanguagesAndFeaturesAreStoredAndShown) {
  RunnerCreds java = RegisterWith(R"("languages":[4,1,1],"features":["fileio","checker"])");
  RunnerCreds plain = Register("normal-oj");
  bj::value runners = Json(Api("GET", "/runners"));
  const bj::object* j = RunnerEntry(runners, java.id);
  ASSERT_NE(j, nullptr);
  EXPECT_EQ(bj::serialize(j->at("languages")), "[1,4]");
  EXPECT_EQ(bj::serialize(j->at("features")), R"(["checker","fileio"])");
  const bj::object* p = RunnerEntry(runners, plain.id);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(bj::serialize(p->at("languages")), "[0,1,2]");  // what Normal-OJ's runner can do
  EXPECT_EQ(bj::serialize(p->at("features")), "[]");
  // null is as good as absent.
  RunnerCreds nulls = RegisterWith(R"("languages":null,"features":null)");
  bj::value again = Json(Api("GET", "/runners"));
  const bj::object* n = RunnerEntry(again, nulls.id);
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(bj::serialize(n->at("languages")), "[0,1,2]");
}

TEST_F(RoutingTest, MalformedCapabilitiesAre400WithAClearMessageAndStoreNothing) {
  const std::pair<std::string, std::string> cases[] = {
      {R"("languages":"0,1")", "languages must be an array"},
      {R"("languages":[0,64])", "language codes (0-63)"},
      {R"("languages":[-1])", "language codes (0-63)"},
      {R"("languages":[1.5])", "language codes (0-63)"},
      {R"("languages":["1"])", "language codes (0-63)"},
      {R"("languages":[])", "at least one language"},
      {R"("features":"checker")", "features must be an array"},
      {R"("features":[1])", "features must be an array"},
      {R"("features":["checker","graders"])", "unknown feature 'graders'"},
  };
  for (const auto& [fields, message] : cases) {
    HttpResult r = RegisterRaw(fields);
    ExpectErrorEnvelope(r, 400);
    EXPECT_THAT(Json(r).as_object().at("message").as_string().c_str(),
                ::testing::HasSubstr(message))
        << fields;
  }
  // A wrong registration token is still 401, whatever else the body holds.
  ExpectErrorEnvelope(
      http_->Send("POST", "/runners/register", R"({"registration_token":"wrong","languages":"x"})"),
      401);
  EXPECT_EQ(Json(Api("GET", "/runners")).as_array().size(), 0u);
}

// Normal-OJ's runner declares nothing: it can take plain jobs of languages 0-2 and nothing else.
TEST_F(RoutingTest, ARunnerThatDeclaresNothingIsNeverHandedAJobThatNeedsAFeature) {
  const int64_t checker = ProblemWithMeta(R"("checker":{"type":"exact"})");
  const int64_t plain = CreateProblemWithTestdata({{100, 1}});
  RunnerCreds normal_oj = Register("normal-oj");
  const std::string needs_checker = Submit(checker);
  EXPECT_TRUE(Claim(normal_oj).is_null());
  const std::string plain_sid = Submit(plain);
  bj::value got = Claim(normal_oj);
  ASSERT_TRUE(got.is_object());
  EXPECT_EQ(got.as_object().at("submission_id").as_string(), plain_sid);
  EXPECT_TRUE(Claim(normal_oj).is_null());
  // A runner that said it can run checkers takes it.
  RunnerCreds ours = RegisterWith(R"("languages":[0,1,2],"features":["checker"])");
  got = Claim(ours);
  ASSERT_TRUE(got.is_object());
  EXPECT_EQ(got.as_object().at("submission_id").as_string(), needs_checker);
  // The job waited; it was never JE.
  EXPECT_EQ(Submission(needs_checker).at("status").as_int64(), -1);
  EXPECT_EQ(Submission(needs_checker).at("job_state").as_string(), "leased");
}

TEST_F(RoutingTest, ALongPollingRunnerIsWokenOnlyForAJobItCanTake) {
  const int64_t checker = ProblemWithMeta(R"("checker":{"type":"tokens"})");
  RunnerCreds ours = RegisterWith(R"("features":["checker"])");
  RunnerCreds normal_oj = Register("normal-oj");
  // Both park; the job goes to the one that can take it, the other times out with 204.
  HttpResult normal_result, ours_result;
  HttpClient normal_http(nojd_->base_url()), ours_http(nojd_->base_url());  // one per thread
  std::thread normal([&] {
    normal_result =
        normal_http.Get("/runners/" + normal_oj.id + "/next-job?wait=3", {normal_oj.auth()});
  });
  std::thread parked([&] {
    ours_result = ours_http.Get("/runners/" + ours.id + "/next-job?wait=10", {ours.auth()});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // both parked
  const std::string sid = Submit(checker);
  parked.join();
  normal.join();
  EXPECT_EQ(ours_result.status, 200) << ours_result.body;
  EXPECT_EQ(Json(ours_result).as_object().at("submission_id").as_string(), sid);
  EXPECT_EQ(normal_result.status, 204) << normal_result.body;
}

TEST_F(RoutingTest, QueueAndMetricsShowEachClassWithTheRunnersAbleToTakeIt) {
  const int64_t checker = ProblemWithMeta(R"("checker":{"type":"float","abs":1e-6,"rel":1e-6})");
  const int64_t plain = CreateProblemWithTestdata({{100, 1}});
  Submit(checker, 1);
  Submit(checker, 1);
  Submit(plain, 2);
  Register("normal-oj");
  bj::array classes = QueueClasses();
  ASSERT_EQ(classes.size(), 2u);
  // By key: "1:1" (C++ + checker), then "2:0" (Python 3).
  const bj::object& c = classes[0].as_object();
  EXPECT_EQ(c.at("key").as_string(), "1:1");
  EXPECT_EQ(c.at("label").as_string(), "C++ + checker");
  EXPECT_EQ(c.at("language").as_int64(), 1);
  EXPECT_EQ(bj::serialize(c.at("features")), R"(["checker"])");
  EXPECT_EQ(c.at("pending").as_int64(), 2);
  EXPECT_GE(c.at("oldest_pending_age_ms").as_int64(), 0);
  EXPECT_EQ(c.at("runners_able").as_int64(), 0);  // "C++ + checker: 2 waiting, no runner"
  const bj::object& p = classes[1].as_object();
  EXPECT_EQ(p.at("key").as_string(), "2:0");
  EXPECT_EQ(p.at("label").as_string(), "Python 3");
  EXPECT_EQ(p.at("pending").as_int64(), 1);
  EXPECT_EQ(p.at("runners_able").as_int64(), 1);

  RegisterWith(R"("languages":[1],"features":["checker"])");
  classes = QueueClasses();
  EXPECT_EQ(classes[0].as_object().at("runners_able").as_int64(), 1);
  EXPECT_EQ(classes[1].as_object().at("runners_able").as_int64(), 1);

  HttpResult metrics = http_->Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.body, ::testing::HasSubstr(
                                R"(noj_class_jobs_pending{class="1:1",label="C++ + checker"} 2)"));
  EXPECT_THAT(metrics.body,
              ::testing::HasSubstr(R"(noj_class_runners_able{class="2:0",label="Python 3"} 1)"));
  EXPECT_THAT(metrics.body, ::testing::HasSubstr("noj_class_oldest_pending_age_seconds{"));
}

TEST_F(RoutingTest, AProblemsLanguagesRestrictWhatItAccepts) {
  const int64_t c_only = ProblemWithMeta(R"("languages":[0])");
  HttpResult r =
      Api("POST", "/submissions",
          R"({"problem_id":)" + std::to_string(c_only) + R"(,"language":1,"code":"int main(){}"})");
  ExpectErrorEnvelope(r, 400);
  EXPECT_THAT(Json(r).as_object().at("message").as_string().c_str(), ::testing::HasSubstr("0 (C)"));
  Submit(c_only, 0);  // C is fine
  EXPECT_EQ(Json(Api("GET", "/queue")).as_object().at("pending_total").as_int64(), 1);
}

TEST_F(RoutingTest, ARejudgedJobNeedsWhatItsProblemNeeds) {
  const int64_t checker = ProblemWithMeta(R"("checker":{"type":"exact"})");
  const std::string sid = Submit(checker);
  RunnerCreds ours = RegisterWith(R"("features":["checker"])");
  bj::value job = Claim(ours);
  ASSERT_TRUE(job.is_object());
  ASSERT_EQ(
      Complete(ours, std::string(job.as_object().at("job_id").as_string()), AllCases({1})).status,
      204);
  ASSERT_EQ(Api("POST", "/submissions/" + sid + "/rejudge").status, 202);
  bj::array classes = QueueClasses();
  ASSERT_EQ(classes.size(), 1u);
  EXPECT_EQ(classes[0].as_object().at("key").as_string(), "1:1");
  EXPECT_TRUE(Claim(Register("normal-oj")).is_null());
  EXPECT_TRUE(Claim(ours).is_object());
}

}  // namespace
}  // namespace noj::testing

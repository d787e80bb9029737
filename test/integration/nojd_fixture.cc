#include "integration/nojd_fixture.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "common/zip_archive.h"
#include "judge/testdata_layout.h"
#include "support/local_redis.h"

namespace noj::testing {

void NojdTest::SetUp() {
  // The same suite runs against the Redis store when ctest sets NOJ_IT_STORE=redis.
  const char* store = std::getenv("NOJ_IT_STORE");
  const bool redis = store != nullptr && std::string(store) == "redis";
  if (redis) {
    if (std::string why = LocalRedis::MissingShared(); !why.empty()) GTEST_SKIP() << why;
  }
  char tmpl[] = "/tmp/noj-it-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  std::vector<std::string> flags = Flags();
  if (redis) {
    flags.push_back("--store");
    flags.push_back(LocalRedis::Shared().FreshStoreUrl());
  }
  nojd_ = std::make_unique<NojdProcess>(dir_, flags);
  std::string err;
  ASSERT_TRUE(nojd_->Start(&err)) << err;
  http_ = std::make_unique<HttpClient>(nojd_->base_url());
  api_token_ = nojd_->api_token();
  ASSERT_FALSE(api_token_.empty());
}

void NojdTest::TearDown() {
  http_.reset();
  if (nojd_) nojd_->Stop();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

HttpResult NojdTest::Api(const std::string& method, const std::string& path,
                         const std::string& body) {
  return http_->Send(method, path, body, {ApiAuth()});
}

bj::value NojdTest::Json(const HttpResult& r) {
  boost::system::error_code ec;
  bj::value v = bj::parse(r.body, ec);
  EXPECT_FALSE(ec) << "not JSON: " << r.body;
  return v;
}

std::string NojdTest::TestdataZip(const std::vector<std::pair<int, int>>& tasks) {
  std::vector<zip::Entry> entries;
  for (size_t t = 0; t < tasks.size(); ++t)
    for (int c = 0; c < tasks[t].second; ++c) {
      std::string in = std::to_string(t) + " " + std::to_string(c) + "\n";
      entries.push_back({judge::CaseFileName(static_cast<int>(t), c, "in"), in});
      entries.push_back({judge::CaseFileName(static_cast<int>(t), c, "out"),
                         std::to_string(static_cast<int>(t) + c) + "\n"});
    }
  auto z = zip::Build(entries);
  EXPECT_TRUE(z.ok());
  return z.ok() ? *z : "";
}

int64_t NojdTest::CreateProblemWithTestdata(const std::vector<std::pair<int, int>>& tasks) {
  bj::array ts;
  for (auto [score, cases] : tasks)
    ts.push_back(bj::object{
        {"taskScore", score}, {"caseCount", cases}, {"memoryLimit", 65536}, {"timeLimit", 1000}});
  auto r = Api("POST", "/problems", bj::serialize(bj::object{{"title", "A+B"}, {"tasks", ts}}));
  EXPECT_EQ(r.status, 201) << r.body;
  int64_t pid = Json(r).as_object().at("problem_id").as_int64();
  last_zip_ = TestdataZip(tasks);
  auto up = http_->Send("PUT", "/problems/" + std::to_string(pid) + "/testdata", last_zip_,
                        {ApiAuth(), "Content-Type: application/zip"});
  EXPECT_EQ(up.status, 200) << up.body;
  return pid;
}

std::string NojdTest::Submit(int64_t pid, int language, const std::string& code, int priority) {
  auto r = Api(
      "POST", "/submissions",
      bj::serialize(bj::object{
          {"problem_id", pid}, {"language", language}, {"code", code}, {"priority", priority}}));
  EXPECT_EQ(r.status, 201) << r.body;
  return std::string(Json(r).as_object().at("submission_id").as_string());
}

RunnerCreds NojdTest::Register(const std::string& name) {
  auto r = http_->Send("POST", "/runners/register",
                       bj::serialize(bj::object{{"registration_token", nojd_->registration_token()},
                                                {"name", name}}));
  EXPECT_EQ(r.status, 201) << r.body;
  auto o = Json(r).as_object();
  return RunnerCreds{std::string(o.at("runner_id").as_string()),
                     std::string(o.at("token").as_string())};
}

bj::value NojdTest::Claim(const RunnerCreds& rc, int wait_s) {
  auto r = http_->Get(
      "/runners/" + rc.id + "/next-job" + (wait_s ? "?wait=" + std::to_string(wait_s) : ""),
      {rc.auth()});
  if (r.status == 204) return nullptr;
  EXPECT_EQ(r.status, 200) << r.body;
  return Json(r);
}

std::string NojdTest::AllCases(const std::vector<int>& case_counts, const std::string& status) {
  bj::array tasks;
  for (int n : case_counts) {
    bj::array cases;
    for (int i = 0; i < n; ++i)
      cases.push_back(bj::object{{"status", status},
                                 {"exitCode", 0},
                                 {"execTime", 12},
                                 {"memoryUsage", 1024},
                                 {"stdout", "out"},
                                 {"stderr", ""}});
    tasks.push_back(std::move(cases));
  }
  return bj::serialize(bj::object{{"tasks", tasks}});
}

HttpResult NojdTest::Complete(const RunnerCreds& rc, const std::string& job,
                              const std::string& body, int attempt) {
  std::vector<std::string> h = {rc.auth()};
  if (attempt >= 0) h.push_back("X-Job-Attempt: " + std::to_string(attempt));
  return http_->Send("PUT", "/runners/" + rc.id + "/jobs/" + job + "/complete", body, h);
}

bj::object NojdTest::Submission(const std::string& sid) {
  auto r = Api("GET", "/submissions/" + sid);
  EXPECT_EQ(r.status, 200) << r.body;
  return Json(r).as_object();
}

bj::object NojdTest::WaitFinal(const std::string& sid, int timeout_s) {
  auto r = Api("GET", "/submissions/" + sid + "?wait=" + std::to_string(timeout_s));
  EXPECT_EQ(r.status, 200) << r.body;
  return Json(r).as_object();
}

void ExpectErrorEnvelope(const HttpResult& r, int status) {
  EXPECT_EQ(r.status, status) << r.body;
  boost::system::error_code ec;
  bj::value v = bj::parse(r.body, ec);
  ASSERT_FALSE(ec) << "error body is not JSON: " << r.body;
  ASSERT_TRUE(v.is_object()) << r.body;
  const auto& o = v.as_object();
  EXPECT_EQ(o.at("status"), "err") << r.body;
  EXPECT_TRUE(o.at("message").is_string()) << r.body;
  EXPECT_FALSE(o.at("message").as_string().empty()) << r.body;
  EXPECT_TRUE(o.contains("data")) << r.body;
}

}  // namespace noj::testing

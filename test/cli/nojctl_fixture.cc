#include "cli/nojctl_fixture.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include "integration/http_client.h"
#include "judge/testdata_layout.h"

namespace noj::cli::testing {

std::vector<std::string> NojctlTest::WithServer(std::vector<std::string> args) const {
  args.insert(args.begin(), {"--server", nojd_->base_url(), "--token", api_token_});
  return args;
}

CliResult NojctlTest::Cli(std::vector<std::string> args, std::vector<std::string> env) {
  return RunNojctl(WithServer(std::move(args)), std::move(env));
}

bj::value NojctlTest::CliJson(std::vector<std::string> args) {
  args.push_back("--json");
  CliResult r = Cli(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
  boost::system::error_code ec;
  bj::value v = bj::parse(r.out, ec);
  EXPECT_FALSE(ec) << "not JSON: " << r.out;
  return v;
}

std::string NojctlTest::WriteFile(const std::string& name, const std::string& content) {
  std::filesystem::path p = std::filesystem::path(dir_) / "files" / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

std::string NojctlTest::TestdataDir(const std::vector<std::pair<int, int>>& tasks) {
  static int n = 0;
  std::string dir = "testdata" + std::to_string(n++);
  for (size_t t = 0; t < tasks.size(); ++t)
    for (int c = 0; c < tasks[t].second; ++c) {
      WriteFile(dir + "/" + judge::CaseFileName(static_cast<int>(t), c, "in"), "1 2\n");
      WriteFile(dir + "/" + judge::CaseFileName(static_cast<int>(t), c, "out"), "3\n");
    }
  return (std::filesystem::path(dir_) / "files" / dir).string();
}

std::string NojctlTest::CasesBody(const std::vector<int>& case_counts, const std::string& status,
                                  const std::string& stderr_text) {
  bj::array tasks;
  for (int n : case_counts) {
    bj::array cases;
    for (int i = 0; i < n; ++i)
      cases.push_back(bj::object{{"status", status},
                                 {"exitCode", 0},
                                 {"execTime", 7 + i},
                                 {"memoryUsage", 2048},
                                 {"stdout", ""},
                                 {"stderr", stderr_text}});
    tasks.push_back(std::move(cases));
  }
  return bj::serialize(bj::object{{"tasks", tasks}});
}

std::thread NojctlTest::JudgeNext(RunnerCreds runner, std::function<bool()> claim_when,
                                  std::function<bool()> complete_when, std::string body) {
  std::string base = nojd_->base_url();
  return std::thread([=] {
    noj::testing::HttpClient http(base);
    EXPECT_TRUE(Eventually(claim_when)) << "never time to claim";
    auto claimed = http.Get("/runners/" + runner.id + "/next-job?wait=10", {runner.auth()});
    ASSERT_EQ(claimed.status, 200) << claimed.body;
    std::string job(bj::parse(claimed.body).as_object().at("job_id").as_string());
    EXPECT_TRUE(Eventually(complete_when)) << "never time to complete";
    auto done = http.Send("PUT", "/runners/" + runner.id + "/jobs/" + job + "/complete", body,
                          {runner.auth()});
    EXPECT_EQ(done.status, 204) << done.body;
  });
}

void ExpectOneLineError(const CliResult& r, int code, const std::string& text) {
  EXPECT_EQ(r.exit_code, code) << "stderr: " << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("nojctl: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(text), std::string::npos) << "expected '" << text << "' in: " << r.err;
}

bool Eventually(const std::function<bool()>& cond, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (!cond()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace noj::cli::testing

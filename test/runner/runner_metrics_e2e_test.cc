// noj-runner --metrics-listen end to end: a real runner and sandbox judge two submissions; its
// /metrics then shows the verdicts, compile and run times, the testdata cache and the tier.

#include <netinet/in.h>
#include <sys/socket.h>

#include "runner/runner_e2e_fixture.h"
#include "support/prometheus_text.h"

namespace noj::runner {
namespace {

int FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

using RunnerMetricsE2E = RunnerE2E;

TEST_F(RunnerMetricsE2E, ScrapeAfterTwoJobs) {
  int port = FreeLoopbackPort();
  ASSERT_GT(port, 0);
  int64_t pid = CreateProblemWithTestdata({{100, 2}});
  // Testdata case c of task 0 reads "0 c" and expects "c".
  const std::string ac =
      "#include <cstdio>\nint main(){int a,b;std::scanf(\"%d %d\",&a,&b);"
      "std::printf(\"%d\\n\",a+b);}\n";
  const std::string wa =
      "#include <cstdio>\nint main(){int a,b;std::scanf(\"%d %d\",&a,&b);"
      "std::printf(\"%d\\n\",a+b+1);}\n";
  std::string s1 = Submit(pid, 1, ac);
  std::string s2 = Submit(pid, 1, wa);
  auto runner = StartRunner("metrics", {"--metrics-listen", "127.0.0.1:" + std::to_string(port)});
  ASSERT_TRUE(runner->started());
  ASSERT_EQ(WaitFinal(s1, 30).at("status"), 0) << runner->Log();
  ASSERT_EQ(WaitFinal(s2, 30).at("status"), 1) << runner->Log();

  noj::testing::HttpClient scraper("http://127.0.0.1:" + std::to_string(port));
  std::optional<noj::testing::Exposition> e;
  std::string error, body;
  // The result is sent before the worker records it: allow the last job a moment to finish.
  ASSERT_TRUE(WaitUntil(
      [&] {
        auto r = scraper.Get("/metrics");
        if (r.status != 200) return false;
        body = r.body;
        e = noj::testing::ParseExposition(r.body, &error);
        return e && e->Sum("noj_runner_jobs_done_total") == 2 &&
               e->Get("noj_runner_jobs_running") == 0;
      },
      10s))
      << error << "\n"
      << body << "\n"
      << runner->Log();
  EXPECT_EQ(e->Get("noj_runner_jobs_done_total", R"(verdict="AC")"), 1);
  EXPECT_EQ(e->Get("noj_runner_jobs_done_total", R"(verdict="WA")"), 1);
  EXPECT_EQ(e->Get("noj_runner_compile_seconds_count"), 2);
  EXPECT_EQ(e->Get("noj_runner_run_seconds_count"), 4);  // 2 jobs × 2 cases
  EXPECT_EQ(e->Get("noj_runner_testdata_cache_total", R"(result="miss")"), 1);
  EXPECT_EQ(e->Get("noj_runner_testdata_cache_total", R"(result="hit")"), 1);
  EXPECT_EQ(e->Get("noj_runner_send_retries_total"), 0);
  EXPECT_EQ(e->Sum("noj_runner_sandbox_info"), 1);
  EXPECT_EQ(e->Sum("noj_runner_sandbox_info", {{"tier", "full"}}), 1) << body;

  runner->Signal(SIGTERM);
  EXPECT_EQ(runner->Wait(30s), 0);
}

}  // namespace
}  // namespace noj::runner

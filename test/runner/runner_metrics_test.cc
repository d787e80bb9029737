// RunnerMetrics: what each event records, the tier label, the exposition format, the listener.

#include "runner/runner_metrics.h"

#include <gtest/gtest.h>

#include "support/prometheus_text.h"
#include "support/status_matchers.h"

namespace noj::runner {
namespace {

using noj::testing::Exposition;
using noj::testing::ParseExposition;
using noj::testing::StatusIs;

Exposition Scrape(const RunnerMetrics& m) {
  std::string error;
  auto e = ParseExposition(m.Render(), &error);
  EXPECT_TRUE(e.has_value()) << error;
  return e.value_or(Exposition{});
}

TEST(RunnerMetricsTest, EventsAreRecorded) {
  RunnerMetrics m;
  m.JobStarted();
  m.JobStarted();
  m.JobFinished();
  m.JobDone(api::Verdict::kAC);
  m.JobDone(api::Verdict::kTLE);
  m.JobDone(api::Verdict::kTLE);
  m.CompileSeconds(0.8);
  m.RunSeconds(0.004);
  m.RunSeconds(0.2);
  m.TestdataCache(false);
  m.TestdataCache(true);
  m.TestdataCache(true);
  m.SendRetry();
  Exposition e = Scrape(m);
  EXPECT_EQ(e.Get("noj_runner_jobs_running"), 1);
  EXPECT_EQ(e.Get("noj_runner_jobs_done_total", R"(verdict="AC")"), 1);
  EXPECT_EQ(e.Get("noj_runner_jobs_done_total", R"(verdict="TLE")"), 2);
  EXPECT_EQ(e.Get("noj_runner_jobs_done_total", R"(verdict="WA")"), 0);
  EXPECT_EQ(e.Get("noj_runner_compile_seconds_count"), 1);
  EXPECT_EQ(e.Get("noj_runner_compile_seconds_bucket", R"(le="1")"), 1);
  EXPECT_EQ(e.Get("noj_runner_run_seconds_count"), 2);
  EXPECT_EQ(e.Get("noj_runner_run_seconds_bucket", R"(le="0.005")"), 1);
  EXPECT_EQ(e.Get("noj_runner_testdata_cache_total", R"(result="hit")"), 2);
  EXPECT_EQ(e.Get("noj_runner_testdata_cache_total", R"(result="miss")"), 1);
  EXPECT_EQ(e.Get("noj_runner_send_retries_total"), 1);
}

TEST(RunnerMetricsTest, SandboxTierFromTheProtectionsLine) {
  RunnerMetrics m;
  const std::string full =
      "cgroup-mem=v1 cgroup-pids=v1 cgroup-cpu=v2 kill=cgroup ns=pid,mnt,net,ipc,uts "
      "netns=shared seccomp=yes landlock=scope uid=dedicated";
  m.SandboxProtections(full);
  Exposition e = Scrape(m);
  EXPECT_EQ(e.Get("noj_runner_sandbox_info", "protections=\"" + full + "\",tier=\"full\""), 1);
  // Replaced, not added: one series at a time.
  m.SandboxProtections("cgroup-mem=v2 cgroup-pids=v2 cgroup-cpu=v2 kill=uid ns=none seccomp=yes");
  e = Scrape(m);
  EXPECT_EQ(e.Sum("noj_runner_sandbox_info"), 1);
  EXPECT_EQ(e.Sum("noj_runner_sandbox_info", {{"tier", "cgroups"}}), 1);
  m.SandboxProtections("cgroup-mem=none cgroup-pids=none ns=none");
  EXPECT_EQ(Scrape(m).Sum("noj_runner_sandbox_info", {{"tier", "rlimits"}}), 1);
  m.SandboxProtections("fake-judge");
  EXPECT_EQ(Scrape(m).Sum("noj_runner_sandbox_info", {{"tier", "unknown"}}), 1);
}

TEST(RunnerMetricsTest, ListenRefusesABadAddressWithoutThrowing) {
  RunnerMetrics m;
  EXPECT_THAT(m.Listen("not an address"), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_EQ(m.port(), 0);
  ASSERT_OK(m.Listen("127.0.0.1:0"));
  EXPECT_GT(m.port(), 0);
}

}  // namespace
}  // namespace noj::runner

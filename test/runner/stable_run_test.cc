// RunStable (stable_run.h): re-runs near the CPU limit, the lowest run's verdict and files kept.

#include "runner/stable_run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stop_token>
#include <string>
#include <vector>

#include "runner/fakes.h"
#include "runner/fs_util.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using testing::FakeExecutor;
using SV = sandbox::Verdict;

// A scripted program: run i takes cpu[i] ms (TLE above the limit) and prints "run <i>" to
// stdout, "err <i>" to stderr and into a collected file out.txt.
struct Script {
  std::vector<int64_t> cpu;
  int64_t limit = 1000;
  int runs = 0;

  sandbox::RunResult operator()(const sandbox::RunRequest& r) {
    const int i = runs++;
    const int64_t ms = cpu.at(static_cast<size_t>(i));
    EXPECT_TRUE(WriteFile(r.stdout_path, "run " + std::to_string(i)).ok());
    EXPECT_TRUE(WriteFile(r.stderr_path, "err " + std::to_string(i)).ok());
    if (!r.collect_dir.empty()) {
      EXPECT_TRUE(WriteFile(fs::path(r.collect_dir) / "out.txt", std::to_string(i)).ok());
    }
    sandbox::RunResult res = testing::Ok(ms);
    if (ms > limit) res.verdict = SV::kTle;
    return res;
  }
};

struct StableRunTest : ::testing::Test {
  noj::testing::TempDir tmp;
  sandbox::RunRequest request;

  void SetUp() override {
    request.limits.cpu_ms = 1000;
    request.stdout_path = (tmp.path() / "case.out").string();
    request.stderr_path = (tmp.path() / "case.err").string();
    request.collect_dir = (tmp.path() / "files").string();
    ASSERT_OK(MakeDirs(request.collect_dir));
  }

  // Runs `cpu` through RunStable with `reruns`; returns the result, `runs` the count.
  sandbox::RunResult Run(std::vector<int64_t> cpu, int reruns, int* runs,
                         RunnerMetrics* metrics = nullptr) {
    Script script{std::move(cpu)};
    FakeExecutor exec([&](const sandbox::RunRequest& r) { return script(r); });
    sandbox::RunResult res = RunStable(exec, request, reruns, std::stop_token(), metrics);
    *runs = script.runs;
    return res;
  }

  std::string Out() const { return ReadFilePrefix(request.stdout_path, 100); }
  std::string Err() const { return ReadFilePrefix(request.stderr_path, 100); }
  std::string Collected() const {
    return ReadFilePrefix(fs::path(request.collect_dir) / "out.txt", 100);
  }
  // Nothing of the re-runs is left beside the canonical paths.
  void ExpectNoRerunLeftovers() const {
    for (const std::string& p : {request.stdout_path, request.stderr_path, request.collect_dir})
      EXPECT_FALSE(fs::exists(p + ".rerun")) << p;
  }
};

TEST(NearCpuLimit, FivePercentEitherSideInclusive) {
  EXPECT_TRUE(NearCpuLimit(950, 1000));
  EXPECT_TRUE(NearCpuLimit(1000, 1000));
  EXPECT_TRUE(NearCpuLimit(1050, 1000));
  EXPECT_FALSE(NearCpuLimit(949, 1000));
  EXPECT_FALSE(NearCpuLimit(1051, 1000));
  EXPECT_FALSE(NearCpuLimit(0, 1000));
}

TEST_F(StableRunTest, ClearlyInsideRunsOnce) {
  int runs = 0;
  sandbox::RunResult res = Run({900, 900}, 2, &runs);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(res.verdict, SV::kOk);
  EXPECT_EQ(Out(), "run 0");
  ExpectNoRerunLeftovers();
}

TEST_F(StableRunTest, ClearlyOverRunsOnce) {
  int runs = 0;
  sandbox::RunResult res = Run({1200, 900}, 2, &runs);
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(res.verdict, SV::kTle);
  EXPECT_EQ(res.cpu_ms, 1200);
}

TEST_F(StableRunTest, NearTheLimitTakesTheLowestRunWithItsFiles) {
  // A TLE killed at 1040 ms, then 1010 (TLE again), then 980 (inside, but still near).
  int runs = 0;
  RunnerMetrics metrics;
  sandbox::RunResult res = Run({1040, 1010, 980}, 2, &runs, &metrics);
  EXPECT_EQ(runs, 3);
  EXPECT_EQ(res.verdict, SV::kOk);
  EXPECT_EQ(res.cpu_ms, 980);
  EXPECT_EQ(Out(), "run 2");  // what the checker will judge is that run's output
  EXPECT_EQ(Err(), "err 2");
  EXPECT_EQ(Collected(), "2");
  ExpectNoRerunLeftovers();
  std::string text = metrics.Render();
  EXPECT_THAT(text, ::testing::HasSubstr("noj_runner_case_reruns_total 2"));
  EXPECT_THAT(text, ::testing::HasSubstr("noj_runner_rerun_verdict_changes_total 1"));
}

TEST_F(StableRunTest, AHigherReRunDoesNotReplaceTheFirst) {
  int runs = 0;
  sandbox::RunResult res = Run({990, 1030}, 1, &runs);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(res.verdict, SV::kOk);
  EXPECT_EQ(res.cpu_ms, 990);
  EXPECT_EQ(Out(), "run 0");
  EXPECT_EQ(Collected(), "0");
  ExpectNoRerunLeftovers();
}

TEST_F(StableRunTest, StopsAsSoonAsARunIsClearlyInside) {
  int runs = 0;
  sandbox::RunResult res = Run({1030, 700, 600}, 2, &runs);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(res.cpu_ms, 700);
  EXPECT_EQ(Out(), "run 1");
}

TEST_F(StableRunTest, HonoursTheNumberOfReRuns) {
  int runs = 0;
  Run({1000, 1000, 1000, 1000, 1000}, 3, &runs);
  EXPECT_EQ(runs, 4);  // the first + 3
  Run({1000, 1000, 1000}, 0, &runs);
  EXPECT_EQ(runs, 1);  // 0 disables
}

TEST_F(StableRunTest, ASandboxErrorOnAReRunIsNeverChosen) {
  int calls = 0;
  FakeExecutor exec([&](const sandbox::RunRequest& r) {
    if (calls++ == 0) {
      EXPECT_TRUE(WriteFile(r.stdout_path, "first").ok());
      return testing::Ok(1000);
    }
    sandbox::RunResult se = testing::WithVerdict(SV::kSe);
    se.cpu_ms = 0;
    return se;
  });
  sandbox::RunResult res = RunStable(exec, request, 1, std::stop_token());
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(res.verdict, SV::kOk);
  EXPECT_EQ(Out(), "first");
}

TEST_F(StableRunTest, AStopRequestEndsTheReRuns) {
  std::stop_source stop;
  int calls = 0;
  FakeExecutor exec([&](const sandbox::RunRequest&) {
    ++calls;
    stop.request_stop();  // the job is cancelled while its first run is going
    return testing::Ok(1000);
  });
  RunStable(exec, request, 3, stop.get_token());
  EXPECT_EQ(calls, 1);
  ExpectNoRerunLeftovers();
}

TEST_F(StableRunTest, AStopDuringAReRunEndsIt) {
  std::stop_source stop;
  int calls = 0;
  FakeExecutor exec([&](const sandbox::RunRequest&) {
    if (++calls == 2) stop.request_stop();
    return testing::Ok(1000);
  });
  RunStable(exec, request, 3, stop.get_token());
  EXPECT_EQ(calls, 2);
  ExpectNoRerunLeftovers();
}

TEST_F(StableRunTest, ReRunsWriteTheirOwnPaths) {
  std::vector<sandbox::RunRequest> seen;
  Script script{{1000, 990}};
  FakeExecutor exec([&](const sandbox::RunRequest& r) { return script(r); });
  RunStable(exec, request, 1, std::stop_token());
  seen = exec.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].stdout_path, request.stdout_path);
  EXPECT_NE(seen[1].stdout_path, request.stdout_path);
  EXPECT_NE(seen[1].stderr_path, request.stderr_path);
  EXPECT_NE(seen[1].collect_dir, request.collect_dir);
  EXPECT_EQ(Out(), "run 1");
}

}  // namespace
}  // namespace noj::runner

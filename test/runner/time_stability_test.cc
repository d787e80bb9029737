// Times you can trust (issue 16), with the real noj-sandbox: a fixed CPU-bound program judged
// many times while another process keeps the other core busy. Needs root (the sandbox's uids and
// cgroups) and gcc; skips itself otherwise. Box id 4975.
//
// Figures (max/min CPU time, the limit used, re-runs taken) are printed and recorded as test
// properties. No wall-clock bound: only ratios within one run.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "runner/fs_util.h"
#include "runner/judge_pipeline.h"
#include "runner/runner_metrics.h"
#include "runner/sandbox_process_executor.h"
#include "runner/speed_score.h"
#include "support/host_check.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using api::Verdict;

// The same loop as SpeedWork (speed_score.cc): `rounds` read from stdin, the checksum printed, so
// the answer is known here and the work is fixed (not "spin for N ms", which would be stable by
// construction).
constexpr char kLoop[] = R"c(#include <stdio.h>
int main(void) {
  unsigned long long rounds = 0, x = 0x9E3779B97F4A7C15ull, acc = 0;
  if (scanf("%llu", &rounds) != 1) return 1;
  for (unsigned long long i = 0; i < rounds; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    acc = (acc ^ x) * 0xBF58476D1CE4E5B9ull;
    acc = (acc << 31) | (acc >> 33);
  }
  printf("%llu\n", acc);
  return 0;
}
)c";

// About 200 ms of CPU at speed score 1.0 (2 ns a round).
constexpr uint64_t kRounds = 100'000'000;

// A process spinning on the CPU for at most `seconds` (it ends by itself if the test dies, and
// with the test process thanks to PDEATHSIG); stopped by PID by the destructor.
class BusyProcess {
 public:
  explicit BusyProcess(int seconds) {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      timespec start{}, now{};
      ::clock_gettime(CLOCK_MONOTONIC, &start);
      volatile uint64_t sink = 0;
      do {
        for (int i = 0; i < 1'000'000; ++i) sink = sink + static_cast<uint64_t>(i);
        ::clock_gettime(CLOCK_MONOTONIC, &now);
      } while (now.tv_sec - start.tv_sec < seconds);
      ::_exit(0);
    }
  }
  ~BusyProcess() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

class TimeStability : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string why = noj::testing::MissingRoot(); !why.empty()) GTEST_SKIP() << why;
    if (std::string why = noj::testing::MissingProgram("gcc"); !why.empty()) GTEST_SKIP() << why;
    auto probe = executor_.Probe();
    if (!probe.ok()) GTEST_SKIP() << probe.status().message();
    if (Status s = languages_.ResolvePrograms(noj::testing::kHostProgramPath); !s.ok())
      GTEST_SKIP() << "needs the built-in compilers: " << s.message();
  }

  // `cases` cases of the loop in one task with `time_ms`, judged once with `reruns`.
  Result<std::vector<api::CaseResult>> Judge(int cases, int64_t time_ms, int reruns,
                                             RunnerMetrics* metrics = nullptr) {
    const std::filesystem::path testdata = tmp_.path() / ("testdata" + std::to_string(run_));
    NOJ_RETURN_IF_ERROR(MakeDirs(testdata));
    const std::string answer = std::to_string(SpeedWork(kRounds)) + "\n";
    for (int c = 0; c < cases; ++c) {
      char name[16];
      std::snprintf(name, sizeof name, "00%02d", c);
      NOJ_RETURN_IF_ERROR(
          WriteFile(testdata / (std::string(name) + ".in"), std::to_string(kRounds) + "\n"));
      NOJ_RETURN_IF_ERROR(WriteFile(testdata / (std::string(name) + ".out"), answer));
    }
    JudgeInput in{.language = api::Language::kC,
                  .tasks = {{.score = 100,
                             .case_count = cases,
                             .memory_limit_kib = 65536,
                             .time_limit_ms = time_ms}},
                  .source = kLoop,
                  .testdata_dir = testdata,
                  .work_dir = tmp_.path() / ("work" + std::to_string(run_)),
                  .box_id = 4975};
    ++run_;
    JudgeLimits limits;
    limits.tle_reruns = reruns;
    JudgePipeline pipeline(executor_, languages_, limits, metrics);
    NOJ_ASSIGN_OR_RETURN(api::ReportedCases got, pipeline.Judge(in, {}));
    if (got.size() != 1) return InternalError("one task expected");
    return got[0];
  }

  static std::vector<int64_t> Times(const std::vector<api::CaseResult>& cases) {
    std::vector<int64_t> t;
    for (const api::CaseResult& c : cases) t.push_back(c.exec_time_ms);
    return t;
  }

  // The loop program, compiled here, and its input (kRounds).
  void BuildLoop(const std::string& program, const std::string& input) {
    const std::string source = (tmp_.path() / "loop.c").string();
    ASSERT_OK(WriteFile(source, kLoop));
    ASSERT_OK(WriteFile(input, std::to_string(kRounds) + "\n"));
    ASSERT_EQ(std::system(("gcc -O2 -o " + program + " " + source).c_str()), 0);
  }

  noj::testing::TempDir tmp_;
  int run_ = 0;
  LanguageTable languages_ = LanguageTable::BuiltIn();
  SandboxProcessExecutor executor_{NOJ_SANDBOX_BINARY, {}};
};

// The same program outside any sandbox: fork, exec, wait4's rusage (user + system), in ms.
Result<double> BareCpuMs(const std::string& program, const std::string& input) {
  pid_t pid = ::fork();
  if (pid < 0) return InternalError("fork failed");
  if (pid == 0) {
    FILE* in = std::freopen(input.c_str(), "r", stdin);
    FILE* out = std::freopen("/dev/null", "w", stdout);
    if (in == nullptr || out == nullptr) ::_exit(127);
    ::execl(program.c_str(), program.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  rusage ru{};
  if (::wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return InternalError("the bare run failed");
  auto ms = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_usec) / 1e3;
  };
  return ms(ru.ru_utime) + ms(ru.ru_stime);
}

double Ratio(const std::vector<double>& t) {
  const auto [lo, hi] = std::minmax_element(t.begin(), t.end());
  return *lo > 0 ? *hi / *lo : 0;
}

std::string Join(const std::vector<double>& t) {
  std::string out;
  for (double ms : t) out += std::to_string(static_cast<int64_t>(std::lround(ms))) + " ";
  return out;
}

// Twenty judgings of the loop, each followed by the same program run bare, so both see the same
// machine (one of each first, not counted: the first run after the load starts is slower).
struct Round {
  std::vector<double> boxed, bare;
  double boxed_ratio = 0, bare_ratio = 0;
  // The target is 1.05. On a shared VM one slow stretch of the machine shows in both series (a
  // max/min over 20 runs is one outlier's); so the sandbox passes too when its spread is within
  // 3 % of what the machine itself showed in the same minute: it adds none of its own.
  bool Meets() const { return boxed_ratio <= std::max(1.05, bare_ratio * 1.03); }
};

TEST_F(TimeStability, TwentyRunsOfA200MsLoopStayWithin5PercentUnderLoad) {
  const std::string program = (tmp_.path() / "loop").string();
  const std::string input = (tmp_.path() / "loop.in").string();
  ASSERT_NO_FATAL_FAILURE(BuildLoop(program, input));

  BusyProcess load(300);  // the other core busy for the whole test (bounded)
  ASSERT_TRUE(load.started());
  // Up to three rounds: a max/min is one outlier's, and on this shared VM a neighbour's burst can
  // land on one judging and miss the bare run beside it (seen once in CI: 203 ms among 184-196,
  // bare 188-199). A sandbox that adds spread of its own fails every round; the figures of each
  // round are printed and the last one recorded.
  std::vector<Round> rounds;
  while (rounds.size() < 3 && (rounds.empty() || !rounds.back().Meets())) {
    Round r;
    for (int i = -1; i < 20; ++i) {
      ASSERT_OK_AND_ASSIGN(std::vector<api::CaseResult> one, Judge(1, 5000, /*reruns=*/0));
      ASSERT_EQ(one.at(0).status, Verdict::kAC)
          << api::VerdictName(one[0].status) << " " << one[0].stderr_text;
      ASSERT_OK_AND_ASSIGN(double ms, BareCpuMs(program, input));
      if (i < 0) continue;  // the warm-up pair
      r.boxed.push_back(static_cast<double>(one[0].exec_time_ms));
      r.bare.push_back(ms);
    }
    r.boxed_ratio = Ratio(r.boxed);
    r.bare_ratio = Ratio(r.bare);
    std::cout << "[figures] round " << rounds.size() + 1
              << " sandbox cpu_ms max/min=" << r.boxed_ratio << " runs: " << Join(r.boxed)
              << "\n[figures] round " << rounds.size() + 1
              << " bare    cpu_ms max/min=" << r.bare_ratio << " runs: " << Join(r.bare)
              << std::endl;  // before the next fork
    ASSERT_GT(r.boxed_ratio, 0);
    ASSERT_GT(r.bare_ratio, 0);
    rounds.push_back(std::move(r));
  }
  const Round& last = rounds.back();
  RecordProperty("rounds", static_cast<int>(rounds.size()));
  RecordProperty("sandbox_max_min_x1000", static_cast<int>(last.boxed_ratio * 1000));
  RecordProperty("bare_max_min_x1000", static_cast<int>(last.bare_ratio * 1000));
  EXPECT_TRUE(last.Meets()) << "in each of " << rounds.size()
                            << " rounds the sandbox's max/min exceeded max(1.05, 1.03 x bare); "
                               "last: sandbox "
                            << Join(last.boxed) << " bare: " << Join(last.bare);
}

TEST_F(TimeStability, AProgramRightAtTheLimitGetsTheSameVerdictTenTimesWithReRuns) {
  const std::string program = (tmp_.path() / "loop").string();
  const std::string input = (tmp_.path() / "loop.in").string();
  ASSERT_NO_FATAL_FAILURE(BuildLoop(program, input));
  BusyProcess load(300);
  ASSERT_TRUE(load.started());
  RunnerMetrics metrics;
  // Up to three rounds, each calibrated afresh: re-runs come right after the run they repeat, so
  // a slow stretch of this shared VM lasting seconds (seen in CI: the first three runs of a round
  // all 3 % over, the machine's bare runs meanwhile within 1.04) defeats them; a judge whose
  // verdicts at the limit are unstable fails every round. Each round's figures are printed.
  bool stable = false, conclusive = false;
  Verdict verdict = Verdict::kAC;
  std::string last_times;
  for (int round = 1; round <= 3 && !stable; ++round) {
    // The program's own CPU time here, then a limit its best run meets by 3 %: a run the machine
    // slows by a few percent lands over it; the re-runs decide.
    ASSERT_OK_AND_ASSIGN(std::vector<api::CaseResult> calibration, Judge(5, 5000, 0));
    std::vector<int64_t> t = Times(calibration);
    const int64_t best = *std::min_element(t.begin(), t.end());
    ASSERT_GT(best, 0);
    const int64_t limit = static_cast<int64_t>(std::ceil(static_cast<double>(best) / 0.97));
    std::vector<Verdict> verdicts;
    std::vector<double> bare;  // the machine's own spread meanwhile
    std::string times;
    for (int i = 0; i < 10; ++i) {
      ASSERT_OK_AND_ASSIGN(std::vector<api::CaseResult> one,
                           Judge(1, limit, /*reruns=*/2, &metrics));
      ASSERT_EQ(one.size(), 1u);
      verdicts.push_back(one[0].status);
      times += std::to_string(one[0].exec_time_ms) + " ";
      ASSERT_OK_AND_ASSIGN(double ms, BareCpuMs(program, input));
      bare.push_back(ms);
    }
    std::cout << "[figures] round " << round
              << " calibration: " << Join(std::vector<double>(t.begin(), t.end()))
              << "best=" << best << " limit_ms=" << limit << " chosen cpu_ms: " << times
              << "\n[figures] round " << round << " bare cpu_ms meanwhile max/min=" << Ratio(bare)
              << " runs: " << Join(bare) << std::endl;  // flushed before the next fork
    stable = std::all_of(verdicts.begin(), verdicts.end(),
                         [&](Verdict v) { return v == verdicts.front(); });
    verdict = verdicts.front();
    last_times = times;
    // A round whose machine varied more than the re-runs' window says nothing of the judge.
    conclusive = conclusive || stable || Ratio(bare) <= 1.05;
  }
  const std::string text = metrics.Render();
  std::cout << text.substr(text.find("noj_runner_case_reruns_total")).substr(0, 60) << "\n";
  if (!stable && !conclusive) {
    GTEST_SKIP() << "in every round the machine's own CPU time varied by more than 5 % (max/min): "
                    "a verdict 3 % from the limit cannot be stable here. Last CPU times: "
                 << last_times;
  }
  EXPECT_TRUE(stable) << "no round of ten gave one verdict; last CPU times: " << last_times;
  EXPECT_EQ(verdict, Verdict::kAC);
}

}  // namespace
}  // namespace noj::runner

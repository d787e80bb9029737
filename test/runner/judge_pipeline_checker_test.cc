// The judge pipeline with a problem's checker (judging.md §2, §3), with the scripted fake
// sandbox: built-in checkers, the custom checker compiled once and run testlib's way, its exit
// statuses, a checker that does not compile, the per-problem output limit.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "runner/fakes.h"
#include "runner/fs_util.h"
#include "runner/judge_pipeline.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

namespace fs = std::filesystem;
using api::Verdict;
using noj::testing::StatusIs;
using ::testing::ElementsAre;
using testing::FakeExecutor;
using ::testing::HasSubstr;
using testing::Ok;
using ::testing::StartsWith;
using testing::WithVerdict;
using SV = sandbox::Verdict;

constexpr int kProgramBox = 7;
constexpr int kCheckerBox = 8;

bool IsCompile(const sandbox::RunRequest& r) {
  return r.argv[0] == "g++" || r.argv[0] == "gcc" || (r.argv.size() > 1 && r.argv[1] == "-m");
}

sandbox::RunResult Exited(int code) {
  sandbox::RunResult r = Ok();
  if (code != 0) r = WithVerdict(SV::kRe, code);
  return r;
}

// A problem with one task of two cases ("1 2" → 3, "5 5" → 10) and a checker/ folder. The fake
// sandbox tells the runs apart by box: the submission's (kProgramBox) and the problem's own
// (kCheckerBox); a compile "makes" `main` in its collect dir.
struct CheckerPipeline : ::testing::Test {
  noj::testing::TempDir tmp;
  LanguageTable languages = LanguageTable::BuiltIn();
  JudgeLimits limits;
  fs::path testdata = tmp.path() / "testdata";
  int jobs = 0;

  std::function<sandbox::RunResult(const sandbox::RunRequest&)> program = [](const auto& r) {
    return AddProgram(r);
  };
  std::function<sandbox::RunResult(const sandbox::RunRequest&)> checker_compile = [](const auto&) {
    return Ok();
  };
  // Default: a token comparison of output and answer, testlib's statuses and messages.
  std::function<sandbox::RunResult(const sandbox::RunRequest&)> checker = [](const auto& r) {
    fs::path box = r.box_dir;
    bool same = std::stoi(ReadFilePrefix(box / "output", 1000)) ==
                std::stoi(ReadFilePrefix(box / "answer", 1000));
    EXPECT_OK(WriteFile(r.stderr_path, same ? "ok fine" : "wrong answer differs"));
    return Exited(same ? 0 : 1);
  };
  std::atomic<int> checker_compiles = 0, checker_runs = 0, program_runs = 0;
  std::atomic<int> submission_compiles = 0;
  FakeExecutor exec{[this](const sandbox::RunRequest& r) {
    if (IsCompile(r)) {
      sandbox::RunResult res = Ok();
      if (r.box_id == kCheckerBox) {
        ++checker_compiles;
        res = checker_compile(r);
      } else {
        ++submission_compiles;
      }
      if (res.verdict == SV::kOk) {
        EXPECT_OK(WriteFile(fs::path(r.collect_dir) / "main", "ELF"));
      }
      return res;
    }
    if (r.box_id == kCheckerBox) {
      ++checker_runs;
      return checker(r);
    }
    ++program_runs;
    return program(r);
  }};

  void SetUp() override {
    ASSERT_OK(MakeDirs(testdata / "checker"));
    ASSERT_OK(WriteFile(testdata / "checker" / "checker.cpp", "// the checker\n"));
    ASSERT_OK(WriteFile(testdata / "checker" / "testlib.h", "// testlib\n"));
    ASSERT_OK(WriteFile(testdata / "0000.in", "1 2\n"));
    ASSERT_OK(WriteFile(testdata / "0000.out", "3\n"));
    ASSERT_OK(WriteFile(testdata / "0001.in", "5 5\n"));
    ASSERT_OK(WriteFile(testdata / "0001.out", "10\n"));
  }

  JudgeInput Input(api::CheckerSpec checker_spec) {
    fs::path work = tmp.path() / ("work" + std::to_string(jobs++));
    EXPECT_OK(MakeDirs(work));
    JudgeInput in{.language = api::Language::kCpp,
                  .tasks = {{.score = 100,
                             .case_count = 2,
                             .memory_limit_kib = 65536,
                             .time_limit_ms = 1000}},
                  .source = "int main(){}",
                  .testdata_dir = testdata,
                  .work_dir = work,
                  .box_id = kProgramBox,
                  .helper_box_id = kCheckerBox};
    in.meta.checker = checker_spec;
    return in;
  }
  static JudgeInput WithOutputLimit(JudgeInput in, int64_t bytes) {
    in.meta.output_limit_bytes = bytes;
    return in;
  }

  static sandbox::RunResult AddProgram(const sandbox::RunRequest& r) {
    int a = 0, b = 0;
    std::sscanf(ReadFilePrefix(r.stdin_path, 100).c_str(), "%d %d", &a, &b);
    EXPECT_OK(WriteFile(r.stdout_path, std::to_string(a + b) + "  \n"));
    return Ok(10, 100);
  }

  std::vector<sandbox::RunRequest> Requests(int box) const {
    std::vector<sandbox::RunRequest> out;
    for (const auto& r : exec.requests())
      if (r.box_id == box) out.push_back(r);
    return out;
  }
};

api::CheckerSpec Custom() { return {.kind = api::CheckerKind::kCustom}; }

TEST_F(CheckerPipeline, TheCustomCheckerIsCompiledInTheSandboxAndRunTestlibsWay) {
  checker_compile = [](const sandbox::RunRequest& r) {
    // The checker's folder, its source under the C++ source name, in a box of its own.
    EXPECT_EQ(ReadFilePrefix(fs::path(r.box_dir) / "main.cpp", 100), "// the checker\n");
    EXPECT_EQ(ReadFilePrefix(fs::path(r.box_dir) / "testlib.h", 100), "// testlib\n");
    EXPECT_FALSE(fs::exists(fs::path(r.box_dir) / "0000.in"));
    return Ok();
  };
  checker = [](const sandbox::RunRequest& r) {
    fs::path box = r.box_dir;
    EXPECT_EQ(ReadFilePrefix(box / "main", 100), "ELF");
    EXPECT_EQ(ReadFilePrefix(box / "testlib.h", 100), "// testlib\n");
    std::string input = ReadFilePrefix(box / "input", 100);
    EXPECT_TRUE(input == "1 2\n" || input == "5 5\n") << input;
    std::string answer = ReadFilePrefix(box / "answer", 100);
    EXPECT_EQ(ReadFilePrefix(box / "output", 100), answer.substr(0, answer.size() - 1) + "  \n");
    EXPECT_FALSE(fs::exists(box / "0000.out"));  // nothing else of the package
    EXPECT_OK(WriteFile(r.stderr_path, "ok 1 number"));
    return Ok();
  };
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(Custom()), {}));
  ASSERT_EQ(cases[0].size(), 2u);
  for (const auto& c : cases[0]) {
    EXPECT_EQ(c.status, Verdict::kAC);
    EXPECT_EQ(c.message, "ok 1 number");  // a custom checker's message is kept, AC too
    EXPECT_EQ(c.points, std::nullopt);
  }
  auto compiles = Requests(kCheckerBox);
  ASSERT_EQ(compiles.size(), 3u);  // one compile, one run per case
  EXPECT_THAT(compiles[0].argv,
              ElementsAre("g++", "-DONLINE_JUDGE", "-O2", "-std=c++17", "-o", "main", "main.cpp"));
  EXPECT_EQ(compiles[0].limits.cpu_ms, 20000);
  EXPECT_EQ(compiles[0].limits.memory_kib, 1 << 20);
  EXPECT_EQ(compiles[0].box_mode, sandbox::BoxMode::kScratch);
  EXPECT_THAT(compiles[0].box_dir, HasSubstr(".noj-build"));
  const auto& run = compiles[1];
  EXPECT_THAT(run.argv, ElementsAre("./main", "input", "output", "answer"));
  EXPECT_EQ(run.box_mode, sandbox::BoxMode::kScratch);
  EXPECT_EQ(run.limits.cpu_ms, 10000);
  EXPECT_EQ(run.limits.memory_kib, 1 << 20);
  EXPECT_EQ(run.limits.max_processes, 64);
  EXPECT_TRUE(run.stdin_path.empty());
  EXPECT_TRUE(fs::exists(testdata / ".noj-build" / "checker" / "main"));
}

TEST_F(CheckerPipeline, CheckerLimitsComeFromTheRunnersSettings) {
  limits.checker = {.cpu_ms = 3000, .memory_kib = 65536, .max_processes = 4};
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK(p.Judge(Input(Custom()), {}).status());
  auto runs = Requests(kCheckerBox);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[2].limits.cpu_ms, 3000);
  EXPECT_EQ(runs[2].limits.wall_ms, 6000);
  EXPECT_EQ(runs[2].limits.memory_kib, 65536);
  EXPECT_EQ(runs[2].limits.max_processes, 4);
}

TEST_F(CheckerPipeline, TheCheckerIsCompiledOncePerVersionAcrossJobsAndRestarts) {
  {
    JudgePipeline p(exec, languages, limits);
    ASSERT_OK(p.Judge(Input(Custom()), {}).status());
    ASSERT_OK(p.Judge(Input(Custom()), {}).status());
  }
  JudgePipeline restarted(exec, languages, limits);  // the build is on disk, with the testdata
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, restarted.Judge(Input(Custom()), {}));
  EXPECT_EQ(cases[0][1].status, Verdict::kAC);
  EXPECT_EQ(checker_compiles.load(), 1);
  EXPECT_EQ(checker_runs.load(), 6);
}

TEST_F(CheckerPipeline, TwoJobsOfOneProblemAtOnceCompileTheCheckerOnce) {
  checker_compile = [&](const sandbox::RunRequest&) {
    // Hold the compile until the other job has compiled its submission too (and so comes for
    // the checker while this compile is in flight).
    while (submission_compiles.load() < 2) std::this_thread::yield();
    return Ok();
  };
  JudgePipeline p(exec, languages, limits);
  JudgeInput a = Input(Custom()), b = Input(Custom());
  b.box_id = 17;  // distinct boxes, as the pool hands them out; the checker's id is the
  b.helper_box_id = kCheckerBox;  // fake's marker only (both compile through one lock)
  std::atomic<int> ok = 0;
  auto judge = [&](const JudgeInput& in) { ok += p.Judge(in, {}).ok(); };
  std::thread t1(judge, std::cref(a)), t2(judge, std::cref(b));
  t1.join();
  t2.join();
  EXPECT_EQ(ok.load(), 2);
  EXPECT_EQ(checker_compiles.load(), 1);
}

struct ExitCase {
  const char* name;
  sandbox::RunResult run;
  const char* stderr_text;
  Verdict verdict;
  std::optional<double> points;
  const char* message;  // a substring
};

TEST_F(CheckerPipeline, EveryCheckerEndMapsAsTestlibSays) {
  sandbox::RunResult killed = WithVerdict(SV::kRe, 0, 11);
  const ExitCase table[] = {
      {"ok", Exited(0), "ok 3 numbers", Verdict::kAC, std::nullopt, "ok 3 numbers"},
      {"wa", Exited(1), "wrong answer 1st differs", Verdict::kWA, std::nullopt, "1st differs"},
      {"pe", Exited(2), "wrong output format", Verdict::kWA, std::nullopt, "format"},
      {"eof", Exited(8), "unexpected eof", Verdict::kWA, std::nullopt, "unexpected eof"},
      {"partial", Exited(7), "points 0.25 a quarter", Verdict::kWA, 0.25, "a quarter"},
      {"full points", Exited(7), "points 1 all of it", Verdict::kAC, std::nullopt, "all of it"},
      {"zero points", Exited(7), "points 0", Verdict::kWA, std::nullopt, "points 0"},
      {"points > 1", Exited(7), "points 1.5", Verdict::kJE, std::nullopt, "outside [0, 1]"},
      {"fail", Exited(3), "answer file is broken", Verdict::kJE, std::nullopt, "is broken"},
      {"odd status", Exited(5), "", Verdict::kJE, std::nullopt, "status 5"},
      {"signal", killed, "", Verdict::kJE, std::nullopt, "signal 11"},
      {"time limit", WithVerdict(SV::kTle), "", Verdict::kJE, std::nullopt, "time limit"},
      {"memory limit", WithVerdict(SV::kMle), "", Verdict::kJE, std::nullopt, "memory limit"},
      {"sandbox error", WithVerdict(SV::kSe), "", Verdict::kJE, std::nullopt, "boom"},
  };
  JudgePipeline p(exec, languages, limits);
  for (const ExitCase& e : table) {
    SCOPED_TRACE(e.name);
    checker = [&](const sandbox::RunRequest& r) {
      EXPECT_OK(WriteFile(r.stderr_path, e.stderr_text));
      return e.run;
    };
    ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(Custom()), {}));
    const api::CaseResult& c = cases[0][0];
    EXPECT_EQ(c.status, e.verdict);
    EXPECT_EQ(c.points, e.points);
    EXPECT_THAT(c.message, HasSubstr(e.message));
    EXPECT_EQ(c.exec_time_ms, 10);  // the program's measurements stay
    EXPECT_EQ(c.memory_kib, 100);
  }
}

TEST_F(CheckerPipeline, TheCheckerOnlyJudgesAProgramThatEndedNormally) {
  int run = 0;
  program = [&](const sandbox::RunRequest&) {
    return ++run == 1 ? WithVerdict(SV::kRe, 3) : WithVerdict(SV::kOle);
  };
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases,
                       p.Judge(WithOutputLimit(Input(Custom()), 4096), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kRE);
  EXPECT_EQ(cases[0][1].status, Verdict::kOLE);
  EXPECT_EQ(checker_runs.load(), 0);
  auto runs = Requests(kProgramBox);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[1].limits.output_bytes, 4096);  // the problem's outputLimit
}

TEST_F(CheckerPipeline, ACheckerThatDoesNotCompileMakesEveryCaseJEOnceAndForAll) {
  checker_compile = [](const sandbox::RunRequest& r) {
    EXPECT_OK(WriteFile(r.stderr_path, "main.cpp:1:1: error: 'quitf' was not declared\n"));
    return WithVerdict(SV::kRe, 1);
  };
  JudgePipeline p(exec, languages, limits);
  for (int job = 0; job < 2; ++job) {
    ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(Custom()), {}));
    ASSERT_EQ(cases[0].size(), 2u);
    for (const auto& c : cases[0]) {
      EXPECT_EQ(c.status, Verdict::kJE);
      EXPECT_THAT(c.message, StartsWith("checker did not compile"));
      EXPECT_THAT(c.message, HasSubstr("'quitf' was not declared"));
      EXPECT_EQ(c.stderr_text, "");  // the compiler quotes the checker: 1 KiB in message only
    }
  }
  EXPECT_EQ(program_runs.load(), 0);
  EXPECT_EQ(checker_compiles.load(), 1);  // remembered for this version
}

TEST_F(CheckerPipeline, ASandboxErrorWhileCompilingTheCheckerIsNotRemembered) {
  checker_compile = [](const sandbox::RunRequest&) { return WithVerdict(SV::kSe); };
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(Custom()), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kJE);
  EXPECT_THAT(cases[0][0].message, HasSubstr("sandbox error while compiling the checker"));
  checker_compile = [](const sandbox::RunRequest&) { return Ok(); };
  ASSERT_OK_AND_ASSIGN(cases, p.Judge(Input(Custom()), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  EXPECT_EQ(checker_compiles.load(), 2);
}

TEST_F(CheckerPipeline, ACheckerFolderNeedsExactlyOneSource) {
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK(WriteFile(testdata / "checker" / "checker.py", "print()\n"));
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(Custom()), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kJE);
  EXPECT_THAT(cases[0][0].message, HasSubstr("checker/ holds more than one of checker.c"));
  fs::remove(testdata / "checker" / "checker.py");
  fs::remove(testdata / "checker" / "checker.cpp");
  ASSERT_OK_AND_ASSIGN(cases, p.Judge(Input(Custom()), {}));
  EXPECT_THAT(cases[0][1].message, HasSubstr("checker/ holds none of"));
  EXPECT_EQ(checker_compiles.load(), 0);
}

TEST_F(CheckerPipeline, APythonCheckerRunsWithThePythonCommand) {
  fs::remove(testdata / "checker" / "checker.cpp");
  ASSERT_OK(WriteFile(testdata / "checker" / "checker.py", "import sys\n"));
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(Custom()), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  auto runs = Requests(kCheckerBox);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_THAT(runs[0].argv, ElementsAre("python3", "-m", "py_compile", "main.py"));
  EXPECT_THAT(runs[1].argv, ElementsAre("python3", "main.py", "input", "output", "answer"));
}

TEST_F(CheckerPipeline, ACustomCheckerNeedsAHelperBox) {
  JudgePipeline p(exec, languages, limits);
  JudgeInput in = Input(Custom());
  in.helper_box_id = -1;
  EXPECT_THAT(p.Judge(in, {}), StatusIs(ErrorCode::kInternal));
}

TEST_F(CheckerPipeline, BuiltInCheckersJudgeStdoutWithoutABox) {
  struct Row {
    api::CheckerSpec spec;
    std::string output;  // for the case "1 2" (answer "3\n")
    Verdict verdict;
    const char* message;
  };
  const Row rows[] = {
      {{}, "3   \n\n", Verdict::kAC, ""},
      {{}, " 3\n", Verdict::kWA, "wrong answer"},
      {{.kind = api::CheckerKind::kExact}, "3\n", Verdict::kAC, ""},
      {{.kind = api::CheckerKind::kExact}, "3 \n", Verdict::kWA, "byte 2"},
      {{.kind = api::CheckerKind::kTokens}, "  3\r\n", Verdict::kAC, ""},
      {{.kind = api::CheckerKind::kTokens}, "3 4\n", Verdict::kWA, "extra output"},
      {{.kind = api::CheckerKind::kFloat, .abs = 1e-6, .rel = 0}, "3.0000004\n", Verdict::kAC, ""},
      {{.kind = api::CheckerKind::kFloat, .abs = 1e-6, .rel = 0},
       "3.01\n",
       Verdict::kWA,
       "expected '3', found '3.01'"},
      {{.kind = api::CheckerKind::kFloat, .abs = 0, .rel = 0.01}, "3.02\n", Verdict::kAC, ""},
      {{.kind = api::CheckerKind::kFloat, .abs = 1, .rel = 1}, "nan\n", Verdict::kWA, "nan"},
  };
  JudgePipeline p(exec, languages, limits);
  for (const Row& row : rows) {
    SCOPED_TRACE(row.output);
    program = [&](const sandbox::RunRequest& r) {
      EXPECT_OK(WriteFile(r.stdout_path, ReadFilePrefix(r.stdin_path, 9) == "1 2\n"
                                             ? row.output
                                             : std::string("10\n")));
      return Ok();
    };
    ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(row.spec), {}));
    EXPECT_EQ(cases[0][0].status, row.verdict);
    EXPECT_THAT(cases[0][0].message, HasSubstr(row.message));
    if (row.verdict == Verdict::kAC) {
      EXPECT_EQ(cases[0][0].message, "");
    }
  }
  EXPECT_EQ(checker_runs.load(), 0);
  EXPECT_EQ(checker_compiles.load(), 0);
}

TEST_F(CheckerPipeline, EveryCaseReportsItsWallTime) {
  program = [](const sandbox::RunRequest& r) {
    EXPECT_OK(WriteFile(r.stdout_path, "3\n"));
    sandbox::RunResult res = Ok(12);
    res.wall_ms = 34;
    return res;
  };
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input({}), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  EXPECT_EQ(cases[0][1].status, Verdict::kWA);
  for (const auto& c : cases[0]) EXPECT_EQ(c.wall_time_ms, 34);
}

}  // namespace
}  // namespace noj::runner

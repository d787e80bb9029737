#include "runner/judge_pipeline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner/fakes.h"
#include "runner/fs_util.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using api::Verdict;
using noj::testing::StatusIs;
using ::testing::ElementsAre;
using testing::FakeExecutor;
using ::testing::HasSubstr;
using testing::Ok;
using testing::WithVerdict;
using SV = sandbox::Verdict;

// "A+B": each case's input is "a b", the answer a+b. The fake program reads the stdin file.
struct PipelineFixture : ::testing::Test {
  noj::testing::TempDir tmp;
  LanguageTable languages = LanguageTable::BuiltIn();
  JudgeLimits limits;
  std::filesystem::path testdata = tmp.path() / "testdata";
  std::filesystem::path work = tmp.path() / "work";

  void SetUp() override {
    ASSERT_OK(MakeDirs(testdata / "chaos"));
    ASSERT_OK(MakeDirs(work));
    ASSERT_OK(WriteFile(testdata / "chaos" / "data.txt", "chaos!"));
    const char* cases[][3] = {
        {"0000", "1 2\n", "3\n"}, {"0001", "5 5\n", "10\n"}, {"0100", "2 2\n", "4\n"}};
    for (auto& c : cases) {
      ASSERT_OK(WriteFile(testdata / (std::string(c[0]) + ".in"), c[1]));
      ASSERT_OK(WriteFile(testdata / (std::string(c[0]) + ".out"), c[2]));
    }
  }

  JudgeInput Input(api::Language lang = api::Language::kCpp) {
    return JudgeInput{
        .language = lang,
        .tasks =
            {{.score = 50, .case_count = 2, .memory_limit_kib = 65536, .time_limit_ms = 1000},
             {.score = 50, .case_count = 1, .memory_limit_kib = 131072, .time_limit_ms = 3000}},
        .source = "int main(){}",
        .testdata_dir = testdata,
        .work_dir = work,
        .box_id = 7};
  }

  // A fake program that adds the two numbers of its input, plus `wrong` for the case "5 5".
  static sandbox::RunResult AddProgram(const sandbox::RunRequest& r, int wrong = 0) {
    std::string in = ReadFilePrefix(r.stdin_path, 100);
    int a = 0, b = 0;
    std::sscanf(in.c_str(), "%d %d", &a, &b);
    int sum = a + b + (a == 5 ? wrong : 0);
    EXPECT_OK(WriteFile(r.stdout_path, std::to_string(sum) + "  \n"));
    EXPECT_OK(WriteFile(r.stderr_path, "dbg"));
    return Ok(10 * a, 100 * b);
  }
};

TEST_F(PipelineFixture, CompilesOnceThenRunsEveryCaseWithTheTaskLimits) {
  FakeExecutor exec([](const sandbox::RunRequest& r) {
    if (r.argv[0] == "g++") return Ok();
    return AddProgram(r);
  });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  ASSERT_EQ(cases.size(), 2u);
  ASSERT_EQ(cases[0].size(), 2u);
  ASSERT_EQ(cases[1].size(), 1u);
  for (const auto& task : cases)
    for (const auto& c : task) EXPECT_EQ(c.status, Verdict::kAC);
  EXPECT_EQ(cases[0][1].exec_time_ms, 50);
  EXPECT_EQ(cases[0][1].memory_kib, 500);
  EXPECT_EQ(cases[0][1].stdout_text, "10  \n");
  EXPECT_EQ(cases[0][1].stderr_text, "dbg");

  auto reqs = exec.requests();
  ASSERT_EQ(reqs.size(), 4u);
  const auto& compile = reqs[0];
  EXPECT_THAT(compile.argv,
              ElementsAre("g++", "-DONLINE_JUDGE", "-O2", "-std=c++17", "-o", "main", "main.cpp"));
  EXPECT_EQ(compile.limits.cpu_ms, 20000);
  EXPECT_EQ(compile.limits.memory_kib, 1 << 20);
  EXPECT_EQ(compile.box_id, 7);
  // The compile and every case get a fresh scratch box: the compile's from src/, the cases'
  // from prog/, where the compile's output is collected.
  EXPECT_EQ(compile.box_dir, (work / "src").string());
  EXPECT_EQ(compile.box_mode, sandbox::BoxMode::kScratch);
  EXPECT_EQ(compile.collect_dir, (work / "prog").string());
  const auto& run0 = reqs[1];
  EXPECT_THAT(run0.argv, ElementsAre("./main"));
  EXPECT_EQ(run0.box_dir, (work / "prog").string());
  EXPECT_EQ(run0.box_mode, sandbox::BoxMode::kScratch);
  EXPECT_TRUE(run0.collect_dir.empty());
  EXPECT_EQ(run0.stdin_path, (testdata / "0000.in").string());
  EXPECT_EQ(run0.limits.cpu_ms, 1000);
  EXPECT_EQ(run0.limits.wall_ms, 2000);
  EXPECT_EQ(run0.limits.memory_kib, 65536);
  EXPECT_EQ(run0.limits.output_bytes, int64_t{64} << 20);
  EXPECT_EQ(run0.limits.max_processes, 64);
  const auto& run2 = reqs[3];
  EXPECT_EQ(run2.stdin_path, (testdata / "0100.in").string());
  EXPECT_EQ(run2.limits.wall_ms, 6000);
  EXPECT_EQ(run2.limits.memory_kib, 131072);
}

TEST_F(PipelineFixture, WallLimitFormula) {
  EXPECT_EQ(WallLimitMs(100), 1100);
  EXPECT_EQ(WallLimitMs(1000), 2000);
  EXPECT_EQ(WallLimitMs(5000), 10000);
}

TEST_F(PipelineFixture, WrongAnswerFromTheChecker) {
  FakeExecutor exec([](const sandbox::RunRequest& r) {
    return r.argv[0] == "g++" ? Ok() : AddProgram(r, /*wrong=*/1);
  });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  EXPECT_EQ(cases[0][1].status, Verdict::kWA);
  EXPECT_EQ(cases[1][0].status, Verdict::kAC);
}

TEST_F(PipelineFixture, SourceAndChaosFilesAreInTheBox) {
  FakeExecutor exec([](const sandbox::RunRequest& r) {
    EXPECT_EQ(ReadFilePrefix(std::filesystem::path(r.box_dir) / "main.cpp", 100), "int main(){}");
    EXPECT_EQ(ReadFilePrefix(std::filesystem::path(r.box_dir) / "data.txt", 100), "chaos!");
    return r.argv[0] == "g++" ? Ok() : AddProgram(r);
  });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK(p.Judge(Input(), {}).status());
}

TEST_F(PipelineFixture, CompileFailureIsCompileErrorEverywhereWithTheMessage) {
  FakeExecutor exec([](const sandbox::RunRequest& r) {
    EXPECT_OK(WriteFile(r.stderr_path, "main.cpp:1:1: error: expected ';'\n"));
    return WithVerdict(SV::kRe, 1);
  });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  EXPECT_EQ(exec.requests().size(), 1u);  // no case ran
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0].size() + cases[1].size(), 3u);
  for (const auto& task : cases) {
    for (const auto& c : task) {
      EXPECT_EQ(c.status, Verdict::kCE);
      EXPECT_THAT(c.stderr_text, HasSubstr("expected ';'"));
    }
  }
}

TEST_F(PipelineFixture, CompileTimeoutIsCompileErrorWithANote) {
  FakeExecutor exec([](const sandbox::RunRequest&) { return WithVerdict(SV::kTle); });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kCE);
  EXPECT_THAT(cases[0][0].stderr_text, HasSubstr("compilation exceeded the time limit"));
}

TEST_F(PipelineFixture, SandboxFailureWhileCompilingIsJudgeError) {
  FakeExecutor exec([](const sandbox::RunRequest&) { return WithVerdict(SV::kSe); });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  EXPECT_EQ(cases[1][0].status, Verdict::kJE);
  EXPECT_THAT(cases[1][0].stderr_text, HasSubstr("boom"));
}

TEST_F(PipelineFixture, PythonIsByteCompiledFirst) {
  FakeExecutor exec(
      [](const sandbox::RunRequest& r) { return r.argv[1] == "-m" ? Ok() : AddProgram(r); });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK(p.Judge(Input(api::Language::kPython3), {}).status());
  auto reqs = exec.requests();
  EXPECT_THAT(reqs[0].argv, ElementsAre("python3", "-m", "py_compile", "main.py"));
  EXPECT_THAT(reqs[1].argv, ElementsAre("python3", "main.py"));
}

TEST_F(PipelineFixture, NoCompileStepWhenTheLanguageHasNone) {
  languages.Find(api::Language::kPython3)->compile.clear();
  FakeExecutor exec([](const sandbox::RunRequest& r) { return AddProgram(r); });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK(p.Judge(Input(api::Language::kPython3), {}).status());
  EXPECT_EQ(exec.requests().size(), 3u);
}

TEST_F(PipelineFixture, RuntimeVerdictsPerCase) {
  int run = 0;
  FakeExecutor exec([&](const sandbox::RunRequest& r) {
    if (r.argv[0] == "g++") return Ok();
    SV v[] = {SV::kTle, SV::kMle, SV::kOle};
    return WithVerdict(v[run++], 0, 9);
  });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kTLE);
  EXPECT_EQ(cases[0][1].status, Verdict::kMLE);
  EXPECT_EQ(cases[1][0].status, Verdict::kOLE);
  EXPECT_EQ(cases[1][0].exit_code, 137);
}

TEST_F(PipelineFixture, ReportedOutputIsCut) {
  limits.report_bytes = 4;
  FakeExecutor exec([](const sandbox::RunRequest& r) {
    if (r.argv[0] == "g++") return Ok();
    EXPECT_OK(WriteFile(r.stdout_path, "123456789\n"));
    return Ok();
  });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kWA);
  EXPECT_EQ(cases[0][0].stdout_text, "1234");
}

TEST_F(PipelineFixture, StopAbortsJudging) {
  std::stop_source stop;
  FakeExecutor exec([&](const sandbox::RunRequest& r) {
    if (r.argv[0] != "g++") stop.request_stop();
    return Ok();
  });
  JudgePipeline p(exec, languages, limits);
  EXPECT_THAT(p.Judge(Input(), stop.get_token()), StatusIs(ErrorCode::kAborted));
  EXPECT_EQ(exec.requests().size(), 2u);
}

TEST_F(PipelineFixture, MissingTestdataFileIsInternal) {
  std::filesystem::remove(testdata / "0100.out");
  FakeExecutor exec(
      [](const sandbox::RunRequest& r) { return r.argv[0] == "g++" ? Ok() : AddProgram(r); });
  JudgePipeline p(exec, languages, limits);
  EXPECT_FALSE(p.Judge(Input(), {}).ok());
}

}  // namespace
}  // namespace noj::runner

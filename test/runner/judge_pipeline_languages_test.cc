// The judge pipeline with a languages-file entry (judging.md §5): the entry's time factor, extra
// memory, processes, env, compile limits and placeholders reach the sandbox requests, and the
// submission is written under the entry's source name.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner/fakes.h"
#include "runner/fs_util.h"
#include "runner/judge_pipeline.h"
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
using SV = sandbox::Verdict;

LanguageSpec Java() {
  return LanguageSpec{.code = 5,
                      .key = "java",
                      .name = "Java 17",
                      .source = "Main.java",
                      .compile = {"/usr/bin/javac", "-J-Xmx{memory_mib}m", "{source}"},
                      .run = {"/usr/bin/java", "-Xmx{memory_mib}m", "-cp", ".", "Main"},
                      .time_factor = 2.0,
                      .extra_memory_kib = 131072,
                      .max_processes = 32,
                      .env = {"JAVA_TOOL_OPTIONS=-XX:+UseSerialGC", "LANG=C.UTF-8"},
                      .compile_time_limit_ms = 30000,
                      .compile_memory_kib = 2 << 20,
                      .compile_max_processes = 48};
}

struct LanguageEntryFixture : ::testing::Test {
  noj::testing::TempDir tmp;
  LanguageTable languages = LanguageTable::BuiltIn();
  JudgeLimits limits;
  std::filesystem::path testdata = tmp.path() / "testdata";
  std::filesystem::path work = tmp.path() / "work";

  void SetUp() override {
    ASSERT_OK(languages.Add(Java()));
    ASSERT_OK(MakeDirs(work));
    ASSERT_OK(MakeDirs(testdata));
    for (const char* c : {"0000", "0100"}) {
      ASSERT_OK(WriteFile(testdata / (std::string(c) + ".in"), "1 2\n"));
      ASSERT_OK(WriteFile(testdata / (std::string(c) + ".out"), "3\n"));
    }
  }

  JudgeInput Input(int language = 5) {
    return JudgeInput{
        .language = static_cast<api::Language>(language),
        .tasks =
            {{.score = 50, .case_count = 1, .memory_limit_kib = 65536, .time_limit_ms = 1000},
             {.score = 50, .case_count = 1, .memory_limit_kib = 262144, .time_limit_ms = 1500}},
        .source = "public class Main {}",
        .testdata_dir = testdata,
        .work_dir = work,
        .box_id = 7};
  }

  // A program printing the right answer with `cpu_ms` of CPU time.
  static sandbox::RunResult Answer(const sandbox::RunRequest& r, int64_t cpu_ms) {
    EXPECT_OK(WriteFile(r.stdout_path, "3\n"));
    return Ok(cpu_ms, 4096);
  }
};

TEST_F(LanguageEntryFixture, TheEntryDecidesTheBoxLimitsEnvAndArgv) {
  std::string compiled_source;
  FakeExecutor exec([&](const sandbox::RunRequest& r) {
    if (r.argv[0] == "/usr/bin/javac") {
      compiled_source = ReadFilePrefix(std::filesystem::path(r.box_dir) / "Main.java", 100);
      return Ok();
    }
    return Answer(r, 5);
  });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  EXPECT_EQ(cases[1][0].status, Verdict::kAC);
  // The submission is written under the entry's source name.
  EXPECT_EQ(compiled_source, "public class Main {}");
  EXPECT_TRUE(std::filesystem::exists(work / "prog" / "Main.java"));

  auto reqs = exec.requests();
  ASSERT_EQ(reqs.size(), 3u);
  const auto& compile = reqs[0];
  // {memory_mib} of the compile: the largest task's limit (256 MiB), {source} the source name.
  EXPECT_THAT(compile.argv, ElementsAre("/usr/bin/javac", "-J-Xmx256m", "Main.java"));
  EXPECT_THAT(compile.env, ElementsAre("JAVA_TOOL_OPTIONS=-XX:+UseSerialGC", "LANG=C.UTF-8"));
  EXPECT_EQ(compile.limits.cpu_ms, 30000);
  EXPECT_EQ(compile.limits.wall_ms, 60000);
  EXPECT_EQ(compile.limits.memory_kib, 2 << 20);
  EXPECT_EQ(compile.limits.max_processes, 48);

  const auto& run0 = reqs[1];
  EXPECT_THAT(run0.argv, ElementsAre("/usr/bin/java", "-Xmx64m", "-cp", ".", "Main"));
  EXPECT_THAT(run0.env, ElementsAre("JAVA_TOOL_OPTIONS=-XX:+UseSerialGC", "LANG=C.UTF-8"));
  EXPECT_EQ(run0.limits.cpu_ms, 2000);  // 1000 ms × 2.0
  EXPECT_EQ(run0.limits.wall_ms, 4000);
  EXPECT_EQ(run0.limits.memory_kib, 65536 + 131072);
  EXPECT_EQ(run0.limits.max_processes, 32);
  const auto& run1 = reqs[2];
  EXPECT_THAT(run1.argv, ElementsAre("/usr/bin/java", "-Xmx256m", "-cp", ".", "Main"));
  EXPECT_EQ(run1.limits.cpu_ms, 3000);  // 1500 ms × 2.0
  EXPECT_EQ(run1.limits.memory_kib, 262144 + 131072);
}

TEST_F(LanguageEntryFixture, ARunBetweenTheLimitAndTheFactoredLimitIsAccepted) {
  // The box stops at limit × factor: a run of 1.5 × the task's limit is within it, and its time
  // is reported as measured.
  FakeExecutor exec([&](const sandbox::RunRequest& r) {
    if (r.argv[0] == "/usr/bin/javac") return Ok();
    return r.limits.cpu_ms >= 1500 ? Answer(r, 1500) : testing::WithVerdict(SV::kTle);
  });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  EXPECT_EQ(cases[0][0].exec_time_ms, 1500);
}

TEST_F(LanguageEntryFixture, MemoryLimitExceededIsTheBoxsVerdict) {
  FakeExecutor exec([&](const sandbox::RunRequest& r) {
    if (r.argv[0] == "/usr/bin/javac") return Ok();
    sandbox::RunResult res = testing::WithVerdict(SV::kMle);
    res.memory_kib = r.limits.memory_kib + 4;  // what was used, as the box measured it
    return res;
  });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kMLE);
  EXPECT_EQ(cases[0][0].memory_kib, 65536 + 131072 + 4);
}

TEST_F(LanguageEntryFixture, DefaultsAreTheRunnersAndTheTasks) {
  LanguageSpec js{
      .code = 9, .key = "javascript", .source = "main.js", .run = {"/usr/bin/node", "{source}"}};
  ASSERT_OK(languages.Add(js));
  limits.max_processes = 12;
  limits.compile_cpu_ms = 7000;
  FakeExecutor exec([&](const sandbox::RunRequest& r) { return Answer(r, 5); });
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(9), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  auto reqs = exec.requests();
  ASSERT_EQ(reqs.size(), 2u);  // nothing to compile
  EXPECT_THAT(reqs[0].argv, ElementsAre("/usr/bin/node", "main.js"));
  EXPECT_TRUE(reqs[0].env.empty());
  EXPECT_EQ(reqs[0].limits.cpu_ms, 1000);
  EXPECT_EQ(reqs[0].limits.memory_kib, 65536);
  EXPECT_EQ(reqs[0].limits.max_processes, 12);
  EXPECT_TRUE(std::filesystem::exists(work / "prog" / "main.js"));
}

TEST(BoxRunLimits, RoundsTheFactoredTime) {
  LanguageSpec spec{.time_factor = 1.5};
  api::TaskSpec task{.score = 100, .case_count = 1, .memory_limit_kib = 1024, .time_limit_ms = 333};
  sandbox::Limits l = BoxRunLimits(spec, task, 64);
  EXPECT_EQ(l.cpu_ms, 500);  // 499.5 rounded
  EXPECT_EQ(l.wall_ms, WallLimitMs(500));
  spec.time_factor = 0.001;
  EXPECT_EQ(BoxRunLimits(spec, task, 64).cpu_ms, 1);  // never "no limit"
}

TEST_F(LanguageEntryFixture, ACodeNotInTheTableIsRefusedNotJudged) {
  FakeExecutor exec([&](const sandbox::RunRequest& r) { return Answer(r, 5); });
  JudgePipeline p(exec, languages, limits);
  EXPECT_THAT(p.Judge(Input(6), {}), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(p.Judge(Input(63), {}), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(exec.requests().empty());
}

TEST_F(LanguageEntryFixture, ACheckerNeedsTheRunnersCppEntry) {
  // A runner without g++ (C++ dropped from its table) cannot build a checker.cpp: its fault, so
  // the job is given back (an error), not judged JE.
  ASSERT_OK(MakeDirs(testdata / "checker"));
  ASSERT_OK(WriteFile(testdata / "checker" / "checker.cpp", "int main(){}"));
  LanguageTable no_cpp;
  ASSERT_OK(no_cpp.Add(Java()));
  FakeExecutor exec([&](const sandbox::RunRequest& r) { return Answer(r, 5); });
  JudgePipeline p(exec, no_cpp, limits);
  JudgeInput in = Input();
  in.meta.checker.kind = api::CheckerKind::kCustom;
  in.helper_box_id = 8;
  auto judged = p.Judge(in, {});
  EXPECT_THAT(judged, StatusIs(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(judged.status().message(), HasSubstr("checker.cpp"));
}

}  // namespace
}  // namespace noj::runner

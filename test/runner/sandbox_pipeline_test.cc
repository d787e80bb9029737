// The judge pipeline with the real noj-sandbox: compile and run A+B (C, C++, Python) and the
// verdicts a contestant can provoke. Needs root (the sandbox's dedicated uids and cgroups).

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "runner/fs_util.h"
#include "runner/judge_pipeline.h"
#include "runner/sandbox_process_executor.h"
#include "support/host_check.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using api::Verdict;
using ::testing::HasSubstr;

constexpr char kCpp[] =
    "#include <cstdio>\nint main(){long long a,b;std::scanf(\"%lld %lld\",&a,&b);"
    "std::printf(\"%lld\\n\",a+b);}\n";

class SandboxPipeline : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string why = noj::testing::MissingRoot(); !why.empty()) GTEST_SKIP() << why;
    auto probe = executor_.Probe();
    if (!probe.ok()) GTEST_SKIP() << probe.status().message();
    // Like noj-runner, which does not start without them: every built-in compiler.
    if (Status s = languages_.ResolvePrograms("/usr/bin:/bin"); !s.ok())
      GTEST_SKIP() << "needs the built-in compilers (gcc, g++, python3): " << s.message();
    testdata_ = tmp_.path() / "testdata";
    ASSERT_OK(MakeDirs(testdata_));
    const char* cases[][3] = {
        {"0000", "1 2\n", "3\n"}, {"0001", "40 2\n", "42\n"}, {"0100", "-5 5\n", "0\n"}};
    for (auto& c : cases) {
      ASSERT_OK(WriteFile(testdata_ / (std::string(c[0]) + ".in"), c[1]));
      ASSERT_OK(WriteFile(testdata_ / (std::string(c[0]) + ".out"), c[2]));
    }
  }

  Result<api::ReportedCases> Judge(api::Language lang, std::string source, int64_t time_ms = 1000,
                                   int64_t memory_kib = 65536) {
    static int run = 0;
    JudgeInput in{.language = lang,
                  .tasks = {{.score = 50,
                             .case_count = 2,
                             .memory_limit_kib = memory_kib,
                             .time_limit_ms = time_ms},
                            {.score = 50,
                             .case_count = 1,
                             .memory_limit_kib = memory_kib,
                             .time_limit_ms = time_ms}},
                  .source = std::move(source),
                  .testdata_dir = testdata_,
                  .work_dir = tmp_.path() / ("work" + std::to_string(run++)),
                  .box_id = 4990};
    JudgePipeline pipeline(executor_, languages_, limits_);
    return pipeline.Judge(in, {});
  }

  static void ExpectAll(const api::ReportedCases& cases, Verdict v) {
    for (const auto& task : cases)
      for (const auto& c : task)
        EXPECT_EQ(c.status, v) << api::VerdictName(c.status) << " stderr=" << c.stderr_text;
  }

  noj::testing::TempDir tmp_;
  std::filesystem::path testdata_;
  LanguageTable languages_ = LanguageTable::BuiltIn();
  JudgeLimits limits_;
  SandboxProcessExecutor executor_{NOJ_SANDBOX_BINARY, {}};
};

TEST_F(SandboxPipeline, CppAPlusBIsAccepted) {
  ASSERT_OK_AND_ASSIGN(auto cases, Judge(api::Language::kCpp, kCpp));
  ExpectAll(cases, Verdict::kAC);
  EXPECT_EQ(cases[0][1].stdout_text, "42\n");
  EXPECT_GE(cases[0][0].memory_kib, 1);
}

TEST_F(SandboxPipeline, CAPlusBIsAccepted) {
  ASSERT_OK_AND_ASSIGN(auto cases, Judge(api::Language::kC,
                                         "#include <stdio.h>\n#include <math.h>\nint main(void){"
                                         "long long a,b;scanf(\"%lld %lld\",&a,&b);"
                                         "printf(\"%lld\\n\",(long long)fabs((double)(a+b)));}\n"));
  ExpectAll(cases, Verdict::kAC);
}

TEST_F(SandboxPipeline, PythonAPlusBIsAccepted) {
  ASSERT_OK_AND_ASSIGN(auto cases, Judge(api::Language::kPython3,
                                         "a, b = map(int, input().split())\nprint(a + b)\n"));
  ExpectAll(cases, Verdict::kAC);
}

TEST_F(SandboxPipeline, CompileErrorCarriesTheCompilerMessage) {
  ASSERT_OK_AND_ASSIGN(auto cases, Judge(api::Language::kCpp, "int main() { return x; }\n"));
  ExpectAll(cases, Verdict::kCE);
  EXPECT_THAT(cases[0][0].stderr_text, HasSubstr("'x' was not declared"));
}

TEST_F(SandboxPipeline, PythonSyntaxErrorIsCompileError) {
  ASSERT_OK_AND_ASSIGN(auto cases, Judge(api::Language::kPython3, "print(1\n"));
  ExpectAll(cases, Verdict::kCE);
  EXPECT_THAT(cases[0][0].stderr_text, HasSubstr("SyntaxError"));
}

TEST_F(SandboxPipeline, WrongAnswer) {
  ASSERT_OK_AND_ASSIGN(
      auto cases, Judge(api::Language::kCpp, "#include <cstdio>\nint main(){std::puts(\"3\");}\n"));
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  EXPECT_EQ(cases[0][1].status, Verdict::kWA);
}

TEST_F(SandboxPipeline, RuntimeErrorReportsTheExitCode) {
  ASSERT_OK_AND_ASSIGN(auto cases, Judge(api::Language::kCpp, "int main(){return 3;}\n"));
  ExpectAll(cases, Verdict::kRE);
  EXPECT_EQ(cases[0][0].exit_code, 3);
}

TEST_F(SandboxPipeline, InfiniteLoopIsTimeLimitExceeded) {
  ASSERT_OK_AND_ASSIGN(
      auto cases, Judge(api::Language::kCpp, "int main(){volatile int x=0;for(;;)x++;}\n", 200));
  ExpectAll(cases, Verdict::kTLE);
  EXPECT_GE(cases[0][0].exec_time_ms, 200);
}

TEST_F(SandboxPipeline, MemoryHogIsMemoryLimitExceeded) {
  ASSERT_OK_AND_ASSIGN(
      auto cases, Judge(api::Language::kCpp,
                        "#include <cstring>\n#include <cstdlib>\nint main(){for(;;){char*p=(char*)"
                        "std::malloc(1<<20);if(!p)return 1;std::memset(p,1,1<<20);}}\n",
                        2000, 32768));
  ExpectAll(cases, Verdict::kMLE);
}

TEST_F(SandboxPipeline, ChaosFilesAreReadableNextToTheSource) {
  ASSERT_OK(MakeDirs(testdata_ / "chaos"));
  ASSERT_OK(WriteFile(testdata_ / "chaos" / "offset.h", "#define OFFSET 0\n"));
  ASSERT_OK_AND_ASSIGN(
      auto cases, Judge(api::Language::kCpp,
                        "#include \"offset.h\"\n#include <cstdio>\nint main(){long long a,b;"
                        "std::scanf(\"%lld %lld\",&a,&b);std::printf(\"%lld\\n\",a+b+OFFSET);}\n"));
  ExpectAll(cases, Verdict::kAC);
}

// Each case runs in a fresh working directory (and /tmp): a program that records something
// in case 1 finds nothing of it in case 2. It answers wrong if it finds anything, and also
// if it cannot write at all (so an AC proves both the writing and the forgetting).
TEST_F(SandboxPipeline, LaterCasesSeeNothingEarlierCasesWrote) {
  ASSERT_OK_AND_ASSIGN(
      auto cases, Judge(api::Language::kCpp,
                        "#include <cstdio>\n#include <unistd.h>\nint main(){long long a,b;"
                        "std::scanf(\"%lld %lld\",&a,&b);"
                        "bool seen=access(\"note\",F_OK)==0||access(\"/tmp/note\",F_OK)==0;"
                        "FILE*f=std::fopen(\"note\",\"w\");FILE*g=std::fopen(\"/tmp/note\",\"w\");"
                        "bool wrote=f&&g&&std::fputs(\"1\",f)>=0&&std::fputs(\"1\",g)>=0;"
                        "std::printf(\"%lld\\n\",a+b+(seen||!wrote?1:0));}\n"));
  ExpectAll(cases, Verdict::kAC);
}

// Case 1 answers wrong and tries to remove, replace and truncate its own program: every
// attempt fails, so the later cases still run it and the verdict stays the contestant's WA
// (not a JE, which many judges do not count against a contestant).
TEST_F(SandboxPipeline, AProgramCannotDestroyItselfForTheLaterCases) {
  ASSERT_OK_AND_ASSIGN(
      auto cases, Judge(api::Language::kCpp,
                        "#include <cstdio>\n#include <fcntl.h>\n#include <sys/stat.h>\n"
                        "#include <unistd.h>\nint main(){long long a,b;"
                        "std::scanf(\"%lld %lld\",&a,&b);int broke=0;"
                        "broke+=unlink(\"main\")==0;broke+=rename(\"main\",\"gone\")==0;"
                        "broke+=open(\"main\",O_WRONLY|O_TRUNC)>=0;broke+=chmod(\"main\",0)==0;"
                        "broke+=symlink(\"/nowhere\",\"main\")==0;"
                        "std::printf(\"%lld broke=%d\\n\",a+b+1,broke);}\n"));
  ExpectAll(cases, Verdict::kWA);
  for (const auto& task : cases)
    for (const auto& c : task) EXPECT_NE(c.stdout_text.find("broke=0"), std::string::npos);
}

}  // namespace
}  // namespace noj::runner

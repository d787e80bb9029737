// The judge pipeline's boxes (judging.md §1), with the scripted fake sandbox: ContextIO (STDIN,
// STDOUT, in/ files placed, out/ files collected and checked), include/ compiled with the
// submission, share/ for the runs, a fresh box directory per case.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner/fakes.h"
#include "runner/fs_util.h"
#include "runner/judge_pipeline.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

namespace fs = std::filesystem;
using api::Verdict;
using ::testing::ElementsAre;
using testing::FakeExecutor;
using ::testing::HasSubstr;
using testing::Ok;

bool IsAnyCompile(const sandbox::RunRequest& r) {
  return r.argv[0] == "g++" || r.argv[0] == "gcc" || (r.argv.size() > 1 && r.argv[1] == "-m");
}

struct FilesPipeline : ::testing::Test {
  noj::testing::TempDir tmp;
  LanguageTable languages = LanguageTable::BuiltIn();
  JudgeLimits limits;
  fs::path testdata = tmp.path() / "testdata";
  fs::path work = tmp.path() / "work";
  std::function<sandbox::RunResult(const sandbox::RunRequest&)> program;
  FakeExecutor exec{[this](const sandbox::RunRequest& r) {
    if (IsAnyCompile(r)) {
      EXPECT_OK(WriteFile(fs::path(r.collect_dir) / "main", "ELF"));
      return Ok();
    }
    return program(r);
  }};

  void SetUp() override { ASSERT_OK(MakeDirs(work)); }

  void Put(const std::string& name, const std::string& data) {
    ASSERT_OK(MakeDirs((testdata / name).parent_path()));
    ASSERT_OK(WriteFile(testdata / name, data));
  }

  // ContextIO: case 0 doubles the number in in/data.txt into out/result.txt and prints "ok";
  // case 1 has another in/ file and no out/.
  void ContextPackage() {
    Put("test-case/0000/STDIN", "stdin 0\n");
    Put("test-case/0000/STDOUT", "ok\n");
    Put("test-case/0000/in/data.txt", "21\n");
    Put("test-case/0000/out/result.txt", "42\n");
    Put("test-case/0001/STDIN", "stdin 1\n");
    Put("test-case/0001/STDOUT", "ok\n");
    Put("test-case/0001/in/other.txt", "x\n");
  }

  JudgeInput Input(api::Language lang = api::Language::kCpp, int cases = 2) {
    return JudgeInput{.language = lang,
                      .tasks = {{.score = 100,
                                 .case_count = cases,
                                 .memory_limit_kib = 65536,
                                 .time_limit_ms = 1000}},
                      .source = "int main(){}",
                      .testdata_dir = testdata,
                      .package = PackageKind::kContextIO,
                      .work_dir = work,
                      .box_id = 7,
                      .helper_box_id = 8};
  }

  std::vector<sandbox::RunRequest> Runs() const {
    std::vector<sandbox::RunRequest> out;
    for (const auto& r : exec.requests())
      if (!IsAnyCompile(r)) out.push_back(r);
    return out;
  }
};

TEST_F(FilesPipeline, ContextIOPlacesInFilesAndChecksStdoutAndOutFiles) {
  ContextPackage();
  int run = 0;
  program = [&](const sandbox::RunRequest& r) {
    fs::path box = r.box_dir;
    EXPECT_EQ(ReadFilePrefix(box / "main", 10), "ELF");
    if (run++ == 0) {
      EXPECT_EQ(ReadFilePrefix(r.stdin_path, 100), "stdin 0\n");
      EXPECT_EQ(ReadFilePrefix(box / "data.txt", 100), "21\n");
      EXPECT_FALSE(fs::exists(box / "other.txt"));
      EXPECT_FALSE(r.collect_dir.empty());
      EXPECT_TRUE(fs::is_empty(r.collect_dir));
      EXPECT_OK(WriteFile(fs::path(r.collect_dir) / "result.txt", "42\n"));
    } else {
      EXPECT_EQ(ReadFilePrefix(r.stdin_path, 100), "stdin 1\n");
      EXPECT_EQ(ReadFilePrefix(box / "other.txt", 100), "x\n");
      EXPECT_FALSE(fs::exists(box / "data.txt"));  // a fresh box directory per case
      EXPECT_TRUE(r.collect_dir.empty());          // nothing expected, nothing collected
    }
    EXPECT_OK(WriteFile(r.stdout_path, "ok\n"));
    return Ok();
  };
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  EXPECT_EQ(cases[0][1].status, Verdict::kAC);
  auto runs = Runs();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].stdin_path, (testdata / "test-case/0000/STDIN").string());
  EXPECT_EQ(runs[0].box_dir, (work / "case").string());
  EXPECT_EQ(runs[0].limits.box_kib, (int64_t{64} << 20) / 1024);  // room for the out/ file
  EXPECT_EQ(runs[0].box_mode, sandbox::BoxMode::kScratch);
}

TEST_F(FilesPipeline, AMissingOutputFileIsWrongAndSaysWhich) {
  ContextPackage();
  program = [](const sandbox::RunRequest& r) {
    EXPECT_OK(WriteFile(r.stdout_path, "ok\n"));
    return Ok();
  };
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kWA);
  EXPECT_EQ(cases[0][0].message, "missing output file result.txt");
  EXPECT_EQ(cases[0][1].status, Verdict::kAC);
}

TEST_F(FilesPipeline, AWrongOutputFileIsWrongAndSaysWhich) {
  ContextPackage();
  program = [](const sandbox::RunRequest& r) {
    if (!r.collect_dir.empty()) {
      EXPECT_OK(WriteFile(fs::path(r.collect_dir) / "result.txt", "41\n"));
    }
    EXPECT_OK(WriteFile(r.stdout_path, "ok\n"));
    return Ok();
  };
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kWA);
  EXPECT_THAT(cases[0][0].message, HasSubstr("out/result.txt: wrong answer"));
}

TEST_F(FilesPipeline, StdoutIsCheckedFirstAndNamedWhenFilesAreExpected) {
  ContextPackage();
  program = [](const sandbox::RunRequest& r) {
    if (!r.collect_dir.empty()) {
      EXPECT_OK(WriteFile(fs::path(r.collect_dir) / "result.txt", "42\n"));
    }
    EXPECT_OK(WriteFile(r.stdout_path, "not ok\n"));
    return Ok();
  };
  JudgePipeline p(exec, languages, limits);
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(Input(), {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kWA);
  EXPECT_THAT(cases[0][0].message, HasSubstr("stdout: wrong answer"));
  EXPECT_EQ(cases[0][1].status, Verdict::kWA);
  EXPECT_THAT(cases[0][1].message, HasSubstr("wrong answer"));
}

TEST_F(FilesPipeline, ACustomCheckerJudgesEveryOutputFileToo) {
  ContextPackage();
  Put("checker/checker.cpp", "// checker\n");
  std::vector<std::string> checked;  // output:answer pairs the checker saw
  program = [&](const sandbox::RunRequest& r) {
    if (r.box_id == 8) {  // the checker
      fs::path box = r.box_dir;
      checked.push_back(ReadFilePrefix(box / "output", 100) + ":" +
                        ReadFilePrefix(box / "answer", 100));
      EXPECT_EQ(ReadFilePrefix(box / "input", 100), "stdin 0\n");
      return Ok();
    }
    if (!r.collect_dir.empty()) {
      EXPECT_OK(WriteFile(fs::path(r.collect_dir) / "result.txt", "42.0\n"));
    }
    EXPECT_OK(WriteFile(r.stdout_path, "ok\n"));
    return Ok();
  };
  JudgePipeline p(exec, languages, limits);
  JudgeInput in = Input(api::Language::kCpp, 1);
  in.meta.checker.kind = api::CheckerKind::kCustom;
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(in, {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  EXPECT_THAT(checked, ElementsAre("ok\n:ok\n", "42.0\n:42\n"));
}

TEST_F(FilesPipeline, ASimpleIOCaseRunsFromTheProgramsOwnDirectory) {
  Put("0000.in", "1\n");
  Put("0000.out", "1\n");
  Put("share/table.txt", "shared\n");
  program = [](const sandbox::RunRequest& r) {
    EXPECT_EQ(ReadFilePrefix(fs::path(r.box_dir) / "table.txt", 100), "shared\n");
    EXPECT_TRUE(r.collect_dir.empty());
    EXPECT_EQ(r.limits.box_kib, 0);  // the default: the output limit
    EXPECT_OK(WriteFile(r.stdout_path, "1\n"));
    return Ok();
  };
  JudgePipeline p(exec, languages, limits);
  JudgeInput in = Input(api::Language::kCpp, 1);
  in.package = PackageKind::kSimpleIO;
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(in, {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  auto runs = Runs();
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].box_dir, (work / "prog").string());
  EXPECT_FALSE(fs::exists(work / "src" / "table.txt"));  // share/ is for the runs only
}

// Normal-OJ's grader problems: include/ next to the source, its *.cpp compiled with it.
TEST_F(FilesPipeline, IncludeFilesAreCompiledWithTheSubmission) {
  Put("0000.in", "1\n");
  Put("0000.out", "1\n");
  Put("include/grader.cpp", "int main(){}\n");
  Put("include/zeta.cpp", "\n");
  Put("include/solution.h", "int solve(int);\n");
  Put("include/helper.c", "\n");
  Put("include/sub/deep.cpp", "\n");
  Put("chaos/notes.cpp", "\n");
  program = [](const sandbox::RunRequest& r) {
    EXPECT_OK(WriteFile(r.stdout_path, "1\n"));
    return Ok();
  };
  JudgePipeline p(exec, languages, limits);
  JudgeInput in = Input(api::Language::kCpp, 1);
  in.package = PackageKind::kSimpleIO;
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(in, {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  const auto reqs = exec.requests();
  const auto& compile = reqs[0];
  EXPECT_THAT(compile.argv, ElementsAre("g++", "-DONLINE_JUDGE", "-O2", "-std=c++17", "-o", "main",
                                        "main.cpp", "grader.cpp", "zeta.cpp"));
  for (const char* f : {"main.cpp", "grader.cpp", "solution.h", "sub/deep.cpp", "notes.cpp"}) {
    EXPECT_TRUE(fs::exists(work / "src" / f)) << f;
    EXPECT_TRUE(fs::exists(work / "prog" / f)) << f;
  }
}

TEST_F(FilesPipeline, CIncludeSourcesComeBeforeTheLibraries) {
  Put("0000.in", "1\n");
  Put("0000.out", "1\n");
  Put("include/grader.c", "\n");
  Put("include/other.cpp", "\n");
  program = [](const sandbox::RunRequest& r) {
    EXPECT_OK(WriteFile(r.stdout_path, "1\n"));
    return Ok();
  };
  JudgePipeline p(exec, languages, limits);
  JudgeInput in = Input(api::Language::kC, 1);
  in.package = PackageKind::kSimpleIO;
  ASSERT_OK(p.Judge(in, {}).status());
  EXPECT_THAT(exec.requests()[0].argv, ElementsAre("gcc", "-DONLINE_JUDGE", "-O2", "-std=c11", "-o",
                                                   "main", "main.c", "grader.c", "-lm"));
}

TEST_F(FilesPipeline, PythonImportsIncludeFilesInsteadOfCompilingThem) {
  Put("0000.in", "1\n");
  Put("0000.out", "1\n");
  Put("include/grader.py", "def solve(x): return x\n");
  program = [](const sandbox::RunRequest& r) {
    EXPECT_TRUE(fs::exists(fs::path(r.box_dir) / "grader.py"));
    EXPECT_OK(WriteFile(r.stdout_path, "1\n"));
    return Ok();
  };
  JudgePipeline p(exec, languages, limits);
  JudgeInput in = Input(api::Language::kPython3, 1);
  in.package = PackageKind::kSimpleIO;
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, p.Judge(in, {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  EXPECT_THAT(exec.requests()[0].argv, ElementsAre("python3", "-m", "py_compile", "main.py"));
}

TEST_F(FilesPipeline, TheSubmissionWinsANameClashWithThePackage) {
  Put("0000.in", "1\n");
  Put("0000.out", "1\n");
  Put("include/main.cpp", "// the package's\n");
  Put("share/main", "not the program\n");
  program = [](const sandbox::RunRequest& r) {
    EXPECT_EQ(ReadFilePrefix(fs::path(r.box_dir) / "main", 100), "ELF");
    EXPECT_OK(WriteFile(r.stdout_path, "1\n"));
    return Ok();
  };
  JudgePipeline p(exec, languages, limits);
  JudgeInput in = Input(api::Language::kCpp, 1);
  in.package = PackageKind::kSimpleIO;
  ASSERT_OK(p.Judge(in, {}).status());
  EXPECT_EQ(ReadFilePrefix(work / "src" / "main.cpp", 100), "int main(){}");
  EXPECT_THAT(exec.requests()[0].argv,
              ElementsAre("g++", "-DONLINE_JUDGE", "-O2", "-std=c++17", "-o", "main", "main.cpp"));
}

TEST_F(FilesPipeline, AMissingContextIOFileIsInternal) {
  ContextPackage();
  fs::remove(testdata / "test-case/0001/STDOUT");
  program = [](const sandbox::RunRequest& r) {
    EXPECT_OK(WriteFile(r.stdout_path, "ok\n"));
    return Ok();
  };
  JudgePipeline p(exec, languages, limits);
  EXPECT_THAT(p.Judge(Input(), {}).status().message(), HasSubstr("test-case/0001/STDOUT"));
}

}  // namespace
}  // namespace noj::runner

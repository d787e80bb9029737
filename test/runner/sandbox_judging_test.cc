// The judge pipeline with the real noj-sandbox on the example problems of examples/problems/
// (judging.md §1–§3): a testlib-style custom checker (AC, WA, format error, partial points, the
// checker failing the test data, a checker that does not compile), the float checker, file I/O
// (ContextIO: a correct, a missing and a wrong output file; a solution that tries to carry a file
// from one case to the next) and a grader via include/. Every solution listed in an example's
// solutions/EXPECTED gets its verdict and score. Also: a checker sees only its own box, and
// cannot outlive its limits. Needs root (the sandbox's dedicated uids and cgroups).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "api/codec.h"
#include "common/json_util.h"
#include "judge/aggregate.h"
#include "runner/fs_util.h"
#include "runner/judge_pipeline.h"
#include "runner/sandbox_process_executor.h"
#include "support/host_check.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

namespace fs = std::filesystem;
using api::Verdict;
using ::testing::HasSubstr;

const fs::path kExamples = fs::path(NOJ_SOURCE_DIR) / "examples/problems";
// Box ids of this suite only (4990: sandbox_pipeline_test, 4980: the interactive test).
constexpr int kProgramBox = 4970;
constexpr int kHelperBox = 4971;

struct Problem {
  fs::path testdata;  // a copy, as the cache holds it (the checker is compiled into it)
  api::TaskSpecs tasks;
  api::ProblemMeta meta;
  PackageKind package = PackageKind::kSimpleIO;
};

struct Expected {
  std::string file;
  std::string verdict;
  int score = 0;
};

api::Language LanguageOf(const std::string& file) {
  if (file.ends_with(".c")) return api::Language::kC;
  if (file.ends_with(".cpp")) return api::Language::kCpp;
  return api::Language::kPython3;
}

class SandboxJudging : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::string why = noj::testing::MissingRoot(); !why.empty()) GTEST_SKIP() << why;
    auto probe = executor_.Probe();
    if (!probe.ok()) GTEST_SKIP() << probe.status().message();
    if (Status s = languages_.ResolvePrograms("/usr/bin:/bin"); !s.ok())
      GTEST_SKIP() << "needs the built-in compilers (gcc, g++, python3): " << s.message();
  }

  Problem Load(const std::string& name) {
    Problem p;
    p.testdata = tmp_.path() / ("testdata-" + name + "-" + std::to_string(loads_++));
    fs::copy(kExamples / name / "testdata", p.testdata, fs::copy_options::recursive);
    auto obj = json::ParseObject(ReadFilePrefix(kExamples / name / "problem.json", 1 << 20));
    EXPECT_TRUE(obj.ok()) << obj.status().message();
    auto tasks = api::TaskSpecsFromJson(obj->at("tasks"));
    auto meta = api::ProblemMetaFromJson(*obj);
    EXPECT_TRUE(tasks.ok() && meta.ok());
    p.tasks = tasks.value_or(api::TaskSpecs{});
    p.meta = meta.value_or(api::ProblemMeta{});
    p.package = DetectPackageKind(p.testdata);
    return p;
  }

  Result<api::ReportedCases> Judge(const Problem& p, api::Language lang, std::string source) {
    work_ = tmp_.path() / ("work" + std::to_string(jobs_++));
    NOJ_RETURN_IF_ERROR(MakeDirs(work_));
    JudgeInput in{.language = lang,
                  .tasks = p.tasks,
                  .source = std::move(source),
                  .testdata_dir = p.testdata,
                  .meta = p.meta,
                  .package = p.package,
                  .work_dir = work_,
                  .box_id = kProgramBox,
                  .helper_box_id = kHelperBox};
    return pipeline_.Judge(in, {});
  }

  Result<api::ReportedCases> JudgeSolution(const Problem& p, const std::string& example,
                                           const std::string& file) {
    return Judge(p, LanguageOf(file),
                 ReadFilePrefix(kExamples / example / "solutions" / file, 1 << 20));
  }

  static std::vector<Expected> ReadExpected(const std::string& example) {
    std::vector<Expected> out;
    std::istringstream in(ReadFilePrefix(kExamples / example / "solutions/EXPECTED", 1 << 20));
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::istringstream row(line);
      Expected e;
      row >> e.file >> e.verdict >> e.score;
      out.push_back(e);
    }
    return out;
  }

  static std::string Describe(const api::ReportedCases& cases) {
    std::string s;
    for (const auto& task : cases)
      for (const auto& c : task)
        s += std::string(api::VerdictName(c.status)) + " [" + c.message + "] " + c.stderr_text +
             "\n";
    return s;
  }

  // Every solution of the example gets the verdict and score solutions/EXPECTED gives it.
  void ExpectEverySolution(const std::string& example) {
    Problem p = Load(example);
    std::vector<Expected> expected = ReadExpected(example);
    ASSERT_GE(expected.size(), 4u);
    for (const Expected& e : expected) {
      SCOPED_TRACE(example + "/" + e.file);
      ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, JudgeSolution(p, example, e.file));
      api::SubmissionResult r = judge::Aggregate(p.tasks, cases);
      EXPECT_EQ(api::VerdictName(r.status), e.verdict) << Describe(cases);
      EXPECT_EQ(r.score, e.score) << Describe(cases);
      for (const auto& task : cases) {
        for (const auto& c : task) {
          if (c.status != Verdict::kCE) {
            EXPECT_TRUE(c.wall_time_ms.has_value());
          }
        }
      }
    }
  }

  noj::testing::TempDir tmp_;
  fs::path work_;
  int loads_ = 0, jobs_ = 0;
  LanguageTable languages_ = LanguageTable::BuiltIn();
  JudgeLimits limits_;
  SandboxProcessExecutor executor_{NOJ_SANDBOX_BINARY, {}};
  JudgePipeline pipeline_{executor_, languages_, limits_};
};

TEST_F(SandboxJudging, CustomCheckerExampleGivesEveryVerdictAndScore) {
  ExpectEverySolution("checker");
}

TEST_F(SandboxJudging, FloatCheckerExampleGivesEveryVerdictAndScore) {
  ExpectEverySolution("float");
}

TEST_F(SandboxJudging, FileIoExampleGivesEveryVerdictAndScore) { ExpectEverySolution("fileio"); }

TEST_F(SandboxJudging, GraderExampleGivesEveryVerdictAndScore) { ExpectEverySolution("grader"); }

TEST_F(SandboxJudging, InteractiveExampleGivesEveryVerdictAndScore) {
  ExpectEverySolution("interactive");
}

TEST_F(SandboxJudging, PartialPointsAndTheCheckersMessageReachTheCase) {
  Problem p = Load("checker");
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, JudgeSolution(p, "checker", "partial.cpp"));
  for (const auto& task : cases) {
    for (const auto& c : task) {
      EXPECT_EQ(c.status, Verdict::kWA);
      EXPECT_EQ(c.points, 0.5);
      EXPECT_THAT(c.message, HasSubstr("not maximal"));
    }
  }
  ASSERT_OK_AND_ASSIGN(cases, JudgeSolution(p, "checker", "ac.cpp"));
  EXPECT_THAT(cases[1][1].message, HasSubstr("is maximal"));
  ASSERT_OK_AND_ASSIGN(cases, JudgeSolution(p, "checker", "pe.cpp"));
  EXPECT_THAT(cases[0][0].message, HasSubstr("expected two integers"));
}

TEST_F(SandboxJudging, ACheckerFailingTheTestDataIsJudgeErrorForThatCase) {
  Problem p = Load("checker");
  ASSERT_OK(WriteFile(p.testdata / "0001.out", "13\n"));  // the best product for 7 is 12
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, JudgeSolution(p, "checker", "ac.cpp"));
  EXPECT_EQ(cases[0][0].status, Verdict::kAC);
  EXPECT_EQ(cases[0][1].status, Verdict::kJE);
  EXPECT_THAT(cases[0][1].message, HasSubstr("FAIL answer file says 13"));
  EXPECT_EQ(cases[1][0].status, Verdict::kAC);
}

TEST_F(SandboxJudging, ACheckerThatDoesNotCompileMakesEveryCaseJudgeError) {
  Problem p = Load("checker");
  ASSERT_OK(WriteFile(p.testdata / "checker/checker.cpp", "int main() { return undeclared; }\n"));
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, JudgeSolution(p, "checker", "ac.cpp"));
  for (const auto& task : cases) {
    for (const auto& c : task) {
      EXPECT_EQ(c.status, Verdict::kJE);
      EXPECT_THAT(c.message, HasSubstr("checker did not compile"));
      EXPECT_THAT(c.message, HasSubstr("undeclared"));
    }
  }
}

TEST_F(SandboxJudging, FileIoMessagesNameTheFile) {
  Problem p = Load("fileio");
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, JudgeSolution(p, "fileio", "missing.cpp"));
  EXPECT_EQ(cases[0][0].status, Verdict::kWA);
  EXPECT_EQ(cases[0][0].message, "missing output file sum.txt");
  ASSERT_OK_AND_ASSIGN(cases, JudgeSolution(p, "fileio", "wrong.cpp"));
  EXPECT_EQ(cases[1][0].status, Verdict::kWA);
  EXPECT_THAT(cases[1][0].message, HasSubstr("out/sum.txt: wrong answer"));
}

// The checker runs in a box of its own: the three files are there (read-only), nothing else of
// the host is — not the problem's other test data, not another problem's, not the runner's work
// directory. It says what it could do on stderr and exits 3 (JE) if anything is off.
TEST_F(SandboxJudging, TheCheckerSeesOnlyItsOwnBox) {
  Problem other = Load("float");
  Problem p = Load("checker");
  fs::path next_work = tmp_.path() / ("work" + std::to_string(jobs_));  // this job's work dir
  std::string probe = R"(#include <stdio.h>
#include <string.h>
static const char* kForbidden[] = {")" +
                      (other.testdata / "0000.out").string() + R"(", ")" +
                      (p.testdata / "0100.out").string() + R"(", ")" +
                      (next_work / "prog" / "main.cpp").string() + R"(", "/etc/shadow", 0};
int main(int argc, char** argv) {
  char line[64];
  for (int i = 1; i < 4; ++i) {
    FILE* f = fopen(argv[i], "r");
    if (!f || !fgets(line, sizeof line, f)) { fprintf(stderr, "cannot read %s\n", argv[i]); return 3; }
    if (fopen(argv[i], "a")) { fprintf(stderr, "can write %s\n", argv[i]); return 3; }
  }
  for (int i = 0; kForbidden[i]; ++i)
    if (fopen(kForbidden[i], "r")) { fprintf(stderr, "can read %s\n", kForbidden[i]); return 3; }
  fprintf(stderr, "ok isolated\n");
  return 0;
}
)";
  fs::remove(p.testdata / "checker/checker.cpp");
  ASSERT_OK(WriteFile(p.testdata / "checker/checker.c", probe));
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, JudgeSolution(p, "checker", "ac.cpp"));
  ASSERT_EQ(work_, next_work);
  for (const auto& task : cases) {
    for (const auto& c : task) {
      EXPECT_EQ(c.status, Verdict::kAC) << c.message;
      EXPECT_EQ(c.message, "ok isolated\n");
    }
  }
}

TEST_F(SandboxJudging, ACheckerCannotOutliveItsLimits) {
  limits_.checker.cpu_ms = 300;
  JudgePipeline pipeline(executor_, languages_, limits_);
  Problem p = Load("checker");
  fs::remove(p.testdata / "checker/checker.cpp");
  ASSERT_OK(WriteFile(p.testdata / "checker/checker.c",
                      "int main(void) { volatile unsigned x = 0; for (;;) x++; }\n"));
  fs::path work = tmp_.path() / "work-limits";
  ASSERT_OK(MakeDirs(work));
  JudgeInput in{
      .language = api::Language::kCpp,
      .tasks = {{.score = 100, .case_count = 1, .memory_limit_kib = 65536, .time_limit_ms = 1000}},
      .source = ReadFilePrefix(kExamples / "checker/solutions/ac.cpp", 1 << 20),
      .testdata_dir = p.testdata,
      .meta = p.meta,
      .package = p.package,
      .work_dir = work,
      .box_id = kProgramBox,
      .helper_box_id = kHelperBox};
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, pipeline.Judge(in, {}));
  EXPECT_EQ(cases[0][0].status, Verdict::kJE);
  EXPECT_THAT(cases[0][0].message, HasSubstr("time limit"));
}

}  // namespace
}  // namespace noj::runner

#include "runner/result_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner/fakes.h"

namespace noj::runner {
namespace {

using api::Verdict;
using testing::Ok;
using testing::WithVerdict;
using SV = sandbox::Verdict;

TEST(RunVerdict, ANormalEndLeavesTheVerdictToTheOutput) {
  EXPECT_EQ(RunVerdict(Ok()), std::nullopt);
}

TEST(RunVerdict, EverySandboxVerdict) {
  EXPECT_EQ(RunVerdict(WithVerdict(SV::kOk, 1)), Verdict::kRE);  // OK + non-zero
  EXPECT_EQ(RunVerdict(WithVerdict(SV::kRe, 1)), Verdict::kRE);
  EXPECT_EQ(RunVerdict(WithVerdict(SV::kRe, 0, 11)), Verdict::kRE);
  EXPECT_EQ(RunVerdict(WithVerdict(SV::kTle)), Verdict::kTLE);
  EXPECT_EQ(RunVerdict(WithVerdict(SV::kMle)), Verdict::kMLE);
  EXPECT_EQ(RunVerdict(WithVerdict(SV::kOle)), Verdict::kOLE);
  EXPECT_EQ(RunVerdict(WithVerdict(SV::kSe)), Verdict::kJE);
}

TEST(BuildCaseResult, CarriesMeasurementsAndOutputs) {
  sandbox::RunResult r = Ok(123, 4567);
  r.wall_ms = 150;
  api::CaseResult c = BuildCaseResult(r, "3\n", "warn\n", 1024);
  EXPECT_EQ(c.status, Verdict::kAC);  // to be checked
  EXPECT_EQ(c.exit_code, 0);
  EXPECT_EQ(c.exec_time_ms, 123);
  EXPECT_EQ(c.wall_time_ms, 150);
  EXPECT_EQ(c.memory_kib, 4567);
  EXPECT_EQ(c.stdout_text, "3\n");
  EXPECT_EQ(c.stderr_text, "warn\n");
  EXPECT_EQ(c.points, std::nullopt);
  EXPECT_EQ(c.message, "");
}

TEST(BuildCaseResult, ExitCodeOfTheProgram) {
  EXPECT_EQ(BuildCaseResult(WithVerdict(SV::kRe, 3), "", "", 10).exit_code, 3);
  EXPECT_EQ(BuildCaseResult(WithVerdict(SV::kRe, 0, 11), "", "", 10).exit_code, 139);
}

TEST(BuildCaseResult, SandboxErrorIsJudgeErrorWithTheReason) {
  api::CaseResult c = BuildCaseResult(WithVerdict(SV::kSe), "", "program stderr", 100);
  EXPECT_EQ(c.status, Verdict::kJE);
  EXPECT_EQ(c.stderr_text, "sandbox error: boom");
}

TEST(BuildCaseResult, OutputsAreCut) {
  std::string big(100000, 'x');
  api::CaseResult c = BuildCaseResult(Ok(), big, big, 65536);
  EXPECT_EQ(c.stdout_text.size(), 65536u);
  EXPECT_EQ(c.stderr_text.size(), 65536u);
}

TEST(CutUtf8, NeverSplitsACharacterAndReplacesInvalidBytes) {
  EXPECT_EQ(CutUtf8("héllo", 2), "h");  // é is two bytes: not cut in half
  EXPECT_EQ(CutUtf8("héllo", 3), "hé");
  EXPECT_EQ(CutUtf8("a\xff"
                    "b",
                    100),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(CutUtf8("a\xC3", 100), "a\xEF\xBF\xBD");  // truncated sequence
  EXPECT_EQ(CutUtf8("\xED\xA0\x80", 100), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(CutUtf8("\xF0\x9F\x98\x80!", 100), "\xF0\x9F\x98\x80!");
  EXPECT_EQ(CutUtf8(std::string("a\0b", 3), 100), std::string("a\0b", 3));
  EXPECT_EQ(CutUtf8("abc", 0), "");
}

TEST(UniformResult, CompileErrorFillsEveryCase) {
  api::TaskSpecs tasks = {
      {.score = 40, .case_count = 2, .memory_limit_kib = 1024, .time_limit_ms = 1000},
      {.score = 60, .case_count = 3, .memory_limit_kib = 1024, .time_limit_ms = 1000}};
  api::ReportedCases r = UniformResult(tasks, Verdict::kCE, "main.c:1: error: expected ';'", 16);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].size(), 2u);
  EXPECT_EQ(r[1].size(), 3u);
  for (const auto& task : r) {
    for (const auto& c : task) {
      EXPECT_EQ(c.status, Verdict::kCE);
      EXPECT_EQ(c.stderr_text, "main.c:1: error:");  // cut to 16 bytes
      EXPECT_EQ(c.exec_time_ms, 0);
      EXPECT_EQ(c.message, "");
    }
  }
}

TEST(UniformResult, ACaseMessageIsCutLikeACheckersMessage) {
  api::TaskSpecs tasks = {
      {.score = 100, .case_count = 2, .memory_limit_kib = 1024, .time_limit_ms = 1000}};
  std::string why = "checker did not compile: " + std::string(5000, 'e');
  api::ReportedCases r = UniformResult(tasks, Verdict::kJE, why, 64 * 1024, why);
  for (const auto& c : r[0]) {
    EXPECT_EQ(c.status, Verdict::kJE);
    EXPECT_EQ(c.stderr_text, why);
    EXPECT_EQ(c.message.size(), 1024u);
    EXPECT_TRUE(c.message.starts_with("checker did not compile"));
  }
}

}  // namespace
}  // namespace noj::runner

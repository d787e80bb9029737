// The wire forms judging.md adds: per-task scoring, case extensions (wallTime, points, message),
// problem meta extensions, requirement classes and runner capabilities.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "api/codec.h"
#include "api/problem_meta.h"
#include "api/requirements.h"
#include "common/json_util.h"

namespace noj::api {
namespace {

using ::testing::HasSubstr;

bj::value Parsed(std::string_view text) { return bj::parse(text); }

TEST(TaskScoringCodec, PartialIsReadAndWrittenAllIsTheSilentDefault) {
  auto t = TaskSpecFromJson(Parsed(
      R"({"taskScore":100,"caseCount":2,"memoryLimit":65536,"timeLimit":1000,"scoring":"partial"})"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->scoring, TaskScoring::kPartial);
  EXPECT_EQ(json::PythonDumps(TaskSpecToMetaJson(*t)),
            R"({"taskScore": 100, "caseCount": 2, "memoryLimit": 65536, "timeLimit": 1000, )"
            R"("scoring": "partial"})");
  t = TaskSpecFromJson(Parsed(
      R"({"taskScore":100,"caseCount":2,"memoryLimit":65536,"timeLimit":1000,"scoring":"all"})"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->scoring, TaskScoring::kAll);
  EXPECT_FALSE(TaskSpecToMetaJson(*t).contains("scoring"));  // a Normal-OJ meta stays as it was
}

TEST(TaskScoringCodec, RejectsOtherScoringValues) {
  for (const char* bad : {R"("some")", "1", "true", R"("PARTIAL")"}) {
    auto t =
        TaskSpecFromJson(Parsed(std::string(R"({"taskScore":100,"caseCount":2,"memoryLimit":65536,)"
                                            R"("timeLimit":1000,"scoring":)") +
                                bad + "}"));
    ASSERT_FALSE(t.ok()) << bad;
    EXPECT_THAT(t.status().message(), HasSubstr("scoring"));
  }
}

TEST(CaseExtensionsCodec, ReportedCasesCarryWallTimePointsAndMessage) {
  CaseResult c{Verdict::kWA, 0, 12, 1024, "3\n", ""};
  c.wall_time_ms = 30;
  c.points = 0.5;
  c.message = "points 0.5 half of it";
  ReportedCases cases = {{c, CaseResult{Verdict::kAC, 0, 1, 2, "", ""}}};
  bj::object body = ReportedCasesToJson(cases);
  const bj::object& plain = body["tasks"].as_array()[0].as_array()[1].as_object();
  EXPECT_FALSE(plain.contains("wallTime"));  // what a Normal-OJ runner sends, unchanged
  EXPECT_FALSE(plain.contains("points"));
  EXPECT_FALSE(plain.contains("message"));
  auto back = ReportedCasesFromJson(body);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, cases);
}

TEST(CaseExtensionsCodec, RejectsPointsOutsideZeroToOneAndHugeMessages) {
  const std::string head =
      R"({"tasks":[[{"status":"WA","exitCode":0,"execTime":1,"memoryUsage":1,"stdout":"","stderr":"",)";
  for (const char* bad : {R"("points":1.5)", R"("points":-0.1)", R"("points":"0.5")",
                          R"("wallTime":-1)", R"("message":7)"}) {
    auto r = ReportedCasesFromJson(Parsed(head + bad + "}]]}"));
    EXPECT_FALSE(r.ok()) << bad;
  }
  auto r =
      ReportedCasesFromJson(Parsed(head + R"("message":")" + std::string(5000, 'm') + "\"}]]}"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("message"));
}

TEST(CaseExtensionsCodec, StoredResultsKeepThem) {
  SubmissionResult result;
  result.status = Verdict::kWA;
  result.score = 20;
  TaskResult task{Verdict::kWA, 20, 5, 6, {}};
  CaseSummary s{Verdict::kWA, 0, 5, 6};
  s.wall_time_ms = 9;
  s.points = 0.25;
  s.message = "wrong answer 1st token";
  task.cases = {s, CaseSummary{Verdict::kAC, 0, 1, 1}};
  result.tasks = {task};
  auto back = SubmissionResultFromText(SubmissionResultToText(result));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, result);
}

TEST(ProblemMetaCodec, WritesOnlyWhatDiffersFromTheDefaultsInTheFixedOrder) {
  ProblemMeta meta;
  bj::object data;
  AppendProblemMetaJson(meta, data);
  EXPECT_TRUE(data.empty());
  meta.checker = {CheckerKind::kFloat, 1e-6, 1e-9};
  meta.interactive = true;
  meta.output_limit_bytes = 1 << 20;
  meta.languages = {0, 1};
  data["tasks"] = bj::array();
  AppendProblemMetaJson(meta, data);
  EXPECT_EQ(json::PythonDumps(data),
            R"({"tasks": [], "checker": {"type": "float", "abs": 1e-06, "rel": 1e-09}, )"
            R"("interactive": true, "outputLimit": 1048576, "languages": [0, 1]})");
  auto back = ProblemMetaFromText(ProblemMetaToText(meta));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, meta);
}

TEST(ProblemMetaCodec, ReadsEveryCheckerKindAndIgnoresOtherKeys) {
  for (const char* kind : {"default", "exact", "tokens", "custom"}) {
    auto meta = ProblemMetaFromJson(
        Parsed(std::string(R"({"title":"x","tasks":[],"checker":{"type":")") + kind + "\"}}")
            .as_object());
    ASSERT_TRUE(meta.ok()) << kind << ": " << meta.status().ToString();
    EXPECT_STREQ(CheckerKindName(meta->checker.kind), kind);
  }
  auto meta =
      ProblemMetaFromJson(Parsed(R"({"checker":{"type":"float","abs":0,"rel":1}})").as_object());
  ASSERT_TRUE(meta.ok()) << meta.status().ToString();
  EXPECT_EQ(meta->checker.rel, 1.0);
}

TEST(ProblemMetaCodec, RejectsEveryMalformedValueNamingIt) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"checker":"float"})", "checker"},
      {R"({"checker":{}})", "checker.type"},
      {R"({"checker":{"type":"regex"}})", "checker.type"},
      {R"({"checker":{"type":"float","abs":1e-6}})", "checker.rel"},
      {R"({"checker":{"type":"float","abs":-1,"rel":0}})", "checker.abs"},
      {R"({"checker":{"type":"float","abs":"1","rel":0}})", "checker.abs"},
      {R"({"checker":{"type":"exact","abs":1}})", "checker.abs"},
      {R"({"checker":{"type":"exact","colour":1}})", "checker.colour"},
      {R"({"interactive":"yes"})", "interactive"},
      {R"({"outputLimit":0})", "outputLimit"},
      {R"({"outputLimit":1.5})", "outputLimit"},
      {R"({"languages":[]})", "languages"},
      {R"({"languages":[3]})", "languages[0]"},
      {R"({"languages":[0,64]})", "languages[1]"},
      {R"({"languages":[1,1]})", "languages[1]"},
  };
  for (const auto& [text, field] : cases) {
    auto meta = ProblemMetaFromJson(Parsed(text).as_object());
    ASSERT_FALSE(meta.ok()) << text;
    EXPECT_THAT(meta.status().message(), HasSubstr(field)) << text;
  }
}

TEST(Requirements, KeysRoundTripAndLabelsReadWell) {
  JobRequirements r{1, kFeatureChecker | kFeatureFileIo};
  EXPECT_EQ(RequirementsKey(r), "1:5");
  EXPECT_EQ(RequirementsFromKey("1:5"), r);
  EXPECT_EQ(RequirementsLabel(r), "C++ + checker + fileio");
  EXPECT_EQ(RequirementsLabel({7, kFeatureInteractive}), "Go + interactive");  // shipped code
  EXPECT_EQ(RequirementsLabel({12, kFeatureInteractive}), "language 12 + interactive");
  for (const char* bad : {"", "1", "1:", ":1", "x:0", "1:8", "64:0", "-1:0", "1:0:0"})
    EXPECT_FALSE(RequirementsFromKey(bad).has_value()) << bad;
}

TEST(Requirements, ARunnerTakesAJobOnlyWithItsLanguageAndEveryFeature) {
  RunnerCapabilities normal_oj;  // declared nothing
  EXPECT_TRUE(normal_oj.CanTake({2, 0}));
  EXPECT_FALSE(normal_oj.CanTake({4, 0}));
  EXPECT_FALSE(normal_oj.CanTake({0, kFeatureChecker}));
  RunnerCapabilities full{{0, 1, 2, 4}, kAllFeatures};
  EXPECT_TRUE(full.CanTake({4, kFeatureInteractive | kFeatureChecker}));
  RunnerCapabilities no_io{{1}, kFeatureChecker};
  EXPECT_FALSE(no_io.CanTake({1, kFeatureChecker | kFeatureFileIo}));
  auto back = RunnerCapabilitiesFromText(RunnerCapabilitiesToText(full));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, full);
  EXPECT_EQ(*RunnerCapabilitiesFromText(""), RunnerCapabilities{});
  EXPECT_FALSE(FeaturesFromNames({"checker", "gpu"}).ok());
}

}  // namespace
}  // namespace noj::api

// nojctl problem create | show | testdata, and the usage errors of the command line.

#include <filesystem>

#include "cli/nojctl_fixture.h"
#include "common/zip_archive.h"

namespace noj::cli::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(NojctlTest, HelpListsEveryCommand) {
  CliResult r = RunNojctl({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* cmd : {"problem", "submit", "status", "rejudge", "submissions", "runners",
                          "queue", "--server", "--token", "--token-file", "--json"})
    EXPECT_THAT(r.out, HasSubstr(cmd));
}

TEST_F(NojctlTest, ProblemCreateZipsADirectoryAndShowPrintsIt) {
  std::string dir = TestdataDir({{40, 2}, {60, 1}});
  CliResult r = Cli({"problem", "create", "--title", "A+B", "--task", "40:2:1000:65536", "--task",
                     "60:1:2000:131072", "--testdata", dir});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("created problem 1 (2 tasks), testdata uploaded"));

  bj::object p = CliJson({"problem", "show", "1"}).as_object();
  EXPECT_EQ(p.at("title"), "A+B");
  EXPECT_EQ(p.at("has_testdata"), true);
  ASSERT_EQ(p.at("tasks").as_array().size(), 2u);
  EXPECT_EQ(p.at("tasks").as_array()[1].as_object().at("timeLimit"), 2000);

  CliResult show = Cli({"problem", "show", "1"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("problem 1: A+B"));
  EXPECT_THAT(show.out, HasSubstr("testdata: present (checksum " +
                                  std::string(p.at("checksum").as_string()) + ")"));
  EXPECT_THAT(show.out, HasSubstr("task  score  cases  time limit  memory limit"));
  EXPECT_THAT(show.out, HasSubstr("128.0 MiB"));
}

TEST_F(NojctlTest, ProblemCreateFromMetaAndZipPrintsJson) {
  std::string meta = WriteFile(
      "meta.json",
      R"({"title":"From meta","tasks":[{"taskScore":100,"caseCount":2,"timeLimit":1000,"memoryLimit":65536}]})");
  std::string zip = WriteFile("td.zip", TestdataZip({{100, 2}}));
  bj::object out = CliJson({"problem", "create", "--meta", meta, "--testdata", zip}).as_object();
  int64_t pid = out.at("problem_id").as_int64();
  bj::object p = Json(Api("GET", "/problems/" + std::to_string(pid))).as_object();
  EXPECT_EQ(p.at("title"), "From meta");
  EXPECT_EQ(p.at("checksum"), out.at("checksum"));
}

TEST_F(NojctlTest, ExampleProblemIsAccepted) {
  std::string ex = std::string(NOJ_EXAMPLES_DIR) + "/problems/aplusb";
  bj::object out =
      CliJson({"problem", "create", "--meta", ex + "/problem.json", "--testdata", ex + "/testdata"})
          .as_object();
  EXPECT_FALSE(out.at("checksum").as_string().empty());
  for (const char* s : {"ac.c", "ac.cpp", "ac.py", "wa.cpp", "ce.cpp", "tle.cpp", "mle.cpp",
                        "re.cpp", "ole.cpp", "EXPECTED"})
    EXPECT_TRUE(std::filesystem::exists(ex + "/solutions/" + s)) << s;
}

TEST_F(NojctlTest, ProblemTestdataReplacesTheZip) {
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string before(
      Json(Api("GET", "/problems/" + std::to_string(pid))).as_object().at("checksum").as_string());
  std::string dir = WriteFile("other/0000.in", "5 5\n");
  WriteFile("other/0000.out", "10\n");
  WriteFile("other/.hidden", "skipped");
  bj::object out = CliJson({"problem", "testdata", std::to_string(pid),
                            std::filesystem::path(dir).parent_path().string()})
                       .as_object();
  EXPECT_NE(out.at("checksum").as_string(), before);
}

TEST_F(NojctlTest, TestdataThatDoesNotMatchIsOneLineNamingTheFiles) {
  std::string dir = TestdataDir({{100, 1}});
  std::filesystem::remove(dir + "/0000.out");
  WriteFile(std::filesystem::path(dir).filename().string() + "/0900.in", "x");
  CliResult r =
      Cli({"problem", "create", "--title", "T", "--task", "100:1:1000:65536", "--testdata", dir});
  ExpectOneLineError(r, 3, "testdata was refused");
  EXPECT_THAT(r.err, HasSubstr("missing: 0000.out"));
  EXPECT_THAT(r.err, HasSubstr("extra: 0900.in"));
}

TEST_F(NojctlTest, ScoresThatDoNotSumTo100AreRefusedInOneLine) {
  CliResult r = Cli({"problem", "create", "--title", "T", "--task", "50:1:1000:65536"});
  ExpectOneLineError(r, 3, "(HTTP 400)");
}

TEST_F(NojctlTest, MalformedTaskIsAUsageError) {
  ExpectOneLineError(Cli({"problem", "create", "--title", "T", "--task", "100:1:1000"}), 2,
                     "SCORE:CASES:TIME_MS:MEM_KIB");
  ExpectOneLineError(Cli({"problem", "create", "--title", "T", "--task", "100:x:1000:1"}), 2,
                     "CASES must be a non-negative integer");
  ExpectOneLineError(Cli({"problem", "create", "--task", "100:1:1000:65536"}), 2,
                     "--title is required");
}

TEST_F(NojctlTest, MissingTestdataPathCreatesNothing) {
  ExpectOneLineError(Cli({"problem", "create", "--title", "T", "--task", "100:1:1000:65536",
                          "--testdata", dir_ + "/nope"}),
                     2, "does not exist");
  EXPECT_EQ(Api("GET", "/problems/1").status, 404);
}

TEST_F(NojctlTest, UnknownProblemIsOneLine) {
  ExpectOneLineError(Cli({"problem", "show", "999"}), 3, "no such problem: 999 (HTTP 404)");
}

TEST_F(NojctlTest, UnknownCommandAndMissingArgumentsAreUsageErrors) {
  EXPECT_EQ(Cli({"frobnicate"}).exit_code, 2);
  EXPECT_EQ(Cli({"problem", "show"}).exit_code, 2);
  EXPECT_EQ(Cli({}).exit_code, 2);
}

}  // namespace
}  // namespace noj::cli::testing

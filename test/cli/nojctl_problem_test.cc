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
  EXPECT_THAT(show.out, HasSubstr("testdata: present, SimpleIO (checksum " +
                                  std::string(p.at("checksum").as_string()) + ")"));
  EXPECT_THAT(show.out, HasSubstr("checker: default"));
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
  // Checked before anything is created.
  CliResult r =
      Cli({"problem", "create", "--title", "T", "--task", "100:1:1000:65536", "--testdata", dir});
  ExpectOneLineError(r, 2, "nothing was created");
  EXPECT_THAT(r.err, HasSubstr("0900.in: no task 9"));
  EXPECT_THAT(r.err, HasSubstr("missing: 0000.out"));
  EXPECT_THAT(r.err, HasSubstr("extra: 0900.in"));
  EXPECT_EQ(Api("GET", "/problems/1").status, 404);
  // An upload to an existing problem is judged by the server: the same names, from its 400.
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  r = Cli({"problem", "testdata", std::to_string(pid), dir});
  ExpectOneLineError(r, 3, "testdata package refused");
  EXPECT_THAT(r.err, HasSubstr("missing: 0000.out"));
  EXPECT_THAT(r.err, HasSubstr("extra: 0900.in"));
}

TEST_F(NojctlTest, ProblemCreateTakesCheckerFlagsAndAPackageDirectory) {
  std::string dir = TestdataDir({{100, 2}});
  const std::string name = std::filesystem::path(dir).filename().string();
  WriteFile(name + "/checker/checker.cpp", "#include \"testlib.h\"\nint main() {}\n");
  WriteFile(name + "/checker/testlib.h", "// testlib\n");
  WriteFile(name + "/interactor/interactor.py", "print(1)\n");
  WriteFile(name + "/include/grader.h", "int solve();\n");
  WriteFile(name + "/share/words.txt", "a b c\n");
  WriteFile(name + "/chaos/seed", "42\n");
  bj::object out =
      CliJson({"problem", "create", "--title", "Special", "--task", "100:2:1000:65536", "--checker",
               "custom", "--interactive", "--output-limit", "64M", "--testdata", dir})
          .as_object();
  const int64_t pid = out.at("problem_id").as_int64();
  bj::object p = Json(Api("GET", "/problems/" + std::to_string(pid))).as_object();
  EXPECT_EQ(p.at("checker"), (bj::object{{"type", "custom"}}));
  EXPECT_EQ(p.at("interactive"), true);
  EXPECT_EQ(p.at("outputLimit"), int64_t{64} << 20);
  EXPECT_EQ(p.at("has_testdata"), true);
  EXPECT_EQ(p.at("checksum"), out.at("checksum"));
  CliResult show = Cli({"problem", "show", std::to_string(pid)});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("checker: custom\ninteractive: yes\noutput limit: 67108864"));
}

TEST_F(NojctlTest, FloatCheckerFlagKeepsItsTolerances) {
  bj::object out =
      CliJson({"problem", "create", "--title", "F", "--task", "100:1:1000:65536", "--checker",
               "float:1e-6:2.5e-9", "--testdata", TestdataDir({{100, 1}})})
          .as_object();
  const std::string pid = std::to_string(out.at("problem_id").as_int64());
  bj::object p = Json(Api("GET", "/problems/" + pid)).as_object();
  EXPECT_EQ(p.at("checker"), (bj::object{{"type", "float"}, {"abs", 1e-6}, {"rel", 2.5e-9}}));
  CliResult show = Cli({"problem", "show", pid});
  EXPECT_THAT(show.out, HasSubstr("checker: float (abs 1e-06, rel 2.5e-09)"));
}

TEST_F(NojctlTest, MetaFileCarriesMetaKeysAndScoringAndFlagsOverrideIt) {
  std::string meta = WriteFile("special.json", R"({
    "title": "From meta",
    "tasks": [{"taskScore": 30, "caseCount": 1, "timeLimit": 1000, "memoryLimit": 65536},
              {"taskScore": 70, "caseCount": 1, "timeLimit": 1000, "memoryLimit": 65536,
               "scoring": "partial"}],
    "checker": {"type": "tokens"}, "languages": [1, 2], "outputLimit": 4096})");
  bj::object out = CliJson({"problem", "create", "--meta", meta, "--checker", "exact", "--testdata",
                            TestdataDir({{30, 1}, {70, 1}})})
                       .as_object();
  const std::string pid = std::to_string(out.at("problem_id").as_int64());
  bj::object p = Json(Api("GET", "/problems/" + pid)).as_object();
  EXPECT_EQ(p.at("checker"), (bj::object{{"type", "exact"}}));  // the flag wins
  EXPECT_EQ(p.at("languages"), (bj::array{1, 2}));
  EXPECT_EQ(p.at("outputLimit"), 4096);
  EXPECT_FALSE(p.at("tasks").as_array()[0].as_object().contains("scoring"));
  EXPECT_EQ(p.at("tasks").as_array()[1].as_object().at("scoring"), "partial");
  CliResult show = Cli({"problem", "show", pid});
  EXPECT_THAT(show.out, HasSubstr("languages: 1 2"));
  EXPECT_THAT(show.out, HasSubstr("partial"));
}

TEST_F(NojctlTest, ContextIoPackageDirectoryIsZippedWhole) {
  WriteFile("ctxpkg/test-case/0000/STDIN", "1 2\n");
  WriteFile("ctxpkg/test-case/0000/STDOUT", "3\n");
  WriteFile("ctxpkg/test-case/0000/in/data.txt", "x\n");
  WriteFile("ctxpkg/test-case/0000/out/result.txt", "y\n");
  const std::string dir = (std::filesystem::path(dir_) / "files" / "ctxpkg").string();
  bj::object out = CliJson({"problem", "create", "--title", "Files", "--task", "100:1:1000:65536",
                            "--testdata", dir})
                       .as_object();
  const std::string pid = std::to_string(out.at("problem_id").as_int64());
  EXPECT_EQ(Json(Api("GET", "/problems/" + pid)).as_object().at("context_io"), true);
  EXPECT_THAT(Cli({"problem", "show", pid}).out, HasSubstr("testdata: present, ContextIO"));
}

TEST_F(NojctlTest, BadMetaFlagsAreUsageErrorsThatCreateNothing) {
  auto create = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"problem", "create", "--title",
                                     "T",       "--task", "100:1:1000:65536"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  };
  ExpectOneLineError(create({"--checker", "magic"}), 2,
                     "must be one of default, exact, tokens, custom or float:ABS:REL");
  ExpectOneLineError(create({"--checker", "float"}), 2, "needs both tolerances");
  ExpectOneLineError(create({"--checker", "float:1e-6"}), 2, "needs both tolerances");
  ExpectOneLineError(create({"--checker", "float:x:1"}), 2, "ABS must be a finite number >= 0");
  ExpectOneLineError(create({"--checker", "float:1e-6:-1"}), 2, "REL must be a finite number");
  ExpectOneLineError(create({"--checker", "float:inf:0"}), 2, "ABS must be");
  ExpectOneLineError(create({"--output-limit", "0"}), 2, "--output-limit '0' must be a positive");
  ExpectOneLineError(create({"--output-limit", "12X"}), 2, "optionally with K, M or G");
  // A package that does not fit the meta: checker/ without a custom checker.
  std::string dir = TestdataDir({{100, 1}});
  WriteFile(std::filesystem::path(dir).filename().string() + "/checker/checker.cpp", "x");
  CliResult r = create({"--testdata", dir});
  ExpectOneLineError(r, 2, "checker/checker.cpp: checker/ is not expected");
  EXPECT_THAT(r.err, HasSubstr("nothing was created"));
  // A meta value only the server judges: refused there, before anything is created.
  ExpectOneLineError(create({"--output-limit", "100"}), 3, "outputLimit");
  EXPECT_EQ(Api("GET", "/problems/1").status, 404);
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

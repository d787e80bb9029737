// nojctl problem update | rejudge (judging.md §6) against a real nojd.

#include "cli/exit_codes.h"
#include "cli/nojctl_fixture.h"

namespace noj::cli::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(NojctlTest, ProblemUpdateReplacesTasksAndMetaAsANewVersion) {
  const int64_t pid = CreateProblemWithTestdata({{40, 1}, {60, 2}});
  const std::string id = std::to_string(pid);
  const bj::object before = Json(Api("GET", "/problems/" + id)).as_object();
  CliResult r = Cli({"problem", "update", id, "--task", "30:1:500:65536", "--task",
                     "70:2:500:65536", "--checker", "tokens"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("updated problem " + id + " to version 3 (checksum "));
  const bj::object after = Json(Api("GET", "/problems/" + id)).as_object();
  EXPECT_EQ(after.at("title"), before.at("title"));
  EXPECT_EQ(after.at("checker"), (bj::object{{"type", "tokens"}}));
  EXPECT_EQ(after.at("tasks").at(0).at("timeLimit"), 500);
  EXPECT_NE(after.at("checksum"), before.at("checksum"));
  EXPECT_THAT(r.out, HasSubstr(std::string(after.at("checksum").as_string())));

  bj::object json = CliJson({"problem", "update", id, "--title", "renamed", "--task",
                             "40:1:1000:65536", "--task", "60:2:1000:65536"})
                        .as_object();
  EXPECT_EQ(json.at("title"), "renamed");
  EXPECT_EQ(json.at("version"), 4);
  EXPECT_FALSE(json.contains("checker"));
}

TEST_F(NojctlTest, ProblemUpdateThatDoesNotFitChangesNothing) {
  const int64_t pid = CreateProblemWithTestdata({{40, 1}, {60, 2}});
  const std::string id = std::to_string(pid);
  const bj::object before = Json(Api("GET", "/problems/" + id)).as_object();
  CliResult r =
      Cli({"problem", "update", id, "--task", "40:1:1000:65536", "--task", "60:3:1000:65536"});
  ExpectOneLineError(r, kExitRefused, "0102.in");
  r = Cli({"problem", "update", id, "--task", "40:1:1000:65536", "--task", "50:2:1000:65536"});
  EXPECT_NE(r.exit_code, 0);
  r = Cli({"problem", "update", id});  // no tasks
  ExpectOneLineError(r, kExitUsage, "--task");
  EXPECT_EQ(Json(Api("GET", "/problems/" + id)).as_object(), before);
  r = Cli({"problem", "update", std::to_string(pid + 100), "--task", "100:1:1000:65536"});
  EXPECT_EQ(r.exit_code, kExitRefused) << r.err;
}

TEST_F(NojctlTest, ProblemRejudgePrintsHowManyWereQueued) {
  const int64_t pid = CreateProblemWithTestdata({{40, 1}, {60, 2}});
  const std::string id = std::to_string(pid);
  RunnerCreds rc = Register();
  std::vector<std::string> sids;
  for (const char* status : {"AC", "WA", "AC"}) {
    sids.push_back(Submit(pid));
    bj::value job = Claim(rc);
    ASSERT_TRUE(job.is_object());
    ASSERT_EQ(
        Complete(rc, std::string(job.at("job_id").as_string()), AllCases({1, 2}, status)).status,
        204);
  }
  CliResult r = Cli({"problem", "rejudge", id, "--status", "AC"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("queued 2 submissions of problem " + id + " with status AC"));
  EXPECT_EQ(Submission(sids[1]).at("status"), 1);
  EXPECT_EQ(CliJson({"problem", "rejudge", id}).as_object().at("queued"), 3);
  EXPECT_EQ(Submission(sids[1]).at("status"), -1);
  ExpectOneLineError(Cli({"problem", "rejudge", id, "--status", "XX"}), kExitRefused, "status");
}

}  // namespace
}  // namespace noj::cli::testing

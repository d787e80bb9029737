// nojctl runners [revoke] | queue, and how the token and the server are found and fail.

#include <fstream>

#include "cli/nojctl_fixture.h"

namespace noj::cli::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(NojctlTest, RunnersListsTheRegisteredRunners) {
  EXPECT_THAT(Cli({"runners"}).out, HasSubstr("no runners registered"));
  RunnerCreds rc = Register("judge-7");
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  Submit(pid);
  std::string job(Claim(rc).as_object().at("job_id").as_string());

  bj::array runners = CliJson({"runners"}).as_array();
  ASSERT_EQ(runners.size(), 1u);
  const bj::object& r = runners[0].as_object();
  EXPECT_EQ(r.at("runner_id"), bj::value(rc.id));
  EXPECT_EQ(r.at("name"), "judge-7");
  EXPECT_EQ(r.at("alive"), true);
  EXPECT_EQ(r.at("active_jobs").as_array(), (bj::array{bj::value(job)}));

  CliResult text = Cli({"runners"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("runner"));
  EXPECT_THAT(text.out, HasSubstr("active jobs"));
  EXPECT_THAT(text.out, HasSubstr(rc.id + "  judge-7  yes"));
}

TEST_F(NojctlTest, RunnersRevokeLocksTheRunnerOut) {
  RunnerCreds rc = Register("doomed");
  bj::object out = CliJson({"runners", "revoke", rc.id}).as_object();
  EXPECT_EQ(out.at("revoked"), true);
  auto hb = http_->Send("POST", "/runners/" + rc.id + "/heartbeat", "{}", {rc.auth()});
  EXPECT_EQ(hb.status, 401);

  RunnerCreds other = Register("other");
  CliResult text = Cli({"runners", "revoke", other.id});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("revoked runner " + other.id));
  ExpectOneLineError(Cli({"runners", "revoke", "rn_nope"}), 3, "no such runner");
}

TEST_F(NojctlTest, QueueShowsPendingAndLeasedJobs) {
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  Submit(pid);
  Submit(pid, 1, "int main(){}", 0);
  Submit(pid);
  RunnerCreds rc = Register();
  Claim(rc);  // the contest-priority one
  bj::object q = CliJson({"queue"}).as_object();
  EXPECT_EQ(q.at("pending_total"), 2);
  EXPECT_EQ(q.at("leased"), 1);
  EXPECT_EQ(q.at("pending").as_object().at("1"), 2);

  CliResult text = Cli({"queue"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, ::testing::ContainsRegex("pending +2 \\(contest 0, normal 2, bulk 0\\)"));
  EXPECT_THAT(text.out, ::testing::ContainsRegex("leased \\(judging\\) +1\n"));
  EXPECT_THAT(text.out, ::testing::ContainsRegex("results \\(total\\) +0\n"));
}

TEST_F(NojctlTest, GlobalFlagsWorkAfterTheSubcommand) {
  CliResult r =
      RunNojctl({"queue", "--json", "--server", nojd_->base_url() + "/", "--token", api_token_});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"pending_total\":0"));
}

TEST_F(NojctlTest, TokenComesFromSecretsFilePlainFileOrEnvironment) {
  std::string secrets = nojd_->data_dir() + "/secrets.json";
  std::string plain = WriteFile("token.txt", "  " + api_token_ + "\n");
  std::string server = nojd_->base_url();
  EXPECT_EQ(RunNojctl({"--server", server, "--token-file", secrets, "queue"}).exit_code, 0);
  EXPECT_EQ(RunNojctl({"--server", server, "--token-file", plain, "queue"}).exit_code, 0);
  EXPECT_EQ(RunNojctl({"queue"}, {"NOJ_SERVER=" + server, "NOJ_API_TOKEN=" + api_token_}).exit_code,
            0);
  EXPECT_EQ(
      RunNojctl({"queue"}, {"NOJ_SERVER=" + server, "NOJ_API_TOKEN_FILE=" + secrets}).exit_code, 0);
  // A flag beats the environment.
  EXPECT_EQ(
      RunNojctl({"--token-file", plain, "queue"}, {"NOJ_SERVER=" + server, "NOJ_API_TOKEN=bad"})
          .exit_code,
      0);
}

TEST_F(NojctlTest, BadTokenIsOneLine) {
  CliResult r = RunNojctl({"--server", nojd_->base_url(), "--token", "wrong", "queue"});
  ExpectOneLineError(r, 3, "invalid API token (HTTP 401)");
  EXPECT_THAT(r.err, HasSubstr("--token"));
  std::string bad_json = WriteFile("s.json", "{\"registration_token\":\"x\"}");
  ExpectOneLineError(RunNojctl({"--server", nojd_->base_url(), "--token-file", bad_json, "queue"}),
                     2, "has no \"api_token\" string");
}

TEST_F(NojctlTest, NoTokenIsAUsageError) {
  ExpectOneLineError(RunNojctl({"--server", nojd_->base_url(), "runners"}), 2, "no API token");
  ExpectOneLineError(RunNojctl({"--token", "a", "--token-file", "b", "runners"}), 2, "not both");
  ExpectOneLineError(RunNojctl({"--server", "ftp://x", "--token", "t", "runners"}), 2,
                     "--server must start with http://");
}

TEST_F(NojctlTest, ServerDownIsOneLine) {
  std::string url = nojd_->base_url();
  nojd_->Stop();
  for (std::vector<std::string> cmd : std::vector<std::vector<std::string>>{
           {"queue"}, {"runners"}, {"problem", "show", "1"}, {"submissions", "--json"}}) {
    cmd.insert(cmd.begin(), {"--server", url, "--token", api_token_});
    ExpectOneLineError(RunNojctl(cmd), 4, "cannot reach nojd at " + url);
  }
}

}  // namespace
}  // namespace noj::cli::testing

// nojctl submit | status | rejudge | submissions, with the runner played by the test.

#include "cli/nojctl_fixture.h"

namespace noj::cli::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSource[] = "#include <cstdio>\nint main(){}\n";

class NojctlSubmit : public NojctlTest {
 protected:
  void SetUp() override {
    NojctlTest::SetUp();
    pid_ = CreateProblemWithTestdata({{40, 2}, {60, 1}});
    source_ = WriteFile("main.cpp", kSource);
  }

  std::string SubmitCli() {
    CliResult r = Cli({"submit", "--problem", std::to_string(pid_), source_});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::string sid = r.out.substr(0, r.out.find('\n'));
    EXPECT_EQ(sid.rfind("sn_", 0), 0u) << r.out;
    return sid;
  }

  // Submits through nojctl with --wait while a played runner judges the job with `status`.
  // The runner claims once nojctl shows "queued" and completes once it shows the runner, so the
  // progress line has to go through every state (with --json, at once).
  CliResult SubmitAndWait(const std::string& status, std::vector<std::string> extra = {}) {
    RunnerCreds rc = Register("fake-runner");
    std::vector<std::string> args = {"submit", "--problem", std::to_string(pid_), "--lang", "cpp",
                                     source_,  "--wait"};
    args.insert(args.end(), extra.begin(), extra.end());
    bool json = std::find(args.begin(), args.end(), "--json") != args.end();
    NojctlProcess p(WithServer(args));
    EXPECT_TRUE(p.Start());
    auto shows = [&p, json](const char* text) {
      return json || p.ErrSoFar().find(text) != std::string::npos;  // --json: no progress line
    };
    std::thread judge = JudgeNext(
        rc, [&] { return shows("queued"); }, [&] { return shows("judging on runner"); },
        CasesBody({2, 1}, status, status == "CE" ? "main.cpp:1: error: 'x' was not declared" : ""));
    CliResult r = p.Wait();
    judge.join();
    return r;
  }

  int64_t pid_ = 0;
  std::string source_;
};

TEST_F(NojctlSubmit, SubmitPrintsTheSubmissionIdAndQueuesIt) {
  std::string sid = SubmitCli();
  bj::object s = Submission(sid);
  EXPECT_EQ(s.at("status"), -1);
  EXPECT_EQ(s.at("language"), 1);  // from the .cpp extension
  EXPECT_EQ(s.at("problem_id"), pid_);
}

TEST_F(NojctlSubmit, SubmitJsonIsTheServersAnswer) {
  std::string py = WriteFile("a.txt", "print(1)\n");
  bj::object out =
      CliJson({"submit", "--problem", std::to_string(pid_), "--lang", "py", py}).as_object();
  EXPECT_EQ(out.at("status"), -1);
  std::string sid(out.at("submission_id").as_string());
  EXPECT_EQ(Submission(sid).at("language"), 2);
}

TEST_F(NojctlSubmit, WaitShowsProgressThenTheCaseTableAndExitsZeroForAC) {
  CliResult r = SubmitAndWait("AC");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr(": queued\n"));
  EXPECT_THAT(r.err, HasSubstr(": judging on runner fake-runner (rn_"));
  EXPECT_THAT(r.err, HasSubstr(": AC, score 100/100, 8 ms, 2048 KiB\n"));
  EXPECT_LT(r.err.find("queued"), r.err.find("judging"));
  EXPECT_THAT(r.out, HasSubstr("task  case  verdict  time  memory    score\n"
                               "0     0     AC       7 ms  2048 KiB  40\n"
                               "0     1     AC       8 ms  2048 KiB\n"
                               "1     0     AC       7 ms  2048 KiB  60\n"));
  EXPECT_THAT(r.out, HasSubstr(": AC, score 100/100"));
}

TEST_F(NojctlSubmit, WaitExitsNonZeroWhenNotAccepted) {
  CliResult r = SubmitAndWait("WA");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("0     0     WA"));
  EXPECT_THAT(r.out, HasSubstr(": WA, score 0/100"));
}

TEST_F(NojctlSubmit, CompileErrorShowsTheCompilerMessage) {
  CliResult r = SubmitAndWait("CE");
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("compiler output:\n  main.cpp:1: error: 'x' was not declared\n"));
}

TEST_F(NojctlSubmit, WaitJsonPrintsTheFinalSubmission) {
  CliResult r = SubmitAndWait("AC", {"--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // no progress line with --json
  bj::object s = bj::parse(r.out).as_object();
  EXPECT_EQ(s.at("status"), 0);
  EXPECT_EQ(s.at("score"), 100);
  EXPECT_EQ(s.at("tasks").as_array().size(), 2u);
}

TEST_F(NojctlSubmit, StatusShowsPendingThenTheVerdict) {
  std::string sid = SubmitCli();
  CliResult pending = Cli({"status", sid});
  EXPECT_EQ(pending.exit_code, 0) << pending.err;
  EXPECT_THAT(pending.out, HasSubstr(sid + ": queued"));
  EXPECT_EQ(CliJson({"status", sid}).as_object().at("status"), -1);

  RunnerCreds rc = Register();
  std::string job(Claim(rc).as_object().at("job_id").as_string());
  EXPECT_THAT(Cli({"status", sid}).out, HasSubstr(sid + ": judging on runner " + rc.id));
  ASSERT_EQ(Complete(rc, job, CasesBody({2, 1}, "TLE")).status, 204);

  CliResult done = Cli({"status", sid});
  EXPECT_EQ(done.exit_code, 0) << done.err;  // without --wait the exit code is not the verdict
  EXPECT_THAT(done.out, HasSubstr("problem " + std::to_string(pid_) + ", C++, submitted"));
  EXPECT_THAT(done.out, HasSubstr("1     0     TLE"));
  bj::object s = CliJson({"status", sid}).as_object();
  EXPECT_EQ(s.at("status"), 3);
  EXPECT_EQ(Cli({"status", sid, "--wait"}).exit_code, 1);
}

TEST_F(NojctlSubmit, StatusShowsWallTimePointsAndCheckerMessagesWhenTheRunnerSentThem) {
  std::string sid = SubmitCli();
  RunnerCreds rc = Register();
  std::string job(Claim(rc).as_object().at("job_id").as_string());
  bj::value body = bj::parse(CasesBody({2, 1}, "AC"));
  bj::object& judged = body.at("tasks").as_array()[0].as_array()[1].as_object();
  judged["status"] = "WA";
  judged["wallTime"] = 31;
  judged["points"] = 0.25;
  judged["message"] = "wrong answer\n2nd token: expected '3', found '4'";
  ASSERT_EQ(Complete(rc, job, bj::serialize(body)).status, 204);

  CliResult done = Cli({"status", sid});
  EXPECT_EQ(done.exit_code, 0) << done.err;
  EXPECT_THAT(done.out, HasSubstr("wall"));
  EXPECT_THAT(done.out, HasSubstr("points"));
  EXPECT_THAT(done.out, HasSubstr("0.25"));
  EXPECT_THAT(done.out,
              HasSubstr("task 0 case 1: wrong answer 2nd token: expected '3', found '4'"));
  bj::object c =
      CliJson({"status", sid}).at("tasks").as_array()[0].at("cases").as_array()[1].as_object();
  EXPECT_EQ(c.at("wallTime"), 31);
  EXPECT_EQ(c.at("points"), 0.25);
}

TEST_F(NojctlSubmit, StatusOfAPlainResultHasNoExtraColumns) {
  std::string sid = SubmitCli();
  RunnerCreds rc = Register();
  std::string job(Claim(rc).as_object().at("job_id").as_string());
  ASSERT_EQ(Complete(rc, job, CasesBody({2, 1}, "AC")).status, 204);
  CliResult done = Cli({"status", sid});
  EXPECT_THAT(done.out, Not(HasSubstr("points")));
  EXPECT_THAT(done.out, Not(HasSubstr("wall")));
}

TEST_F(NojctlSubmit, StatusWaitGivesUpAtTheTimeout) {
  std::string sid = SubmitCli();
  CliResult r = Cli({"status", sid, "--wait", "--timeout", "1"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("still pending after 1s"));
}

TEST_F(NojctlSubmit, RejudgeQueuesTheSubmissionAgain) {
  std::string sid = SubmitCli();
  RunnerCreds rc = Register();
  std::string job(Claim(rc).as_object().at("job_id").as_string());
  ASSERT_EQ(Complete(rc, job, CasesBody({2, 1}, "WA")).status, 204);
  ASSERT_EQ(Submission(sid).at("status"), 1);

  bj::object out = CliJson({"rejudge", sid}).as_object();
  std::string new_job(out.at("job_id").as_string());
  EXPECT_NE(new_job, job);
  EXPECT_EQ(Submission(sid).at("status"), -1);
  CliResult text = Cli({"rejudge", sid});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("rejudging " + sid + " (job jb_"));
}

TEST_F(NojctlSubmit, SubmissionsFiltersByProblemAndVerdict) {
  int64_t other = CreateProblemWithTestdata({{100, 1}});
  std::string a = SubmitCli();
  std::string b = SubmitCli();
  Submit(other);
  RunnerCreds rc = Register();
  std::string job(Claim(rc).as_object().at("job_id").as_string());  // oldest first: `a`
  ASSERT_EQ(Complete(rc, job, CasesBody({2, 1}, "WA")).status, 204);

  auto ids = [](const bj::value& v) {
    std::vector<std::string> out;
    for (const bj::value& s : v.as_object().at("submissions").as_array())
      out.emplace_back(s.as_object().at("submission_id").as_string());
    return out;
  };
  EXPECT_EQ(ids(CliJson({"submissions"})).size(), 3u);
  EXPECT_EQ(ids(CliJson({"submissions", "--problem", std::to_string(pid_)})),
            (std::vector<std::string>{b, a}));
  EXPECT_EQ(ids(CliJson({"submissions", "--status", "WA"})), (std::vector<std::string>{a}));
  EXPECT_EQ(ids(CliJson({"submissions", "--status", "pending", "--problem", std::to_string(pid_)})),
            (std::vector<std::string>{b}));
  bj::object page = CliJson({"submissions", "--limit", "1"}).as_object();
  EXPECT_FALSE(page.at("next_before").is_null());

  CliResult text = Cli({"submissions", "--problem", std::to_string(pid_)});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("submission"));
  EXPECT_THAT(text.out, HasSubstr(a));
  EXPECT_THAT(text.out, HasSubstr("WA"));
  EXPECT_THAT(text.out, HasSubstr("PENDING"));
  EXPECT_EQ(Cli({"submissions", "--status", "bogus"}).exit_code, 2);
}

TEST_F(NojctlSubmit, UnknownProblemOrSubmissionIsOneLine) {
  ExpectOneLineError(Cli({"submit", "--problem", "999", source_}), 3, "no such problem");
  ExpectOneLineError(Cli({"status", "sn_01ARZ3NDEKTSV4RRFFQ69G5FAV"}), 3, "no such submission");
  ExpectOneLineError(Cli({"rejudge", "sn_nope"}), 3, "(HTTP 404)");
}

TEST_F(NojctlSubmit, ProblemWithoutTestdataIsOneLine) {
  bj::object p =
      CliJson({"problem", "create", "--title", "T", "--task", "100:1:1000:65536"}).as_object();
  ExpectOneLineError(
      Cli({"submit", "--problem", std::to_string(p.at("problem_id").as_int64()), source_}), 3,
      "no testdata");
}

TEST_F(NojctlSubmit, LocalMistakesAreUsageErrors) {
  ExpectOneLineError(Cli({"submit", "--problem", "1", dir_ + "/missing.cpp"}), 2, "cannot read");
  std::string unknown = WriteFile("prog.kt", "fun main() {}");
  ExpectOneLineError(Cli({"submit", "--problem", "1", unknown}), 2, "give --lang c|cpp|py");
  ExpectOneLineError(Cli({"submit", "--problem", "1", "--lang", "kotlin", source_}), 2,
                     "--lang must be a language name");
  ExpectOneLineError(Cli({"submit", "--problem", "1", "--lang", "3", source_}), 2,
                     "--lang must be a language name");
  std::string empty = WriteFile("empty.c", "");
  ExpectOneLineError(Cli({"submit", "--problem", "1", empty}), 2, "is empty");
  EXPECT_THAT(Cli({"submissions"}).out, Not(HasSubstr("sn_")));
}

}  // namespace
}  // namespace noj::cli::testing

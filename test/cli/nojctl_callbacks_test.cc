// nojctl callbacks [list] | redeliver, and submit --callback-url, against a real nojd whose
// callbacks go to a closed loopback port (every attempt refused) and die after 1 s.

#include "cli/nojctl_fixture.h"

namespace noj::cli::testing {
namespace {

using ::testing::HasSubstr;

class NojctlCallbacks : public NojctlTest {
 protected:
  std::vector<std::string> Flags() const override {
    return {"--callback-allow",        "127.0.0.1", "--callback-retry-base-ms", "100",
            "--callback-retry-max-ms", "200",       "--callback-max-age",       "1"};
  }
  // Nothing listens on port 9 (discard) of loopback here: connect is refused at once.
  static constexpr char kClosedUrl[] = "http://127.0.0.1:9/hook";
};

TEST_F(NojctlCallbacks, ListShowsTheDeadDeliveryAndRedeliverSendsItAgain) {
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string src = WriteFile("a.cpp", "int main(){}");
  bj::object submitted =
      CliJson({"submit", "--problem", std::to_string(pid), "--callback-url", kClosedUrl, src})
          .as_object();
  std::string sid(submitted.at("submission_id").as_string());
  RunnerCreds rc = Register();
  std::string job(Claim(rc).as_object().at("job_id").as_string());
  ASSERT_EQ(Complete(rc, job, AllCases({1})).status, 204);
  const std::string id = "msg_" + job;

  // Refused for a second, then dead (max age 1 s).
  ASSERT_TRUE(Eventually([&] { return CliJson({"callbacks"}).as_object().at("dead") == 1; }));
  bj::object view = CliJson({"callbacks", "list", "--state", "dead"}).as_object();
  const bj::object& d = view.at("deliveries").as_array().at(0).as_object();
  EXPECT_EQ(d.at("event_id"), bj::value(id));
  EXPECT_EQ(d.at("submission_id"), bj::value(sid));
  EXPECT_EQ(d.at("url"), kClosedUrl);
  EXPECT_GE(d.at("attempts").as_int64(), 1);
  EXPECT_THAT(std::string(d.at("last_error").as_string()), HasSubstr("max age"));

  CliResult text = Cli({"callbacks"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("dead 1"));
  EXPECT_THAT(text.out, HasSubstr(kClosedUrl));
  EXPECT_THAT(text.out, HasSubstr(id));

  CliResult again = Cli({"callbacks", "redeliver", id});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("redelivering " + id));
  // Pending again with a fresh max age (it dies again a second later: nothing listens).
  bj::object after = CliJson({"callbacks"}).as_object();
  EXPECT_EQ(after.at("dead").as_int64() + after.at("pending").as_int64(), 1);
  ExpectOneLineError(Cli({"callbacks", "redeliver", "msg_jb_nope"}), 3, "no such delivery");
}

TEST_F(NojctlCallbacks, SubmitRefusesATargetOutsideTheAllowList) {
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string src = WriteFile("a.cpp", "int main(){}");
  ExpectOneLineError(Cli({"submit", "--problem", std::to_string(pid), "--callback-url",
                          "http://10.1.2.3/hook", src}),
                     3, "callback_url");
  EXPECT_EQ(CliJson({"queue"}).as_object().at("pending_total"), 0);
}

}  // namespace
}  // namespace noj::cli::testing

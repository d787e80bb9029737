// Security properties over HTTP: secrets never logged nor returned twice, the secrets file is
// private, runners cannot act on each other's jobs, and the two token kinds do not cross.

#include <sys/stat.h>

#include <sstream>
#include <thread>

#include "integration/nojd_fixture.h"

namespace noj::testing {
namespace {

class Security : public NojdTest {
 protected:
  std::vector<std::string> Flags() const override {
    return {"--log-level", "debug", "--lease-ttl", "1"};
  }
};

TEST_F(Security, SecretsFileIsPrivate) {
  struct stat st {};
  ASSERT_EQ(stat((dir_ + "/secrets.json").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_GE(nojd_->registration_token().size(), 40u);
  EXPECT_GE(api_token_.size(), 40u);
}

TEST_F(Security, TokensAreNeverLoggedNorReturnedAfterRegistration) {
  RunnerCreds rc = Register("judge");
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string sid = Submit(pid);
  std::string jb(Claim(rc).as_object().at("job_id").as_string());
  http_->Send("POST", "/runners/" + rc.id + "/heartbeat", "{}", {rc.auth()});
  http_->Get("/problem/" + std::to_string(pid) + "/testdata?token=" + rc.token);
  http_->Get("/queue",
             {"Authorization: Bearer " + rc.token});  // a refused token is not logged either
  ASSERT_EQ(Complete(rc, jb, AllCases({1})).status, 204);
  // Nothing the API returns after registration carries a token.
  for (const std::string& path :
       std::vector<std::string>{"/runners", "/submissions/" + sid, "/queue", "/submissions"}) {
    auto r = Api("GET", path);
    EXPECT_EQ(r.body.find(rc.token), std::string::npos) << path;
    EXPECT_EQ(r.body.find(rc.token.substr(3)), std::string::npos) << path;
  }
  nojd_->Stop();  // flush the log
  std::string log = nojd_->Log();
  EXPECT_NE(log.find("event=runner_registered"), std::string::npos) << "debug log is empty?";
  for (const std::string& secret : std::vector<std::string>{
           rc.token, rc.token.substr(3), api_token_, nojd_->registration_token()})
    EXPECT_EQ(log.find(secret), std::string::npos) << "a secret appears in the log";
}

// A runner chooses its name: with a line break in it, it must not start a forged log line.
TEST_F(Security, ARunnerNameCannotForgeALogLine) {
  auto r = http_->Send("POST", "/runners/register",
                       R"({"registration_token":")" + nojd_->registration_token() +
                           R"(","name":"evil\nts=0 level=info event=landed job=jb_forged \"x"})");
  ASSERT_EQ(r.status, 201) << r.body;
  nojd_->Stop();  // flush the log
  std::string log = nojd_->Log();
  ASSERT_NE(log.find("event=runner_registered"), std::string::npos);
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) EXPECT_NE(line.rfind("ts=0 ", 0), 0u) << "forged: " << line;
  EXPECT_NE(log.find(R"(name="evil\nts=0)"), std::string::npos) << log;
}

TEST_F(Security, ARunnerCannotRenewCompleteOrAbortAnotherRunnersJob) {
  RunnerCreds owner = Register("owner"), thief = Register("thief");
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  Submit(pid);
  std::string jb(Claim(owner).as_object().at("job_id").as_string());
  std::string listing = bj::serialize(
      bj::object{{"active_job_ids", bj::array{bj::string(jb)}}, {"want_hints", true}});
  // The thief's heartbeat listing the job does not renew it (it is told to cancel instead).
  for (int i = 0; i < 4; ++i) {
    auto hb = http_->Send("POST", "/runners/" + thief.id + "/heartbeat", listing, {thief.auth()});
    ASSERT_EQ(hb.status, 200);
    EXPECT_EQ(Json(hb).as_object().at("cancel"), bj::array({bj::string(jb)}));
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
  }
  ExpectErrorEnvelope(Complete(thief, jb, AllCases({1})), 409);
  ExpectErrorEnvelope(
      http_->Send("PUT", "/runners/" + thief.id + "/jobs/" + jb + "/abort", "{}", {thief.auth()}),
      409);
  // The owner's lease (1 s) expired despite the thief's heartbeats: the job is reclaimable.
  auto again = Claim(thief);
  ASSERT_TRUE(again.is_object());
  EXPECT_EQ(again.as_object().at("job_id"), bj::value(jb));
  EXPECT_EQ(again.as_object().at("attempt"), 2);
}

TEST_F(Security, ClientAndRunnerTokensDoNotCross) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  ExpectErrorEnvelope(http_->Get("/submissions", {rc.auth()}), 401);
  ExpectErrorEnvelope(http_->Send("POST", "/problems", "{}", {rc.auth()}), 401);
  ExpectErrorEnvelope(http_->Get("/runners/" + rc.id + "/next-job", {ApiAuth()}), 401);
  ExpectErrorEnvelope(http_->Get("/problem/" + std::to_string(pid) + "/testdata", {ApiAuth()}),
                      401);
  ExpectErrorEnvelope(
      http_->Get("/problem/" + std::to_string(pid) + "/testdata?token=" + api_token_), 401);
  // A registration token is not a runner token.
  ExpectErrorEnvelope(http_->Get("/problem/" + std::to_string(pid) +
                                 "/testdata?token=" + nojd_->registration_token()),
                      401);
}

}  // namespace
}  // namespace noj::testing

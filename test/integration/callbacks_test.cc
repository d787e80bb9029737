// Result callbacks end to end (docs/callbacks.md): a real nojd, the test as the runner, and the
// example receiver (examples/callback_receiver/receiver.py) as a real process that verifies every
// signature with nojd's secret — a POST without a valid one gets 401 and never lands there.
// Against both stores (ctest runs the binary again with NOJ_IT_STORE=redis).

#include <signal.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "integration/callback_receiver.h"
#include "integration/nojd_fixture.h"

namespace noj::testing {
namespace {

class Callbacks : public NojdTest {
 protected:
  // Quick retries so a test sees several attempts in seconds; loopback allow-listed.
  std::vector<std::string> Flags() const override {
    return {"--callback-allow",
            "127.0.0.1",
            "--callback-retry-base-ms",
            "200",
            "--callback-retry-max-ms",
            "1000",
            "--callback-timeout-ms",
            "1500",
            "--log-level",
            "info"};
  }

  void SetUp() override {
    NojdTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    receiver_ = std::make_unique<CallbackReceiver>(dir_ + "/secrets.json", dir_);
    std::string err;
    ASSERT_TRUE(receiver_->Start(&err)) << err;
    pid_ = CreateProblemWithTestdata({{100, 1}});
    runner_ = Register();
  }
  void TearDown() override {
    receiver_.reset();
    NojdTest::TearDown();
  }

  // Submits with the receiver as callback_url; returns the submission id (201 expected).
  std::string SubmitWithCallback(const std::string& url) {
    auto r = Api("POST", "/submissions",
                 bj::serialize(bj::object{{"problem_id", pid_},
                                          {"language", 1},
                                          {"code", "int main(){}"},
                                          {"callback_url", url}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? std::string(Json(r).as_object().at("submission_id").as_string()) : "";
  }
  // Claims the next job and completes it with `verdict` on its one case: returns the job id.
  std::string JudgeNext(const std::string& verdict) {
    bj::value job = Claim(runner_);
    EXPECT_TRUE(job.is_object());
    if (!job.is_object()) return "";
    std::string jb(job.as_object().at("job_id").as_string());
    EXPECT_EQ(Complete(runner_, jb, AllCases({1}, verdict)).status, 204);
    return jb;
  }
  bj::object CallbacksView(const std::string& query = "") {
    auto r = Api("GET", "/callbacks" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return Json(r).as_object();
  }
  // Waits until GET /callbacks lists a pending delivery tried at least `attempts` times.
  bool WaitForAttempts(int attempts, int timeout_s, std::string* last_error = nullptr) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_s);
    while (std::chrono::steady_clock::now() < deadline) {
      const bj::object view = CallbacksView("?state=pending");  // outlives the loop
      for (const bj::value& d : view.at("deliveries").as_array()) {
        if (d.as_object().at("attempts").as_int64() >= attempts) {
          if (last_error) *last_error = d.as_object().at("last_error").as_string();
          return true;
        }
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  // Until nojd recorded every outcome (it does just after the receiver answered).
  void WaitOutboxEmpty() {
    for (int i = 0; i < 200 && CallbacksView().at("pending").as_int64() > 0; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Every accepted event once (duplicates only as repeats of an id already there).
  void ExpectEachOnce(const std::set<std::string>& ids) {
    std::map<std::string, int> fresh;
    for (const CallbackReceiver::Event& e : receiver_->Events())
      if (!e.duplicate) ++fresh[e.id];
    for (const std::string& id : ids) EXPECT_EQ(fresh[id], 1) << id;
    EXPECT_EQ(fresh.size(), ids.size());
  }

  std::unique_ptr<CallbackReceiver> receiver_;
  int64_t pid_ = 0;
  RunnerCreds runner_;
};

TEST_F(Callbacks, EveryVerdictArrivesOnceSignedWithTheJobsEventId) {
  const std::vector<std::string> verdicts = {"AC", "WA", "TLE", "MLE", "RE", "OLE"};
  std::map<std::string, std::string> sid_of_event;
  for (const std::string& v : verdicts) {
    std::string sid = SubmitWithCallback(receiver_->url());
    std::string jb = JudgeNext(v);
    sid_of_event["msg_" + jb] = sid;
  }
  ASSERT_TRUE(receiver_->WaitForDistinct(verdicts.size(), 30));
  std::set<std::string> ids;
  for (const auto& [id, sid] : sid_of_event) ids.insert(id);
  ExpectEachOnce(ids);
  for (const CallbackReceiver::Event& e : receiver_->Events()) {
    ASSERT_TRUE(sid_of_event.count(e.id)) << e.id;
    EXPECT_EQ(e.submission_id, sid_of_event[e.id]);
    // The body is the client API's final submission: what GET /submissions/{sid} shows.
    bj::object sub = Submission(e.submission_id);
    EXPECT_EQ(e.status, sub.at("status").as_int64());
    EXPECT_EQ(e.score, sub.at("score").as_int64());
  }
  WaitOutboxEmpty();
  bj::object view = CallbacksView();
  EXPECT_EQ(view.at("pending").as_int64(), 0);
  EXPECT_EQ(view.at("dead").as_int64(), 0);
  EXPECT_EQ(view.at("delivered_total").as_int64(), static_cast<int64_t>(verdicts.size()));
}

TEST_F(Callbacks, AJudgeErrorAtTheLastAttemptIsDeliveredToo) {
  std::string sid = SubmitWithCallback(receiver_->url());
  std::string jb;
  for (int attempt = 1; attempt <= 3; ++attempt) {  // nojd's default --max-attempts 3
    bj::value job = Claim(runner_);
    ASSERT_TRUE(job.is_object()) << "attempt " << attempt;
    jb = std::string(job.as_object().at("job_id").as_string());
    auto r = http_->Send("PUT", "/runners/" + runner_.id + "/jobs/" + jb + "/abort",
                         R"({"reason":"test"})", {runner_.auth()});
    ASSERT_LT(r.status, 300) << r.body;
  }
  ASSERT_TRUE(receiver_->WaitForDistinct(1, 30));
  ExpectEachOnce({"msg_" + jb});
  const CallbackReceiver::Event e = receiver_->Events().at(0);
  EXPECT_EQ(e.submission_id, sid);
  EXPECT_EQ(e.status, 6);  // JE
}

TEST_F(Callbacks, ASubmissionWithoutCallbackUrlSendsNothing) {
  Submit(pid_);
  JudgeNext("AC");
  std::string sid = SubmitWithCallback(receiver_->url());
  std::string jb = JudgeNext("AC");
  ASSERT_TRUE(receiver_->WaitForDistinct(1, 30));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ExpectEachOnce({"msg_" + jb});
}

TEST_F(Callbacks, ARejudgesLandingIsANewEvent) {
  std::string sid = SubmitWithCallback(receiver_->url());
  std::string first = JudgeNext("WA");
  ASSERT_TRUE(receiver_->WaitForDistinct(1, 30));
  ASSERT_EQ(Api("POST", "/submissions/" + sid + "/rejudge", "{}").status, 202);
  std::string second = JudgeNext("AC");
  ASSERT_NE(first, second);
  ASSERT_TRUE(receiver_->WaitForDistinct(2, 30));
  ExpectEachOnce({"msg_" + first, "msg_" + second});
}

TEST_F(Callbacks, ReceiverDownTenSecondsGetsEverythingOnceAfterItRecovers) {
  receiver_->Kill();
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    SubmitWithCallback(receiver_->url());
    ids.insert("msg_" + JudgeNext("AC"));
  }
  std::string error;
  ASSERT_TRUE(WaitForAttempts(2, 10, &error));
  EXPECT_NE(error.find("connect"), std::string::npos) << error;
  std::this_thread::sleep_for(std::chrono::seconds(10));
  EXPECT_EQ(CallbacksView().at("pending").as_int64(), 3);
  std::string err;
  ASSERT_TRUE(receiver_->Start(&err)) << err;  // the same port
  ASSERT_TRUE(receiver_->WaitForDistinct(3, 30));
  ExpectEachOnce(ids);
}

TEST_F(Callbacks, Answering500IsRetriedWithTheSameEventIdUntil2xx) {
  receiver_->SetMode("500");
  SubmitWithCallback(receiver_->url());
  std::string jb = JudgeNext("AC");
  std::string error;
  ASSERT_TRUE(WaitForAttempts(3, 20, &error));
  EXPECT_NE(error.find("500"), std::string::npos) << error;
  EXPECT_EQ(receiver_->DistinctEvents(), 0u);
  receiver_->SetMode("ok");
  ASSERT_TRUE(receiver_->WaitForDistinct(1, 30));
  ExpectEachOnce({"msg_" + jb});
}

TEST_F(Callbacks, AHangingReceiverTimesOutAndIsRetried) {
  receiver_->SetMode("hang");
  SubmitWithCallback(receiver_->url());
  std::string jb = JudgeNext("AC");
  std::string error;
  ASSERT_TRUE(WaitForAttempts(1, 20, &error));
  EXPECT_NE(error.find("timeout"), std::string::npos) << error;
  receiver_->SetMode("ok");
  ASSERT_TRUE(receiver_->WaitForDistinct(1, 30));
  ExpectEachOnce({"msg_" + jb});
}

TEST_F(Callbacks, NojdKilledWithDeliveriesPendingDeliversThemAfterRestart) {
  receiver_->SetMode("500");
  std::set<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    SubmitWithCallback(receiver_->url());
    ids.insert("msg_" + JudgeNext("AC"));
  }
  ASSERT_TRUE(WaitForAttempts(1, 20));
  nojd_->Kill();  // SIGKILL: leases held, nothing handed back
  receiver_->SetMode("ok");
  std::string err;
  ASSERT_TRUE(nojd_->Start(&err)) << err;
  ASSERT_TRUE(receiver_->WaitForDistinct(3, 60));
  ExpectEachOnce(ids);
}

TEST_F(Callbacks, RedirectsAreNotFollowed) {
  receiver_->SetMode("redirect");
  SubmitWithCallback(receiver_->url());
  std::string jb = JudgeNext("AC");
  std::string error;
  ASSERT_TRUE(WaitForAttempts(1, 20, &error));
  EXPECT_NE(error.find("302"), std::string::npos) << error;
  EXPECT_EQ(receiver_->DistinctEvents(), 0u);
  receiver_->SetMode("ok");
  ASSERT_TRUE(receiver_->WaitForDistinct(1, 30));
  ExpectEachOnce({"msg_" + jb});
}

TEST_F(Callbacks, A410IsDeadAtOnceAndAnOperatorCanRedeliverIt) {
  receiver_->SetMode("410");
  std::string sid = SubmitWithCallback(receiver_->url());
  std::string jb = JudgeNext("AC");
  const std::string id = "msg_" + jb;
  bj::object view;
  for (int i = 0; i < 200; ++i) {
    view = CallbacksView("?state=dead");
    if (view.at("dead").as_int64() == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(view.at("dead").as_int64(), 1) << bj::serialize(view);
  const bj::object& d = view.at("deliveries").as_array().at(0).as_object();
  EXPECT_EQ(d.at("event_id").as_string(), id);
  EXPECT_EQ(d.at("submission_id").as_string(), sid);
  EXPECT_EQ(d.at("state").as_string(), "dead");
  EXPECT_NE(std::string(d.at("last_error").as_string()).find("410"), std::string::npos);
  EXPECT_EQ(view.at("targets").as_array().at(0).as_object().at("dead").as_int64(), 1);

  ExpectErrorEnvelope(Api("POST", "/callbacks/msg_jb_nosuchjob/redeliver"), 404);
  ExpectErrorEnvelope(Api("POST", "/callbacks/not-an-id/redeliver"), 404);
  receiver_->SetMode("ok");
  auto r = Api("POST", "/callbacks/" + id + "/redeliver");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r).as_object().at("event_id").as_string(), id);
  ASSERT_TRUE(receiver_->WaitForDistinct(1, 30));
  ExpectEachOnce({id});
  WaitOutboxEmpty();  // recorded as delivered: then it is gone
  ExpectErrorEnvelope(Api("POST", "/callbacks/" + id + "/redeliver"), 404);
}

TEST_F(Callbacks, TargetsOutsideTheAllowListAreRefusedAtSubmit) {
  for (const char* url :
       {"http://10.0.0.1/hook", "http://169.254.169.254/latest/meta-data", "http://example.com/x",
        "http://localhost:8080/x", "ftp://127.0.0.1/x", "http://user:pw@127.0.0.1/x",
        "http://[::1]/x", "not a url", "file:///etc/passwd"}) {
    auto r = Api("POST", "/submissions",
                 bj::serialize(bj::object{{"problem_id", pid_},
                                          {"language", 1},
                                          {"code", "int main(){}"},
                                          {"callback_url", url}}));
    ExpectErrorEnvelope(r, 400);
    EXPECT_NE(r.body.find("callback_url"), std::string::npos) << url << ": " << r.body;
  }
  auto bad_type = Api(
      "POST", "/submissions",
      bj::serialize(bj::object{
          {"problem_id", pid_}, {"language", 1}, {"code", "int main(){}"}, {"callback_url", 42}}));
  ExpectErrorEnvelope(bad_type, 400);
  // Nothing was created by the refused ones.
  auto list = Api("GET", "/submissions");
  EXPECT_TRUE(Json(list).as_object().at("submissions").as_array().empty()) << list.body;
}

TEST_F(Callbacks, TheSecretIsNeverLogged) {
  receiver_->SetMode("500");
  SubmitWithCallback(receiver_->url());
  JudgeNext("AC");
  ASSERT_TRUE(WaitForAttempts(2, 20));
  receiver_->SetMode("ok");
  ASSERT_TRUE(receiver_->WaitForDistinct(1, 30));
  std::ifstream in(dir_ + "/secrets.json");
  std::stringstream ss;
  ss << in.rdbuf();
  std::string secret(bj::parse(ss.str()).as_object().at("callback_secret").as_string());
  ASSERT_EQ(secret.rfind("whsec_", 0), 0u);
  // nojd logs the outcome once it recorded it, just after the receiver answered.
  std::string log;
  for (int i = 0; i < 200 && log.find("callback_delivered") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    log = nojd_->Log();
  }
  EXPECT_NE(log.find("callback_delivered"), std::string::npos) << log;
  EXPECT_EQ(log.find(secret.substr(6)), std::string::npos);
  EXPECT_EQ(log.find("v1,"), std::string::npos);  // no signature either
}

}  // namespace
}  // namespace noj::testing

// GET /metrics after a scripted run: every counter of docs/operations.md has the value the script
// implies, and the text is valid Prometheus exposition. Also --metrics-token and --log-format.

#include <chrono>
#include <filesystem>
#include <sstream>
#include <thread>

#include "integration/nojd_fixture.h"
#include "support/prometheus_text.h"

namespace noj::testing {
namespace {

class Metrics : public NojdTest {
 protected:
  std::vector<std::string> Flags() const override {
    return {"--lease-ttl", "1", "--max-attempts", "2", "--heartbeat-interval", "60"};
  }
  static void SleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

  Exposition Scrape() {
    HttpResult r = http_->Get("/metrics");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
    std::string error;
    auto e = ParseExposition(r.body, &error);
    EXPECT_TRUE(e.has_value()) << error << "\n" << r.body;
    return e.value_or(Exposition{});
  }
  std::string JobId(const bj::value& job) {
    EXPECT_TRUE(job.is_object()) << "no job";
    return job.is_object() ? std::string(job.at("job_id").as_string()) : "";
  }
};

TEST_F(Metrics, ScriptedRunGivesExactCounters) {
  int64_t pid = CreateProblemWithTestdata({{100, 2}});
  RunnerCreds a = Register("runner-a");
  RunnerCreds b = Register("runner-b");

  // 1. A result lands at the first attempt.
  std::string s1 = Submit(pid);
  std::string j1 = JobId(Claim(a));
  ASSERT_EQ(Complete(a, j1, AllCases({2}, "AC")).status, 204);

  // 2. A lease expires: B reclaims; A's late result is a 409; B's lands at attempt 2.
  std::string s2 = Submit(pid);
  std::string j2 = JobId(Claim(a));
  SleepMs(1300);
  bj::value re = Claim(b);
  ASSERT_EQ(JobId(re), j2);
  EXPECT_EQ(re.at("attempt"), 2);
  EXPECT_EQ(Complete(a, j2, AllCases({2}, "AC")).status, 409);
  ASSERT_EQ(Complete(b, j2, AllCases({2}, "WA")).status, 204);

  // 3. A rejudge supersedes a job in flight: its result is dropped; the new job lands.
  std::string s3 = Submit(pid);
  std::string j3 = JobId(Claim(a));
  ASSERT_EQ(Api("POST", "/submissions/" + s3 + "/rejudge").status, 202);
  EXPECT_EQ(Complete(a, j3, AllCases({2}, "AC")).status, 204);
  std::string j3b = JobId(Claim(b));
  ASSERT_EQ(Complete(b, j3b, AllCases({2}, "AC")).status, 204);

  // 4. Judge Error: two attempts both abandoned; the reaper converges it at the maximum.
  std::string s4 = Submit(pid);
  JobId(Claim(a));
  SleepMs(1300);
  bj::value again = Claim(b);
  EXPECT_EQ(again.at("attempt"), 2);
  SleepMs(1300);
  bj::object final4 = WaitFinal(s4, 10);
  EXPECT_EQ(final4.at("status"), 6) << "JE expected";

  Exposition e = Scrape();
  EXPECT_EQ(e.Get("noj_claims_total", R"(kind="fresh")"), 5);
  EXPECT_EQ(e.Get("noj_claims_total", R"(kind="reclaimed")"), 2);
  EXPECT_EQ(e.Get("noj_reclaims_total"), 2);
  EXPECT_EQ(e.Get("noj_results_landed_total", R"(verdict="AC")"), 2);
  EXPECT_EQ(e.Get("noj_results_landed_total", R"(verdict="WA")"), 1);
  EXPECT_EQ(e.Sum("noj_results_landed_total"), 3);
  EXPECT_EQ(e.Get("noj_stale_results_dropped_total"), 1);
  EXPECT_EQ(e.Get("noj_lease_conflicts_total", R"(endpoint="complete")"), 1);
  EXPECT_EQ(e.Get("noj_lease_conflicts_total", R"(endpoint="abort")"), 0);
  EXPECT_EQ(e.Get("noj_judge_errors_total"), 1);
  EXPECT_EQ(e.Get("noj_exhausted_total"), 1);
  // Attempts of the three landed results (1, 2, 1) and of the JE (2).
  EXPECT_EQ(e.Get("noj_job_attempts_count"), 4);
  EXPECT_EQ(e.Get("noj_job_attempts_sum"), 6);
  EXPECT_EQ(e.Get("noj_queue_latency_seconds_count"), 5);
  EXPECT_EQ(e.Get("noj_judge_latency_seconds_count"), 3);
  EXPECT_EQ(e.Get("noj_jobs_leased"), 0);
  EXPECT_EQ(e.Sum("noj_jobs_pending"), 0);
  EXPECT_EQ(e.Get("noj_oldest_pending_age_seconds"), 0);
  EXPECT_EQ(e.Get("noj_runners", R"(state="registered")"), 2);
  EXPECT_EQ(e.Get("noj_runners", R"(state="alive")"), 2);
  EXPECT_EQ(e.Get("noj_store_up"), 1);
  EXPECT_EQ(e.Get("noj_http_requests_total", R"(method="POST",route="/submissions",status="201")"),
            4);
  EXPECT_EQ(e.Get("noj_http_requests_total",
                  R"(method="PUT",route="/runners/{rn}/jobs/{jb}/complete",status="409")"),
            1);
  EXPECT_EQ(e.Get("noj_http_request_duration_seconds_count",
                  R"(method="POST",route="/runners/register",status="201")"),
            2);
  EXPECT_EQ(e.types["noj_http_request_duration_seconds"], "histogram");
}

TEST_F(Metrics, QueueGaugesShowPendingAndItsAge) {
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  Submit(pid, 1, "int main(){}", 0);
  Submit(pid, 1, "int main(){}", 2);
  Submit(pid, 1, "int main(){}", 2);
  SleepMs(1100);
  Exposition e = Scrape();
  EXPECT_EQ(e.Get("noj_jobs_pending", R"(priority="0")"), 1);
  EXPECT_EQ(e.Get("noj_jobs_pending", R"(priority="1")"), 0);
  EXPECT_EQ(e.Get("noj_jobs_pending", R"(priority="2")"), 2);
  EXPECT_GE(*e.Get("noj_oldest_pending_age_seconds"), 1.0);
}

TEST_F(Metrics, UnknownPathsShareOneRouteLabel) {
  for (int i = 0; i < 3; ++i) http_->Get("/no/such/path/" + std::to_string(i));
  Exposition e = Scrape();
  EXPECT_EQ(e.Get("noj_http_requests_total", R"x(method="GET",route="(unmatched)",status="404")x"),
            3);
}

class MetricsWithToken : public NojdTest {
 protected:
  std::vector<std::string> Flags() const override { return {"--metrics-token", "scrape-secret"}; }
};

TEST_F(MetricsWithToken, TokenIsRequiredAndTheApiTokenAlsoWorks) {
  ExpectErrorEnvelope(http_->Get("/metrics"), 401);
  ExpectErrorEnvelope(http_->Get("/metrics", {"Authorization: Bearer wrong"}), 401);
  EXPECT_EQ(http_->Get("/metrics", {"Authorization: Bearer scrape-secret"}).status, 200);
  EXPECT_EQ(http_->Get("/metrics", {ApiAuth()}).status, 200);
}

// --log-format json: every line is one JSON object; dispatch events carry their ids; no token.
TEST(LogFormat, JsonLinesCarryDispatchIds) {
  char tmpl[] = "/tmp/noj-it-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  std::string log;
  std::string token;
  {
    NojdProcess nojd(dir, {"--log-format", "json"});
    nojd.set_log_level("info");
    std::string err;
    ASSERT_TRUE(nojd.Start(&err)) << err;
    HttpClient http(nojd.base_url());
    std::string api = "Authorization: Bearer " + nojd.api_token();
    auto reg = http.Send("POST", "/runners/register",
                         R"({"registration_token":")" + nojd.registration_token() + R"("})");
    ASSERT_EQ(reg.status, 201);
    bj::object ro = bj::parse(reg.body).as_object();
    std::string rn(ro.at("runner_id").as_string());
    token = std::string(ro.at("token").as_string());
    auto p = http.Send(
        "POST", "/problems",
        R"({"title":"t","tasks":[{"taskScore":100,"caseCount":1,"memoryLimit":65536,"timeLimit":1000}]})",
        {api});
    ASSERT_EQ(p.status, 201);
    (void)http.Get("/runners/" + rn + "/next-job", {"Authorization: Bearer " + token});
    nojd.Stop();
    log = nojd.Log();
  }
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.find(token), std::string::npos) << "a runner token reached the log";
  std::istringstream lines(log);
  std::string line;
  int events = 0;
  bool registered = false;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    boost::system::error_code ec;
    bj::value v = bj::parse(line, ec);
    ASSERT_FALSE(ec) << "not JSON: " << line;
    ASSERT_TRUE(v.is_object()) << line;
    const bj::object& o = v.as_object();
    EXPECT_TRUE(o.contains("ts") && o.contains("level")) << line;
    if (o.contains("event")) ++events;
    if (o.contains("event") && o.at("event") == "runner_registered") {
      registered = true;
      EXPECT_TRUE(o.contains("runner")) << line;
    }
  }
  EXPECT_GE(events, 3);  // config, runner_registered, shutdown, stopped
  EXPECT_TRUE(registered);
}

}  // namespace
}  // namespace noj::testing

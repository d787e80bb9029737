#include "chaos/hostile_prelude.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <map>
#include <thread>

#include "chaos/raw_runner.h"

namespace noj::chaos {

namespace bj = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

int64_t Ms(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace

void RunHostilePrelude(const ChaosCluster& cluster, Workload& workload) {
  const int ttl_ms = cluster.options().lease_ttl_s * 1000;
  testing::HttpClient api(cluster.base_url());
  // Four targets, claimed in FIFO order by the four actors.
  std::vector<std::pair<std::string, api::Verdict>> roles = {{"never-report", api::Verdict::kWA},
                                                             {"zombie", api::Verdict::kTLE},
                                                             {"double-report", api::Verdict::kAC},
                                                             {"skewed-clock", api::Verdict::kRE}};
  std::map<std::string, std::string> sid_of;
  for (const auto& [role, verdict] : roles) {
    int idx = workload.AddExtra(verdict, 0);
    const auto& spec = workload.specs[static_cast<size_t>(idx)];
    auto r = api.Send("POST", "/submissions",
                      bj::serialize(bj::object{{"problem_id", workload.problems[0].id},
                                               {"language", spec.language},
                                               {"code", spec.code}}),
                      {cluster.api_auth()});
    ASSERT_EQ(r.status, 201) << r.body;
    std::string sid(ParseObject(r.body)->at("submission_id").as_string());
    workload.Record(idx, sid);
    sid_of[role] = sid;
  }
  std::map<std::string, std::unique_ptr<RawRunner>> actor;
  for (const auto& [role, verdict] : roles) {
    actor[role] = std::make_unique<RawRunner>(cluster.base_url(), cluster.registration_token(),
                                              "hostile-" + role);
    ASSERT_TRUE(actor[role]->Register()) << role;
  }
  RawRunner prober(cluster.base_url(), cluster.registration_token(), "hostile-prober");
  ASSERT_TRUE(prober.Register());

  std::map<std::string, api::JobPayload> job;
  std::map<std::string, std::string> source;
  std::map<std::string, Clock::time_point> claim_sent;
  for (const auto& [role, verdict] : roles) {
    claim_sent[role] = Clock::now();
    auto j = actor[role]->Claim(0);
    ASSERT_TRUE(j.has_value()) << role << " got no job";
    ASSERT_EQ(j->submission_id, sid_of[role]) << "claims are FIFO";
    ASSERT_EQ(j->attempt, 1);
    job[role] = *j;
    auto src = actor[role]->FetchSource(*j);
    ASSERT_TRUE(src.has_value()) << role << ": code_url";
    source[role] = *src;
  }

  // Double report: the first lands, the second (same body) and a third (other verdict) do not.
  {
    auto& d = *actor["double-report"];
    const auto& j = job["double-report"];
    std::string body = *CorrectBody(j, source["double-report"], "hostile-double");
    EXPECT_EQ(d.Complete(j.job_id, j.attempt, body), 204);
    int second = d.Complete(j.job_id, j.attempt, body);
    EXPECT_TRUE(second == 404 || second == 409) << "second report answered " << second;
    int third = d.Complete(j.job_id, -1, WrongBody(j, source["double-report"], "hostile-double"));
    EXPECT_TRUE(third == 404 || third == 409) << "third report answered " << third;
  }

  // Skewed clock: heartbeats a day ahead keep the lease alive for 2 TTLs (the server does not
  // believe the runner's time), and the result then lands.
  std::jthread skewed([&](std::stop_token) {
    auto& s = *actor["skewed-clock"];
    auto until = Clock::now() + std::chrono::milliseconds(2 * ttl_ms);
    int64_t skewed_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::system_clock::now().time_since_epoch() + std::chrono::hours(24))
            .count();
    while (Clock::now() < until) {
      std::string fields = "\"now\":" + std::to_string(skewed_ms) +
                           ",\"sent_at\":" + std::to_string(skewed_ms) +
                           ",\"lease_until\":" + std::to_string(skewed_ms + 1000) +
                           ",\"timestamp\":\"2099-01-01T00:00:00Z\"";
      EXPECT_EQ(s.Heartbeat({job["skewed-clock"].job_id},
                            {SkewedDateHeader(std::chrono::hours(24))}, fields),
                204);
      std::this_thread::sleep_for(400ms);
    }
  });

  // The prober takes what the server hands out: the never-report and zombie jobs, each only once
  // its lease has expired by the server's clock — never the skewed runner's job.
  std::map<std::string, api::JobPayload> reclaimed;
  auto deadline = Clock::now() + std::chrono::milliseconds(ttl_ms + 6000);
  while (reclaimed.size() < 2 && Clock::now() < deadline) {
    auto j = prober.Claim(0);
    auto got = Clock::now();
    if (!j) {
      std::this_thread::sleep_for(50ms);
      continue;
    }
    std::string role;
    for (const auto& [r, sid] : sid_of)
      if (sid == j->submission_id) role = r;
    ASSERT_TRUE(role == "never-report" || role == "zombie") << "prober got " << role;
    EXPECT_EQ(j->attempt, 2);
    int64_t after = Ms(got - claim_sent[role]);
    EXPECT_GE(after, ttl_ms - 10) << role << " reclaimed before the server's lease TTL";
    EXPECT_LE(after, ttl_ms + 5000) << role << " reclaimed long after the lease TTL";
    std::printf("chaos prelude: %s job reclaimed %lld ms after its claim (lease TTL %d ms)\n",
                role.c_str(), static_cast<long long>(after), ttl_ms);
    reclaimed[role] = *j;
  }
  ASSERT_EQ(reclaimed.size(), 2u) << "the expired leases were not reclaimed";

  // Zombie: its lease was reclaimed; both with its old attempt and without the header it is 409,
  // and once the prober's result landed, 404. It never lands.
  {
    auto& z = *actor["zombie"];
    const auto& old = job["zombie"];
    std::string wrong = WrongBody(old, source["zombie"], "hostile-zombie");
    EXPECT_EQ(z.Complete(old.job_id, old.attempt, wrong), 409);
    EXPECT_EQ(z.Complete(old.job_id, -1, wrong), 409);
    EXPECT_EQ(z.Heartbeat({old.job_id}, {}), 204);  // ignored: not its lease any more
    const auto& now = reclaimed["zombie"];
    EXPECT_EQ(prober.Complete(now.job_id, now.attempt,
                              *CorrectBody(now, source["zombie"], "hostile-prober")),
              204);
    int late = z.Complete(old.job_id, old.attempt, wrong);
    EXPECT_TRUE(late == 404 || late == 409) << late;
  }
  {
    const auto& now = reclaimed["never-report"];
    EXPECT_EQ(prober.Complete(now.job_id, now.attempt,
                              *CorrectBody(now, source["never-report"], "hostile-prober")),
              204);
  }
  skewed.join();
  {
    auto& s = *actor["skewed-clock"];
    const auto& j = job["skewed-clock"];
    auto v = ViewSubmission(api, cluster.api_auth(), sid_of["skewed-clock"]);
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->attempts, 1) << "the skewed runner's lease was taken while it heartbeat";
    EXPECT_EQ(v->runner_id, s.id());
    EXPECT_EQ(
        s.Complete(j.job_id, j.attempt, *CorrectBody(j, source["skewed-clock"], "hostile-skewed"),
                   {SkewedDateHeader(std::chrono::hours(24))}),
        204);
  }
}

}  // namespace noj::chaos

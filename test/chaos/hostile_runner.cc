#include "chaos/hostile_runner.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <ctime>
#include <thread>

#include "api/codec.h"
#include "common/zip_archive.h"
#include "runner/fake_judge.h"

namespace noj::chaos {

namespace bj = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// The fake judge's delays are skipped: the hostile runners only want its results.
class NoSleep final : public runner::Sleeper {
 public:
  bool SleepFor(std::chrono::milliseconds, std::stop_token stop) override {
    return !stop.stop_requested();
  }
};

std::optional<bj::object> ParseObject(const std::string& body) {
  boost::system::error_code ec;
  bj::value v = bj::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return v.as_object();
}

std::optional<std::string> BodyFor(const api::JobPayload& job, const std::string& source,
                                   const std::string& label) {
  if (runner::PlanFor(source).action != runner::FakeAction::kVerdict) return std::nullopt;
  NoSleep no_sleep;
  runner::FakeJudge judge(no_sleep, label);
  runner::JudgeInput in;
  in.language = job.language;
  in.tasks = job.tasks;
  in.source = source;
  auto cases = judge.Judge(in, {});
  if (!cases.ok()) return std::nullopt;
  return bj::serialize(api::ReportedCasesToJson(*cases));
}

// A submission's attempts and holder, through the client API; nullopt if nojd did not answer.
struct JobView {
  int status = -1;
  int attempts = 0;
  std::string runner_id;
};
std::optional<JobView> ViewSubmission(testing::HttpClient& http, const std::string& auth,
                                      const std::string& sid) {
  auto r = http.Send("GET", "/submissions/" + sid, "", {auth}, 5000);
  if (r.status != 200) return std::nullopt;
  auto o = ParseObject(r.body);
  if (!o) return std::nullopt;
  JobView v;
  v.status = static_cast<int>(o->at("status").to_number<int64_t>());
  v.attempts = static_cast<int>(o->at("attempts").to_number<int64_t>());
  if (o->at("runner_id").is_string()) v.runner_id = std::string(o->at("runner_id").as_string());
  return v;
}

int64_t Ms(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace

RawRunner::RawRunner(std::string base_url, std::string registration_token, std::string name)
    : base_url_(std::move(base_url)),
      registration_token_(std::move(registration_token)),
      name_(std::move(name)),
      http_(base_url_) {}

bool RawRunner::Register() {
  auto r = http_.Send(
      "POST", "/runners/register",
      bj::serialize(bj::object{{"registration_token", registration_token_}, {"name", name_}}), {},
      5000);
  if (r.status != 201) return false;
  auto o = ParseObject(r.body);
  if (!o) return false;
  id_ = std::string(o->at("runner_id").as_string());
  token_ = std::string(o->at("token").as_string());
  return true;
}

std::optional<api::JobPayload> RawRunner::Claim(int wait_s, int* status) {
  auto r = http_.Send("GET", "/runners/" + id_ + "/next-job?wait=" + std::to_string(wait_s), "",
                      {"Authorization: Bearer " + token_}, (wait_s + 10) * 1000L);
  if (status != nullptr) *status = r.status;
  if (r.status != 200) return std::nullopt;
  auto o = ParseObject(r.body);
  if (!o) return std::nullopt;
  auto job = api::JobPayloadFromJson(*o);
  if (!job.ok()) return std::nullopt;
  return *job;
}

int RawRunner::Heartbeat(const std::vector<std::string>& job_ids,
                         const std::vector<std::string>& headers, const std::string& extra_fields) {
  bj::array ids;
  for (const auto& j : job_ids) ids.push_back(bj::value(j));
  std::string body = bj::serialize(bj::object{{"active_job_ids", ids}});
  if (!extra_fields.empty()) body = body.substr(0, body.size() - 1) + "," + extra_fields + "}";
  std::vector<std::string> h = headers;
  h.push_back("Authorization: Bearer " + token_);
  return http_.Send("POST", "/runners/" + id_ + "/heartbeat", body, h, 5000).status;
}

int RawRunner::Complete(const std::string& job_id, int attempt, const std::string& body,
                        const std::vector<std::string>& headers) {
  std::vector<std::string> h = headers;
  h.push_back("Authorization: Bearer " + token_);
  if (attempt >= 0) h.push_back("X-Job-Attempt: " + std::to_string(attempt));
  return http_.Send("PUT", "/runners/" + id_ + "/jobs/" + job_id + "/complete", body, h, 10000)
      .status;
}

int RawRunner::CompleteDefinitely(const std::string& job_id, int attempt, const std::string& body,
                                  std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  int status = 0;
  do {
    status = Complete(job_id, attempt, body);
    if (status != 0 && status < 500) return status;
    std::this_thread::sleep_for(200ms);
  } while (Clock::now() < deadline);
  return status;
}

std::optional<std::string> RawRunner::FetchSource(const api::JobPayload& job) {
  testing::HttpClient plain("");  // code_url is absolute and needs no auth header
  for (int i = 0; i < 50; ++i) {
    auto r = plain.Send("GET", job.code_url, "", {}, 5000);
    if (r.status == 200) {
      auto entries = zip::ReadAll(r.body);
      if (!entries.ok() || entries->size() != 1) return std::nullopt;
      return (*entries)[0].data;
    }
    if (r.status != 0 && r.status < 500) return std::nullopt;
    std::this_thread::sleep_for(200ms);
  }
  return std::nullopt;
}

std::optional<std::string> CorrectBody(const api::JobPayload& job, const std::string& source,
                                       const std::string& label) {
  return BodyFor(job, source, label);
}

std::string WrongBody(const api::JobPayload& job, const std::string& source,
                      const std::string& label) {
  auto plan = runner::PlanFor(source);
  bool was_ac = plan.action == runner::FakeAction::kVerdict && plan.verdict == api::Verdict::kAC;
  // The first marker decides, so the other verdict goes in front of the source.
  std::string fake = std::string("// FAKE:") + (was_ac ? "OLE" : "AC") + "\n" + source;
  return BodyFor(job, fake, label).value_or("{}");
}

std::string SkewedDateHeader(std::chrono::seconds offset) {
  std::time_t t = std::time(nullptr) + static_cast<std::time_t>(offset.count());
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "Date: %a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

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

void Rogue::Run(std::stop_token stop) {
  auto fresh = [this] {
    return std::make_unique<RawRunner>(cluster_.base_url(), cluster_.registration_token(),
                                       "chaos-rogue");
  };
  auto r = fresh();
  int turn = 0;
  while (!stop.stop_requested()) {
    std::this_thread::sleep_for(period_);
    if (r->id().empty() && !r->Register()) continue;
    int status = 0;
    auto job = r->Claim(1, &status);
    if (status == 401) {  // cannot happen (identities persist), but re-register rather than spin
      r = fresh();
      continue;
    }
    if (!job) continue;
    {
      std::lock_guard lock(mu_);
      ++stats_.claims;
    }
    if (misbehaved_on_.insert(job->submission_id).second) {
      Misbehave(*r, *job, turn++, stop);
      continue;
    }
    auto source = r->FetchSource(*job);
    auto body = source ? CorrectBody(*job, *source, "chaos-rogue") : std::nullopt;
    if (!body) continue;  // FAIL / CRASH code (forced JE anyway), or no code: drop it
    int landed = r->CompleteDefinitely(job->job_id, job->attempt, *body, 20s);
    std::lock_guard lock(mu_);
    ++stats_.polite;
    if (landed == 204) ++landed_[job->submission_id];
  }
}

void Rogue::Misbehave(RawRunner& r, const api::JobPayload& job, int turn, std::stop_token stop) {
  auto source = r.FetchSource(job);
  std::optional<std::string> body;
  if (source) body = CorrectBody(job, *source, "chaos-rogue");
  int kind = body ? turn % 4 : 0;  // FAIL / CRASH code, or no code: just drop it
  testing::HttpClient api(cluster_.base_url());
  auto note = [this](auto&& f) {
    std::lock_guard lock(mu_);
    f();
  };
  if (kind == 0) {  // never report, never heartbeat
    note([&] { ++stats_.dropped; });
    return;
  }
  if (kind == 1 || kind == 3) {  // double report (kind 3: with skewed heartbeats first)
    if (kind == 3) {
      note([&] { ++stats_.skewed; });
      for (int i = 0; i < 3 && !stop.stop_requested(); ++i) {
        r.Heartbeat({job.job_id}, {SkewedDateHeader(-std::chrono::hours(30))},
                    "\"now\":1000,\"sent_at\":1000");
        std::this_thread::sleep_for(500ms);
      }
    }
    int first = r.CompleteDefinitely(job.job_id, job.attempt, *body, 20s);
    int second = r.CompleteDefinitely(job.job_id, job.attempt, *body, 20s);
    note([&] {
      ++stats_.doubles;
      if (first == 204) ++landed_[job.submission_id];
      if (second == 204) {
        ++landed_[job.submission_id];
        ++stats_.second_reports_landed;
      } else if (second == 404 || second == 409) {
        ++stats_.second_reports_refused;
      }
    });
    return;
  }
  // Zombie: wait (not heartbeating) until the job was reclaimed or has landed, then report a
  // wrong result with the old attempt.
  note([&] { ++stats_.zombies; });
  // Until then the lease is still its own (expired but not reclaimed): a report would rightly land.
  auto until = std::chrono::steady_clock::now() + 60s;
  bool taken = false;
  while (!taken && !stop.stop_requested() && std::chrono::steady_clock::now() < until) {
    auto v = ViewSubmission(api, cluster_.api_auth(), job.submission_id);
    taken = v && (v->status >= 0 || v->attempts > job.attempt || v->runner_id != r.id());
    if (!taken) std::this_thread::sleep_for(250ms);
  }
  if (!taken) return;
  int status = r.CompleteDefinitely(job.job_id, job.attempt,
                                    WrongBody(job, *source, "chaos-rogue-zombie"), 20s);
  note([&] {
    if (status == 204) {
      ++stats_.zombie_reports_landed;
      ++landed_[job.submission_id];
    } else if (status == 404 || status == 409) {
      ++stats_.zombie_reports_refused;
    }
  });
}

Rogue::Stats Rogue::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

std::map<std::string, int> Rogue::Landed() const {
  std::lock_guard lock(mu_);
  return landed_;
}

}  // namespace noj::chaos

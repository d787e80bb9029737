// The chaos run (issue 6): for each store, a real nojd and real noj-runners (--fake-judge) judge a
// load of submissions while nojd, the runners and Redis are SIGKILLed and restarted and hostile
// runners misbehave; then every submission must have exactly one final result, the right one, and
// the queue must be empty. SQLite: after each SIGKILL of nojd (and one more mid-drain), every 2xx
// answered before it must be in the store (chaos/durability.h). Size: NOJ_CHAOS_SCALE (default 1:
// the CI run; 10 for a long run).

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "api/codec.h"
#include "chaos/callbacks_check.h"
#include "chaos/chaos_cluster.h"
#include "chaos/durability.h"
#include "chaos/hostile_prelude.h"
#include "chaos/rogue.h"
#include "chaos/verify.h"
#include "chaos/workload.h"
#include "integration/http_client.h"
#include "runner/runner_process.h"

namespace noj::chaos {
namespace {

namespace bj = boost::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

int Scale() {
  const char* s = std::getenv("NOJ_CHAOS_SCALE");
  int n = s != nullptr ? std::atoi(s) : 1;
  return n < 1 ? 1 : (n > 100 ? 100 : n);
}

void CreateProblems(const ChaosCluster& cluster, Workload& w) {
  testing::HttpClient http(cluster.base_url());
  for (auto& p : w.problems) {
    bj::array tasks;
    for (const auto& t : p.tasks) tasks.push_back(api::TaskSpecToMetaJson(t));
    auto r = http.Send("POST", "/problems",
                       bj::serialize(bj::object{{"title", "chaos"}, {"tasks", tasks}}),
                       {cluster.api_auth()});
    ASSERT_EQ(r.status, 201) << r.body;
    p.id = bj::parse(r.body).as_object().at("problem_id").to_number<int64_t>();
    auto up =
        http.Send("PUT", "/problems/" + std::to_string(p.id) + "/testdata", TestdataZip(p.tasks),
                  {cluster.api_auth(), "Content-Type: application/zip"});
    ASSERT_EQ(up.status, 200) << up.body;
  }
}

// Submits every spec (from `first` on) spread over `spread`, retrying while nojd is down. A POST
// that got no answer may still have created the submission: noted, and found again at the end.
void Submit(const ChaosCluster& cluster, Workload& w, int first, std::chrono::milliseconds spread,
            std::stop_token stop) {
  testing::HttpClient http(cluster.base_url());
  int n = static_cast<int>(w.specs.size()) - first;
  auto gap = spread / std::max(1, n);
  for (int i = first; i < static_cast<int>(w.specs.size()) && !stop.stop_requested(); ++i) {
    const SubmissionSpec& s = w.specs[static_cast<size_t>(i)];
    std::string body =
        bj::serialize(bj::object{{"problem_id", w.problems[static_cast<size_t>(s.problem)].id},
                                 {"language", s.language},
                                 {"code", s.code},
                                 {"priority", static_cast<int>(i % 3)}});
    while (!stop.stop_requested()) {
      auto r = http.Send("POST", "/submissions", body, {cluster.api_auth()}, 10000);
      if (r.status == 201) {
        w.Record(i, std::string(bj::parse(r.body).as_object().at("submission_id").as_string()));
        break;
      }
      if (r.status == 0 || r.status >= 500)
        w.NoteUncertainPost(i);  // it may have been stored
      else
        ADD_FAILURE() << "POST /submissions answered " << r.status << ": " << r.body;
      if (r.status != 0 && r.status < 500) break;
      std::this_thread::sleep_for(100ms);
    }
    std::this_thread::sleep_for(gap);
  }
}

// The jobs runner log `log` shows claimed and not yet finished (a kill now is a kill mid-job).
// Every end of a job (landed, dropped, given back, failed, cancelled) logs event=job_finished.
std::set<std::string> InFlightJobs(const std::string& log) {
  std::set<std::string> jobs;
  std::istringstream in(log);
  std::string line;
  auto job_of = [&line] {
    size_t at = line.find(" job=");
    if (at == std::string::npos) return std::string();
    at += 5;
    return line.substr(at, line.find(' ', at) - at);
  };
  while (std::getline(in, line)) {
    if (line.find("event=job_claimed ") != std::string::npos) jobs.insert(job_of());
    if (line.find("event=job_finished ") != std::string::npos) jobs.erase(job_of());
  }
  return jobs;
}

// Picks the runner to kill: one in the middle of a job if possible, but never one holding a job
// the harness has already killed kMaxKillsPerJob runners under. Jobs do not choose how long they
// run: without the cap, the longest job of a nearly empty queue is the one in flight at most
// kills, and the harness would exhaust its attempts (JE) itself — only FAIL/CRASH code may end JE.
constexpr int kMaxKillsPerJob = 2;
std::optional<int> PickVictim(const ChaosCluster& cluster, std::mt19937& rng,
                              std::map<std::string, int>& kills_per_job, bool* mid) {
  const int n = cluster.options().runners;
  const int first = static_cast<int>(rng() % static_cast<unsigned>(n));
  std::optional<int> idle, busy;
  std::set<std::string> busy_jobs;
  for (int k = 0; k < n && !busy; ++k) {
    int i = (first + k) % n;
    std::set<std::string> jobs = InFlightJobs(cluster.CurrentRunnerLog(i));
    bool spared = false;
    for (const auto& j : jobs) spared = spared || kills_per_job[j] >= kMaxKillsPerJob;
    if (spared) continue;
    if (jobs.empty()) {
      if (!idle) idle = i;
    } else {
      busy = i;
      busy_jobs = std::move(jobs);
    }
  }
  *mid = busy.has_value();
  for (const auto& j : busy_jobs) ++kills_per_job[j];
  return busy ? busy : idle;
}

void RunChaos(bool redis) {
  // --fake-judge compiles nothing, but noj-runner resolves its compilers at start all the same.
  if (std::string why = runner::testing::MissingRunnerCompilers(); !why.empty())
    GTEST_SKIP() << why;
  const int scale = Scale();
  auto started = Clock::now();
  Figures f;
  f.store = redis ? "redis" : "sqlite";
  ClusterOptions options;
  options.redis = redis;
  ChaosCluster cluster(options);
  std::string err;
  ASSERT_TRUE(cluster.Start(&err)) << err;

  const int count = 300 * scale;
  Workload w(count, /*crashes=*/scale, /*seed=*/redis ? 2 : 1);
  ASSERT_NO_FATAL_FAILURE(CreateProblems(cluster, w));
  ASSERT_NO_FATAL_FAILURE(RunHostilePrelude(cluster, w));

  cluster.StartRunners();
  std::jthread submitter([&](std::stop_token st) { Submit(cluster, w, 0, 45s * scale, st); });
  Rogue rogue(cluster, 1500ms);
  std::jthread rogue_thread([&](std::stop_token st) { rogue.Run(st); });

  // The faults, one at a time, about one a second: a third nojd, the rest runners; Redis too.
  std::mt19937 rng(redis ? 22 : 11);
  const int target_nojd_kills = 20 * scale;
  int tick = 0;
  std::map<std::string, int> kills_per_job;
  auto give_up = Clock::now() + std::chrono::seconds(240 * scale);
  while ((f.kills_nojd < target_nojd_kills || w.Known().size() < static_cast<size_t>(count)) &&
         Clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(600 + rng() % 800));
    f.crash_restarts += cluster.RestartExitedRunners();
    ++tick;
    if (redis && tick % 8 == 4) {
      ASSERT_TRUE(cluster.KillAndRestartRedis(static_cast<int>(rng() % 1000), &err)) << err;
      ++f.kills_redis;
    } else if (tick % 3 == 0) {
      // SQLite: every 2xx answered before the kill must be there after it (group commit answers
      // only once the COMMIT holding the transition returned). Redis's own kills, with AOF
      // everysec, make no such promise.
      std::optional<Acks> acks;
      if (!redis) acks = SeenAcks(cluster, w, rogue.Landed());
      ASSERT_TRUE(cluster.KillAndRestartNojd(&err)) << err;
      ++f.kills_nojd;
      if (acks) CheckAcksDurable(cluster, w, *acks, f);
    } else {
      bool mid = false;
      std::optional<int> victim = PickVictim(cluster, rng, kills_per_job, &mid);
      if (!victim) continue;  // every runner holds a job that has had its share of kills
      cluster.KillAndRestartRunner(*victim);
      ++f.kills_runner;
      f.kills_runner_mid_job += mid;
    }
  }
  submitter.request_stop();
  submitter.join();
  rogue_thread.request_stop();
  rogue_thread.join();
  ASSERT_GE(f.kills_nojd, target_nojd_kills) << "the fault phase timed out";
  if (!redis) {
    // One more SIGKILL of nojd while the runners drain a burst submitted at once (enqueues and
    // completions arriving together: group commit batches), then every 2xx seen so far is looked
    // up after the restart.
    const int burst = w.AddBurst(40 * scale, /*seed=*/7);
    Submit(cluster, w, burst, 0ms, std::stop_token());
    testing::HttpClient http(cluster.base_url());
    if (auto q = GetObject(http, cluster.api_auth(), "/queue")) {
      auto count = [&](const char* key) {
        const auto* v = q->if_contains(key);
        return v != nullptr && v->is_number() ? v->to_number<int64_t>() : 0;
      };
      f.queued_at_drain_kill = count("pending_total") + count("leased");
    }
    Acks acks = SeenAcks(cluster, w, rogue.Landed());
    ASSERT_TRUE(cluster.KillAndRestartNojd(&err)) << err;
    ++f.kills_nojd;
    ++f.kills_mid_drain;
    CheckAcksDurable(cluster, w, acks, f);
  }

  bool quiet = WaitForQuiet(cluster, 120 * scale, f);
  EXPECT_TRUE(quiet) << "jobs still pending or leased";
  cluster.StopRunners();
  VerifyAll(cluster, w, rogue.Landed(), f);
  const CallbackFigures callbacks = VerifyCallbacks(cluster, w, 60 * scale, f);
  // And at the end, every 2xx of the whole run (both stores).
  CheckAcksDurable(cluster, w, SeenAcks(cluster, w, rogue.Landed()), f);
  f.wall_s = std::chrono::duration<double>(Clock::now() - started).count();

  Rogue::Stats rs = rogue.stats();
  std::printf("%s\n", f.SummaryLine().c_str());
  std::printf("%s\n", callbacks.SummaryLine(f.store).c_str());
  std::printf(
      "chaos details store=%s scale=%d twins=%d kills_runner_mid_job=%d crash_restarts=%d "
      "rogue_claims=%d dropped=%d doubles=%d zombies=%d skewed=%d polite=%d second_refused=%d "
      "zombie_refused=%d queue_empty=%d attempts=%s wall_s=%.1f\n",
      f.store.c_str(), scale, f.twins, f.kills_runner_mid_job, f.crash_restarts, rs.claims,
      rs.dropped, rs.doubles, rs.zombies, rs.skewed, rs.polite, rs.second_reports_refused,
      rs.zombie_reports_refused, f.queue_empty ? 1 : 0, f.AttemptsHistogram().c_str(), f.wall_s);
  std::printf(
      "chaos durability store=%s checks=%d acked_201=%d acked_204=%d lost_2xx=%d "
      "mid_drain_kills=%d queued_at_drain_kill=%lld\n",
      f.store.c_str(), f.ack_checks, f.acks_created, f.acks_completed, f.acks_lost,
      f.kills_mid_drain, static_cast<long long>(f.queued_at_drain_kill));
  for (const auto& h : f.histories) std::printf("chaos %s", h.c_str());
  std::fflush(stdout);
  std::string findings;
  for (const auto& p : f.problems) findings += "  " + p + "\n";
  EXPECT_EQ(f.lost, 0) << findings;
  EXPECT_EQ(f.acks_lost, 0) << findings;
  EXPECT_GT(f.ack_checks, 0);
  EXPECT_EQ(f.duplicates, 0) << findings;
  EXPECT_EQ(f.wrong, 0) << findings;
  EXPECT_EQ(callbacks.missing, 0) << findings;
  EXPECT_EQ(callbacks.extra, 0) << findings;
  EXPECT_EQ(callbacks.pending, 0) << findings;
  EXPECT_EQ(callbacks.dead, 0) << findings;
  EXPECT_TRUE(f.queue_empty) << findings;
  EXPECT_EQ(rs.second_reports_landed, 0);
  EXPECT_EQ(rs.zombie_reports_landed, 0);
  EXPECT_GE(f.submissions, count + 4);
  EXPECT_GE(f.je_forced, scale);  // at least the FAKE:CRASH ones
  EXPECT_GT(f.kills_runner, 0);
  if (redis) {
    EXPECT_GT(f.kills_redis, 0);
  }
  // For a post-mortem: NOJ_CHAOS_KEEP=<dir> keeps a failed run's data dir and logs there.
  if (const char* keep = std::getenv("NOJ_CHAOS_KEEP");
      keep != nullptr && ::testing::Test::HasFailure()) {
    std::error_code ec;
    std::filesystem::copy(cluster.dir(), std::string(keep) + "/" + f.store,
                          std::filesystem::copy_options::recursive, ec);
  }
}

TEST(Chaos, SqliteStore) { RunChaos(false); }
TEST(Chaos, RedisStore) {
  if (std::string why = testing::LocalRedis::MissingServer(); !why.empty()) GTEST_SKIP() << why;
  RunChaos(true);
}

// --fake-judge is refused (exit 2, a message) unless NOJ_RUNNER_ALLOW_FAKE_JUDGE=1.
TEST(ChaosFakeJudge, RefusedUnlessEnabled) {
  std::string saved = std::getenv("NOJ_RUNNER_ALLOW_FAKE_JUDGE") != nullptr
                          ? std::getenv("NOJ_RUNNER_ALLOW_FAKE_JUDGE")
                          : "";
  char tmpl[] = "/tmp/noj-chaos-refuse-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  std::vector<std::string> args = {RunnerBinary(),
                                   "--server",
                                   "http://127.0.0.1:9",
                                   "--registration-token",
                                   "t",
                                   "--work-dir",
                                   dir + "/w",
                                   "--cache-dir",
                                   dir + "/c",
                                   "--fake-judge"};
  for (const char* value : {"", "0", "true"}) {
    if (*value == '\0')
      ::unsetenv("NOJ_RUNNER_ALLOW_FAKE_JUDGE");
    else
      ::setenv("NOJ_RUNNER_ALLOW_FAKE_JUDGE", value, 1);
    runner::testing::RunnerProcess p(args, dir + "/log");
    EXPECT_EQ(p.Wait(20s), 2) << "with NOJ_RUNNER_ALLOW_FAKE_JUDGE='" << value << "'";
    EXPECT_NE(p.Log().find("NOJ_RUNNER_ALLOW_FAKE_JUDGE=1"), std::string::npos) << p.Log();
  }
  if (saved.empty())
    ::unsetenv("NOJ_RUNNER_ALLOW_FAKE_JUDGE");
  else
    ::setenv("NOJ_RUNNER_ALLOW_FAKE_JUDGE", saved.c_str(), 1);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace
}  // namespace noj::chaos

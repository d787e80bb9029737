// Phase 3 of bench_dispatch, claim cost vs leased jobs: next-job time on a store with none and
// on one with many jobs leased, sampled alternately.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

#include "bench_cluster.h"
#include "bench_report.h"
#include "bench_support.h"
#include "phases.h"

namespace noj::bench {

void PhaseClaimCost(const Options& opt, const std::string& root, Summary& summary) {
  Heading("3. Claim cost vs leased jobs: next-job request time, " +
          std::to_string(opt.claim_samples) + " samples each with 0 and with " +
          FmtInt(opt.leased_jobs) + " leased (lease TTL 3600 s), " + StoreName(opt));
  // Two stores side by side, "idle" (0 leased) and "loaded" (leased_jobs leased), sampled
  // alternately: whatever else the machine does (other processes, disk flushes) then weighs on
  // both measurements alike, instead of on whichever was taken first.
  Cluster idle(opt, root, "claim-idle", {"--lease-ttl", "3600"});
  Cluster loaded(opt, root, "claim-leased", {"--lease-ttl", "3600"});
  if (!idle.Start() || !loaded.Start()) return summary.Fail();
  int64_t idle_problem = idle.MakeProblem(), loaded_problem = loaded.MakeProblem();
  auto idle_runner = idle.RegisterRunners(1, "measure");
  auto loaded_runner = loaded.RegisterRunners(1, "measure");
  if (idle_problem < 0 || loaded_problem < 0 || idle_runner.empty() || loaded_runner.empty())
    return summary.Fail();
  auto deadline = Clock::now() + std::chrono::seconds(300);

  // Idle store: a warm-up of jobs through enqueue -> claim -> complete, so that it has seen about
  // as many transitions as the loaded one (a fresh SQLite WAL, for one, grows by appending until
  // its first checkpoint, and an appending fsync costs more than an overwriting one).
  int64_t warmed = 0;
  {
    EnqueueMany(idle, idle_problem, opt.warmup_jobs, opt.submitters, nullptr, deadline);
    auto churners = idle.RegisterRunners(4, "warmup");
    std::atomic<int64_t> n{0};
    std::vector<std::thread> ts;
    for (size_t i = 0; i < churners.size(); ++i)
      ts.emplace_back([&, i] {
        HttpClient h(idle.url(i));
        ClaimedJob job;
        while (Clock::now() < deadline && Claim(h, churners[i], 0, &job) == 200)
          if (Complete(h, churners[i], job) == 204) n.fetch_add(1);
      });
    for (auto& t : ts) t.join();
    warmed = n.load();
  }

  // Loaded store: enqueue leased_jobs, then claim every one with runners that never finish.
  EnqueueMany(loaded, loaded_problem, opt.leased_jobs, opt.submitters, nullptr, deadline);
  auto holders = loaded.RegisterRunners(4, "holder");
  std::atomic<int64_t> tickets{0};
  {
    std::vector<std::thread> ts;
    for (size_t i = 0; i < holders.size(); ++i)
      ts.emplace_back([&, i] {
        HttpClient h(loaded.url(i));
        ClaimedJob job;
        int empty = 0;
        while (tickets.fetch_add(1) < opt.leased_jobs && Clock::now() < deadline && empty < 50)
          if (Claim(h, holders[i], 0, &job) != 200) {
            ++empty;
            tickets.fetch_sub(1);
          }
      });
    for (auto& t : ts) t.join();
  }
  int64_t idle_pending = -1, idle_leased = -1, q_pending = -1, q_leased = -1;
  HttpClient idle_http(idle.url(0)), loaded_http(loaded.url(0));
  QueueStats(idle_http, idle.api_auth(), &idle_pending, &idle_leased);
  QueueStats(loaded_http, loaded.api_auth(), &q_pending, &q_leased);
  std::printf(
      "(idle store: %s warm-up jobs enqueued, claimed and completed first; loaded store: "
      "%s enqueued and claimed)\n\n",
      FmtInt(warmed).c_str(), FmtInt(opt.leased_jobs).c_str());

  // One sample: enqueue one job, time its claim (no wait), complete it, so the measuring runner
  // never keeps a lease.
  int64_t errors = 0;
  auto sample = [&](Cluster& c, HttpClient& http, const RunnerCreds& r, int64_t problem) {
    std::string sid;
    ClaimedJob job;
    if (Submit(http, c.api_auth(), problem, &sid) != 201) return -1.0;
    auto t0 = Clock::now();
    int st = Claim(http, r, 0, &job);
    double ms = MsSince(t0, Clock::now());
    if (st != 200 || Complete(http, r, job) != 204) return -1.0;
    return ms;
  };
  std::vector<double> before, after;
  for (int i = 0; i < opt.claim_samples + 20; ++i) {  // the first 20 rounds warm the connections
    for (int k = 0; k < 2; ++k) {
      bool idle_turn = (i + k) % 2 == 0;  // alternate which store goes first
      double ms = idle_turn ? sample(idle, idle_http, idle_runner[0], idle_problem)
                            : sample(loaded, loaded_http, loaded_runner[0], loaded_problem);
      if (ms < 0)
        ++errors;
      else if (i >= 20)
        (idle_turn ? before : after).push_back(ms);
    }
  }
  idle.Stop();
  loaded.Stop();

  Percentiles p0 = Summarize(before), p1 = Summarize(after);
  double ratio = p0.p50 > 0 ? p1.p50 / p0.p50 : 0;
  Table t(
      {"store", "leased (GET /queue)", "samples", "claim p50 ms", "claim p90 ms", "claim p99 ms"});
  t.Row({"idle", FmtInt(idle_leased), FmtInt(static_cast<int64_t>(p0.n)), Fmt(p0.p50, 3),
         Fmt(p0.p90, 3), Fmt(p0.p99, 3)});
  t.Row({"loaded", FmtInt(q_leased), FmtInt(static_cast<int64_t>(p1.n)), Fmt(p1.p50, 3),
         Fmt(p1.p90, 3), Fmt(p1.p99, 3)});
  t.Print();
  std::printf("\nratio p50(%s leased) / p50(0 leased) = %.2f (aim <= 1.5); errors %lld\n",
              FmtInt(q_leased).c_str(), ratio, static_cast<long long>(errors));
  summary.Add("claim p50, " + FmtInt(opt.leased_jobs) + " leased / 0 leased", ratio, 2, "x",
              "<= 1.5x", "3.6 s per claim at 10,000 leased",
              q_leased == opt.leased_jobs && idle_leased == 0 && p1.n > 0 && ratio <= 1.5);
}

}  // namespace noj::bench

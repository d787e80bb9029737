// Phase 1 of bench_dispatch, drain throughput: runners parked in next-job?wait=5 drain
// the jobs that submitters enqueue; jobs/s, nojd CPU per job and per-request latencies.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "bench_cluster.h"
#include "bench_report.h"
#include "bench_support.h"
#include "phases.h"

namespace noj::bench {

namespace {

struct WireFigures {
  double store_round_trips = -1;     // noj_store_round_trips_total, all nodes
  double store_commands = -1;        // noj_store_commands_total
  double notifier_round_trips = -1;  // noj_notifier_round_trips_total (pipelined PUBLISH batches)
  int64_t redis_commands = -1;       // Redis's own total_commands_processed
};

WireFigures ReadWire(Cluster& c) {
  WireFigures w;
  if (!c.redis()) return w;
  w.store_round_trips = c.MetricSum("noj_store_round_trips_total");
  w.store_commands = c.MetricSum("noj_store_commands_total");
  w.notifier_round_trips = c.MetricSum("noj_notifier_round_trips_total");
  w.redis_commands = c.RedisCommands();
  return w;
}

// Prints the Redis figures per job landed; returns round trips per job (store + notifier), or -1
// when nojd does not expose its store round trips.
double PrintWire(const Cluster& c, const WireFigures& a, const WireFigures& b, int64_t done) {
  if (!c.redis()) return -1;
  const double jobs = static_cast<double>(std::max<int64_t>(done, 1));
  auto per_job = [&](double x0, double x1) { return x0 < 0 || x1 < 0 ? -1 : (x1 - x0) / jobs; };
  const double store_rt = per_job(a.store_round_trips, b.store_round_trips);
  const double store_cmd = per_job(a.store_commands, b.store_commands);
  const double notify_rt = per_job(a.notifier_round_trips, b.notifier_round_trips);
  const double redis_cmd =
      per_job(static_cast<double>(a.redis_commands), static_cast<double>(b.redis_commands));
  auto cell = [](double v) { return v < 0 ? std::string("-") : Fmt(v, 2); };
  std::printf("\n");
  Table t({"Redis round trips/job (store)", "store commands/job", "notifier round trips/job",
           "Redis round trips/job", "commands Redis ran/job"});
  const double total = store_rt < 0 ? -1 : store_rt + std::max(notify_rt, 0.0);
  t.Row({cell(store_rt), cell(store_cmd), cell(notify_rt), cell(total), cell(redis_cmd)});
  t.Print();
  return total;
}

}  // namespace

void PhaseDrain(const Options& opt, const std::string& root, Summary& summary) {
  Heading("1. Drain throughput: " + FmtInt(opt.jobs) + " jobs, " + std::to_string(opt.runners) +
          " runners (next-job?wait=5 -> complete), " + std::to_string(opt.submitters) +
          " submitters, " + StoreName(opt));
  Cluster c(opt, root, "drain", {});
  if (!c.Start()) return summary.Fail();
  int64_t problem = c.MakeProblem();
  auto runners = c.RegisterRunners(opt.runners, "drain");
  if (problem < 0 || runners.empty()) return summary.Fail();

  const int64_t n = opt.jobs;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> landed{0}, errors{0}, empty_polls{0};
  std::atomic<int64_t> end_ns{0};
  std::mutex mu;
  std::vector<double> claim_ms, complete_ms, enqueue_ms;
  std::vector<std::thread> ts;
  for (size_t i = 0; i < runners.size(); ++i)
    ts.emplace_back([&, i] {
      HttpClient http(c.url(i));
      std::vector<double> cl, co;
      ClaimedJob job;
      while (!stop.load()) {
        auto t0 = Clock::now();
        int st = Claim(http, runners[i], 5, &job);
        auto t1 = Clock::now();
        if (st == 204) {
          empty_polls.fetch_add(1);
          continue;
        }
        if (st != 200) {
          if (!stop.load() && errors.fetch_add(1) < 5)
            std::fprintf(stderr, "bench: claim: HTTP %d\n", st);
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          continue;
        }
        cl.push_back(MsSince(t0, t1));
        st = Complete(http, runners[i], job);
        auto t2 = Clock::now();
        if (st != 204) {
          if (errors.fetch_add(1) < 5) std::fprintf(stderr, "bench: complete: HTTP %d\n", st);
          continue;
        }
        co.push_back(MsSince(t1, t2));
        if (landed.fetch_add(1) + 1 == n) end_ns.store(t2.time_since_epoch().count());
      }
      std::lock_guard lock(mu);
      claim_ms.insert(claim_ms.end(), cl.begin(), cl.end());
      complete_ms.insert(complete_ms.end(), co.begin(), co.end());
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // runners parked

  // Redis round trips: the store's and the notifier's as nojd counts them (/metrics, when it
  // exposes them), and the commands Redis itself processed.
  const WireFigures wire0 = ReadWire(c);
  double user0 = 0, user1 = 0;
  double cpu0 = c.ServerCpuMs(&user0), self0 = SelfCpuMs(), redis0 = c.RedisCpuMs();
  auto t_start = Clock::now();
  auto deadline = t_start + std::chrono::seconds(60 + n / 50);
  int64_t enqueued = EnqueueMany(c, problem, n, opt.submitters, &enqueue_ms, deadline);
  auto t_enqueued = Clock::now();
  while (landed.load() < enqueued && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  double cpu1 = c.ServerCpuMs(&user1), self1 = SelfCpuMs(), redis1 = c.RedisCpuMs();
  const WireFigures wire1 = ReadWire(c);
  int64_t done = landed.load();
  auto t_end = done == n ? Clock::time_point(Clock::duration(end_ns.load())) : Clock::now();
  stop = true;
  c.Stop();  // wakes the parked long-polls
  for (auto& t : ts) t.join();

  double wall_s = MsSince(t_start, t_end) / 1000.0;
  double jobs_s = static_cast<double>(done) / wall_s;
  double cpu_per_job = (cpu1 - cpu0) / static_cast<double>(std::max<int64_t>(done, 1));
  double user_per_job = (user1 - user0) / static_cast<double>(std::max<int64_t>(done, 1));
  double client_per_job = (self1 - self0) / static_cast<double>(std::max<int64_t>(done, 1));
  Table t({"jobs landed", "wall s", "enqueue-only s", "jobs/s", "nojd CPU ms/job",
           "bench CPU ms/job", "redis CPU ms/job", "errors"});
  t.Row({FmtInt(done) + (done == n ? "" : " of " + FmtInt(n) + " (TIMEOUT)"), Fmt(wall_s, 2),
         Fmt(MsSince(t_start, t_enqueued) / 1000.0, 2), Fmt(jobs_s, 0),
         Fmt(cpu_per_job, 3) + " (user " + Fmt(user_per_job, 3) + ", sys " +
             Fmt(cpu_per_job - user_per_job, 3) + ")",
         Fmt(client_per_job, 3),
         redis0 >= 0 ? Fmt((redis1 - redis0) / static_cast<double>(std::max<int64_t>(done, 1)), 3)
                     : "-",
         FmtInt(errors.load())});
  t.Print();
  std::printf("\n");
  PrintLatencies({{"enqueue (POST /submissions)", enqueue_ms},
                  {"claim (next-job -> 200, incl. long-poll wait)", claim_ms},
                  {"complete (PUT .../complete -> 204)", complete_ms}});
  std::printf("\n(%s empty long-polls (204) while draining)\n", FmtInt(empty_polls.load()).c_str());
  const double round_trips_per_job = PrintWire(c, wire0, wire1, done);

  std::string runners_s = std::to_string(opt.runners) + " runners";
  summary.Add("drain throughput (" + runners_s + ", " + FmtInt(n) + " jobs)", jobs_s, 0, " jobs/s",
              ">= 5,000 jobs/s", "511 jobs/s (8 runners)", done == n && jobs_s >= 5000);
  summary.Add("nojd CPU per job (enqueue+claim+complete)", cpu_per_job, 3, " ms", "<= 0.25 ms",
              "2.6 ms", done == n && cpu_per_job <= 0.25);
  if (round_trips_per_job >= 0) {
    summary.Add("Redis round trips per job (store + notifier)", round_trips_per_job, 2, "", "<= 3",
                "-", done == n && round_trips_per_job <= 3);
  }
}

}  // namespace noj::bench

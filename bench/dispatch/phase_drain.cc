// Phase 1 of bench_dispatch, drain throughput: runners parked in next-job?wait=5 drain
// the jobs that submitters enqueue (drain_run.h); jobs/s, nojd CPU per job and per-request
// latencies.

#include <algorithm>
#include <cstdio>
#include <string>

#include "bench_cluster.h"
#include "bench_report.h"
#include "bench_support.h"
#include "drain_run.h"
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
  // Redis round trips: the store's and the notifier's as nojd counts them (/metrics, when it
  // exposes them), and the commands Redis itself processed, read at the window's edges.
  WireFigures wire0, wire1;
  DrainHooks hooks;
  hooks.before = [&] { wire0 = ReadWire(c); };
  hooks.after = [&](const DrainResult&) { wire1 = ReadWire(c); };
  DrainResult r = RunDrain(c, problem, runners, n, opt.submitters, hooks);
  const int64_t done = r.done;
  const double wall_s = r.wall_s();
  const double jobs_s = r.jobs_per_s();
  const double cpu_per_job = r.PerJob(r.nojd_cpu_ms);
  const double user_per_job = r.PerJob(r.nojd_user_ms);
  Table t({"jobs landed", "wall s", "enqueue-only s", "jobs/s", "nojd CPU ms/job",
           "bench CPU ms/job", "redis CPU ms/job", "errors"});
  t.Row({FmtInt(done) + (done == n ? "" : " of " + FmtInt(n) + " (TIMEOUT)"), Fmt(wall_s, 2),
         Fmt(MsSince(r.start, r.enqueued) / 1000.0, 2), Fmt(jobs_s, 0),
         Fmt(cpu_per_job, 3) + " (user " + Fmt(user_per_job, 3) + ", sys " +
             Fmt(cpu_per_job - user_per_job, 3) + ")",
         Fmt(r.PerJob(r.bench_cpu_ms), 3),
         r.redis_cpu_ms >= 0 ? Fmt(r.PerJob(r.redis_cpu_ms), 3) : "-", FmtInt(r.errors)});
  t.Print();
  std::printf("\n");
  PrintLatencies({{"enqueue (POST /submissions)", r.enqueue_ms},
                  {"claim (next-job -> 200, incl. long-poll wait)", r.claim_ms},
                  {"complete (PUT .../complete -> 204)", r.complete_ms}});
  std::printf("\n(%s empty long-polls (204) while draining)\n", FmtInt(r.empty_polls).c_str());
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

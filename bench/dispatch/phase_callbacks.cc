// Phase 6 of bench_dispatch, result callbacks on vs off (issue 17, "Performance"): the drain of
// phase 1 (drain_run.h) on a fresh cluster per run, without and with `--callback-url` pointing at
// an in-process receiver that answers 204 at once (bench_receiver.h). Runs alternate off, on,
// off, on, so whatever else the machine does weighs on both alike. Per "on" run: the delivery
// latency of every job (receiver's arrival − the bench's 204 of its complete), and how long the
// outbox took to empty after the last job landed.

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench_cluster.h"
#include "bench_receiver.h"
#include "bench_report.h"
#include "bench_support.h"
#include "drain_run.h"
#include "phases.h"

namespace noj::bench {
namespace {

namespace bj = boost::json;

constexpr int kRounds = 2;  // of each mode; more only costs time, the order is what matters

// GET /callbacks's figures; -1 each when the call fails.
struct OutboxFigures {
  int64_t pending = -1, dead = -1, delivered_total = -1;
};

OutboxFigures ReadOutbox(Cluster& c) {
  OutboxFigures f;
  HttpClient http(c.url(0));
  HttpResult r = http.Get("/callbacks?limit=1", {c.api_auth()});
  if (r.status != 200) return f;
  boost::system::error_code ec;
  bj::value v = bj::parse(r.body, ec);
  if (ec || !v.is_object()) return f;
  auto num = [&](const char* k) -> int64_t {
    const bj::value* x = v.as_object().if_contains(k);
    return x && x->is_int64() ? x->as_int64()
                              : (x && x->is_uint64() ? static_cast<int64_t>(x->as_uint64()) : -1);
  };
  f.pending = num("pending");
  f.dead = num("dead");
  f.delivered_total = num("delivered_total");
  return f;
}

// One drain, callbacks off or on.
struct Run {
  std::string name;
  bool on = false;
  DrainResult drain;
  // "on" only:
  double nojd_cpu_to_delivered_ms = -1;  // from the first enqueue to the last delivery seen
  BenchReceiver::Tally tally;
  std::vector<double> latency_ms;    // per delivered job
  int64_t early = 0;                 // arrived before the bench read its complete's 204
  int64_t unknown = 0;               // ids that match no landed job
  std::vector<std::string> missing;  // landed jobs whose event never arrived
  double outbox_drain_ms = -1;       // last job landed -> last event arrived
  OutboxFigures outbox;
  // Leases handed back unsent because their target was at its in-flight cap (each one a store
  // write); -1 when nojd does not expose it.
  double postponed = -1;
  // nojd's store work over the run (whole jobs, deliveries included), from /metrics: SQLite
  // transitions and commits, Redis round trips.
  double store_transitions = -1, store_commits = -1, store_round_trips = -1;
};

struct StoreWork {
  double transitions, commits, round_trips;
};
StoreWork ReadStoreWork(const Cluster& c) {
  return {c.MetricSum("noj_store_transitions_total"), c.MetricSum("noj_store_commits_total"),
          c.MetricSum("noj_store_round_trips_total")};
}

std::optional<Run> RunOnce(const Options& opt, const std::string& root, const std::string& name,
                           bool on, int64_t n) {
  Run run;
  run.name = name;
  run.on = on;
  BenchReceiver receiver;
  std::vector<std::string> flags;
  if (on) {
    std::string err;
    if (!receiver.Start(&err)) {
      std::fprintf(stderr, "bench: %s\n", err.c_str());
      return std::nullopt;
    }
    flags = {"--callback-url", receiver.url()};
  }
  Cluster c(opt, root, name, flags);
  if (!c.Start()) return std::nullopt;
  int64_t problem = c.MakeProblem();
  auto runners = c.RegisterRunners(opt.runners, name);
  if (problem < 0 || runners.empty()) return std::nullopt;

  DrainHooks hooks;
  hooks.record_landings = on;
  double cpu_start = 0;
  StoreWork work_start{};
  hooks.before = [&] {
    cpu_start = c.ServerCpuMs();
    work_start = ReadStoreWork(c);
  };
  if (on) {
    // Wait (bounded) until every landed job's event arrived and nojd's outbox is empty, then take
    // nojd's CPU: the deliveries' cost is mostly spent after the landing.
    hooks.after = [&](const DrainResult& d) {
      const auto deadline = Clock::now() + std::chrono::seconds(30 + n / 200);
      while (Clock::now() < deadline && receiver.distinct() < d.done)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      run.nojd_cpu_to_delivered_ms = c.ServerCpuMs() - cpu_start;
      // delivered_total counts once nojd has recorded the 2xx, a moment after the receiver saw it.
      const auto settle = Clock::now() + std::chrono::seconds(5);
      do {
        run.outbox = ReadOutbox(c);
        if (run.outbox.pending == 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      } while (Clock::now() < settle);
      run.postponed = c.MetricSum("noj_callback_attempts_total{outcome=\"postponed\"}");
    };
  }
  // Read before RunDrain returns (it stops nojd): after the deliveries when on.
  StoreWork work_end{-1, -1, -1};
  hooks.after = [&, deliveries = std::move(hooks.after)](const DrainResult& d) {
    if (deliveries) deliveries(d);
    work_end = ReadStoreWork(c);
  };
  run.drain = RunDrain(c, problem, runners, n, opt.submitters, hooks);
  run.store_transitions = work_end.transitions - work_start.transitions;
  run.store_commits = work_end.commits - work_start.commits;
  run.store_round_trips = work_end.round_trips - work_start.round_trips;
  receiver.Stop();
  if (!on) return run;

  run.tally = receiver.Take();
  auto& arrivals = run.tally.first_arrival;
  Clock::time_point last_landing = run.drain.end;
  int64_t matched = 0;
  for (const auto& [job_id, landed_at] : run.drain.landings) {
    last_landing = std::max(last_landing, landed_at);
    auto it = arrivals.find("msg_" + job_id);
    if (it == arrivals.end()) {
      run.missing.push_back(job_id);
      continue;
    }
    ++matched;
    double ms = MsSince(landed_at, it->second);
    if (ms < 0) {
      ++run.early;
      ms = 0;
    }
    run.latency_ms.push_back(ms);
  }
  run.unknown = static_cast<int64_t>(arrivals.size()) - matched;
  if (!arrivals.empty() && run.tally.last_arrival != Clock::time_point{})
    run.outbox_drain_ms = std::max(0.0, MsSince(last_landing, run.tally.last_arrival));
  return run;
}

}  // namespace

void PhaseCallbacks(const Options& opt, const std::string& root, Summary& summary) {
  const int64_t n = opt.jobs;
  Heading("6. Result callbacks on vs off: " + FmtInt(n) + " jobs per run, " +
          std::to_string(opt.runners) + " runners, " + std::to_string(opt.submitters) +
          " submitters, " + std::to_string(kRounds) + " rounds of off then on, " + StoreName(opt));
  std::vector<Run> runs;
  for (int round = 1; round <= kRounds; ++round)
    for (bool on : {false, true}) {
      std::string name = std::string("callbacks-") + (on ? "on-" : "off-") + std::to_string(round);
      std::optional<Run> r = RunOnce(opt, root, name, on, n);
      if (!r) return summary.Fail();
      runs.push_back(std::move(*r));
    }

  Table t({"run", "jobs landed", "wall s", "jobs/s", "on/off (round)", "nojd CPU ms/job (drain)",
           "nojd CPU ms/job (to last delivery)", "bench CPU ms/job", "redis CPU ms/job",
           "store transitions / commits / round trips per job", "errors"});
  bool all_done = true;
  double off_jobs_s = 0, on_jobs_s = 0, off_cpu = 0, on_cpu = 0;
  std::vector<double> latencies;
  double last_off_jobs_s = 0;  // the round's "off", which runs just before its "on"
  for (const Run& r : runs) {
    const DrainResult& d = r.drain;
    all_done = all_done && d.done == n && (!r.on || r.missing.empty());
    (r.on ? on_jobs_s : off_jobs_s) += d.jobs_per_s() / kRounds;
    // CPU per job of the whole job: "off" is done at the landing, "on" when the event arrived.
    (r.on ? on_cpu : off_cpu) +=
        d.PerJob(r.on ? r.nojd_cpu_to_delivered_ms : d.nojd_cpu_ms) / kRounds;
    if (r.on) latencies.insert(latencies.end(), r.latency_ms.begin(), r.latency_ms.end());
    if (!r.on) last_off_jobs_s = d.jobs_per_s();
    t.Row({r.name, FmtInt(d.done) + (d.done == n ? "" : " of " + FmtInt(n) + " (TIMEOUT)"),
           Fmt(d.wall_s(), 2), Fmt(d.jobs_per_s(), 0),
           r.on && last_off_jobs_s > 0 ? Fmt(d.jobs_per_s() / last_off_jobs_s, 2) : "-",
           Fmt(d.PerJob(d.nojd_cpu_ms), 3),
           r.on ? Fmt(d.PerJob(r.nojd_cpu_to_delivered_ms), 3) : "-",
           Fmt(d.PerJob(d.bench_cpu_ms), 3),
           d.redis_cpu_ms >= 0 ? Fmt(d.PerJob(d.redis_cpu_ms), 3) : "-",
           Fmt(d.PerJob(r.store_transitions), 2) + " / " + Fmt(d.PerJob(r.store_commits), 2) +
               " / " + Fmt(d.PerJob(r.store_round_trips), 2),
           FmtInt(d.errors)});
  }
  t.Print();

  std::printf("\n");
  Table dl({"run", "events arrived (distinct)", "POSTs", "signed", "repeats", "missing",
            "postponed (target at cap)", "p50 ms", "p90 ms", "p99 ms", "max ms",
            "outbox drained ms after last landing",
            "GET /callbacks pending / dead / delivered_total"});
  for (const Run& r : runs) {
    if (!r.on) continue;
    Percentiles p = Summarize(r.latency_ms);
    auto fig = [](int64_t v) { return v < 0 ? std::string("?") : FmtInt(v); };
    dl.Row(
        {r.name,
         FmtInt(static_cast<int64_t>(r.tally.first_arrival.size())) + " of " + FmtInt(r.drain.done),
         FmtInt(r.tally.posts), FmtInt(r.tally.signed_posts), FmtInt(r.tally.duplicates),
         FmtInt(static_cast<int64_t>(r.missing.size())),
         r.postponed < 0 ? "-" : FmtInt(static_cast<int64_t>(r.postponed)), Fmt(p.p50, 1),
         Fmt(p.p90, 1), Fmt(p.p99, 1), Fmt(p.max, 1),
         r.outbox_drain_ms < 0 ? "-" : Fmt(r.outbox_drain_ms, 0),
         fig(r.outbox.pending) + " / " + fig(r.outbox.dead) + " / " +
             fig(r.outbox.delivered_total)});
  }
  dl.Print();
  std::printf(
      "\n(latency = receiver's arrival - the bench's 204 of the job's complete, same monotonic "
      "clock; an event that arrived before the bench read its 204 counts as 0)\n");
  for (const Run& r : runs) {
    if (!r.on) continue;
    if (r.early > 0 || r.unknown > 0 || r.tally.malformed > 0)
      std::printf("%s: %s arrived before the 204 was read, %s ids of no landed job, %s malformed\n",
                  r.name.c_str(), FmtInt(r.early).c_str(), FmtInt(r.unknown).c_str(),
                  FmtInt(r.tally.malformed).c_str());
    if (!r.missing.empty()) {
      std::printf("%s: MISSING %s event(s):", r.name.c_str(),
                  FmtInt(static_cast<int64_t>(r.missing.size())).c_str());
      for (size_t i = 0; i < r.missing.size() && i < 20; ++i)
        std::printf(" msg_%s", r.missing[i].c_str());
      std::printf("%s\n", r.missing.size() > 20 ? " …" : "");
    }
  }

  const double ratio = off_jobs_s > 0 ? on_jobs_s / off_jobs_s : 0;
  summary.Add("callbacks on/off drain throughput (" + Fmt(on_jobs_s, 0) + " / " +
                  Fmt(off_jobs_s, 0) + " jobs/s)",
              ratio, 2, "", ">= 0.85", "-", all_done && ratio >= 0.85);
  summary.Add("nojd CPU per job, callbacks on (to last delivery) / off",
              off_cpu > 0 ? on_cpu / off_cpu : 0, 2, "", "-", "-", std::nullopt);
  Percentiles lat = Summarize(latencies);
  summary.Add("callback delivery latency p50 (landing -> receiver)", lat.p50, 1, " ms", "-", "-",
              std::nullopt);
  summary.Add("callback delivery latency p99 (landing -> receiver)", lat.p99, 1, " ms", "-", "-",
              std::nullopt);
}

}  // namespace noj::bench

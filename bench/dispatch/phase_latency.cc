// Phase 2 of bench_dispatch, queue latency: jobs enqueued at a fixed rate into runners parked in
// next-job?wait=20; time from enqueue to the claim reaching its runner.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bench_cluster.h"
#include "bench_report.h"
#include "bench_support.h"
#include "phases.h"

namespace noj::bench {

void PhaseLatency(const Options& opt, const std::string& root, Summary& summary) {
  Heading("2. Queue latency: " + std::to_string(opt.runners) +
          " runners parked in next-job?wait=20, " + FmtInt(opt.latency_jobs) +
          " jobs enqueued at " + std::to_string(opt.latency_rate) + "/s, " + StoreName(opt));
  Cluster c(opt, root, "latency", {});
  if (!c.Start()) return summary.Fail();
  int64_t problem = c.MakeProblem();
  auto runners = c.RegisterRunners(opt.runners, "latency");
  if (problem < 0 || runners.empty()) return summary.Fail();

  const int64_t n = opt.latency_jobs;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> landed{0}, errors{0};
  std::mutex mu;
  std::unordered_map<std::string, Clock::time_point> claimed_at;
  std::vector<std::thread> ts;
  for (size_t i = 0; i < runners.size(); ++i)
    ts.emplace_back([&, i] {
      HttpClient http(c.url(i));
      std::vector<std::pair<std::string, Clock::time_point>> mine;
      ClaimedJob job;
      while (!stop.load()) {
        int st = Claim(http, runners[i], 20, &job);
        auto t = Clock::now();
        if (st == 204) continue;
        if (st != 200) {
          if (!stop.load() && errors.fetch_add(1) < 5)
            std::fprintf(stderr, "bench: claim: HTTP %d\n", st);
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
          continue;
        }
        mine.emplace_back(job.submission_id, t);
        if (Complete(http, runners[i], job) == 204)
          landed.fetch_add(1);
        else
          errors.fetch_add(1);
      }
      std::lock_guard lock(mu);
      for (auto& [sid, t] : mine) claimed_at[sid] = t;
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // every runner parked

  struct Enqueued {
    std::string sid;
    Clock::time_point sent, answered;
  };
  std::vector<Enqueued> enqueued;
  {
    HttpClient http(c.url(0));
    auto interval = std::chrono::nanoseconds(1'000'000'000LL / std::max(1, opt.latency_rate));
    auto t0 = Clock::now();
    std::string sid;
    for (int64_t k = 0; k < n; ++k) {
      std::this_thread::sleep_until(t0 + k * interval);
      auto sent = Clock::now();
      if (Submit(http, c.api_auth(), problem, &sid) == 201)
        enqueued.push_back({sid, sent, Clock::now()});
      else
        errors.fetch_add(1);
    }
  }
  auto deadline = Clock::now() + std::chrono::seconds(30);
  while (landed.load() < static_cast<int64_t>(enqueued.size()) && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  stop = true;
  c.Stop();
  for (auto& t : ts) t.join();

  std::vector<double> lat, lat_sent;
  int64_t early = 0, missing = 0;
  for (const Enqueued& e : enqueued) {
    auto it = claimed_at.find(e.sid);
    if (it == claimed_at.end()) {
      ++missing;
      continue;
    }
    double ms = MsSince(e.answered, it->second);
    if (ms < 0) {
      ++early;  // the claim reached its runner before the submitter had read its 201
      ms = 0;
    }
    lat.push_back(ms);
    lat_sent.push_back(MsSince(e.sent, it->second));
  }
  Percentiles p = Summarize(lat), ps = Summarize(lat_sent);
  Table t({"latency measured from", "jobs", "p50 ms", "p90 ms", "p99 ms", "max ms"});
  t.Row({"201 of POST /submissions read (0 if the claim came first)",
         FmtInt(static_cast<int64_t>(p.n)), Fmt(p.p50, 3), Fmt(p.p90, 3), Fmt(p.p99, 3),
         Fmt(p.max, 3)});
  t.Row({"POST /submissions sent (includes the enqueue itself)", FmtInt(static_cast<int64_t>(ps.n)),
         Fmt(ps.p50, 3), Fmt(ps.p90, 3), Fmt(ps.p99, 3), Fmt(ps.max, 3)});
  t.Print();
  std::printf(
      "\n%s of %s claims reached their runner before the submitter read the 201; "
      "%s never claimed; %s errors\n",
      FmtInt(early).c_str(), FmtInt(static_cast<int64_t>(p.n)).c_str(), FmtInt(missing).c_str(),
      FmtInt(errors.load()).c_str());
  bool complete = missing == 0 && p.n > 0;
  summary.Add("queue latency p50 (long-poll)", p.p50, 2, " ms", "<= 5 ms", "231 ms (3 s polling)",
              complete && p.p50 <= 5);
  summary.Add("queue latency p99 (long-poll)", p.p99, 2, " ms", "<= 50 ms", "-",
              complete && p.p99 <= 50);
}

}  // namespace noj::bench

// Phase 5 of bench_dispatch, memory: nojd's RSS (and redis-server's) with many pending jobs.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "bench_cluster.h"
#include "bench_report.h"
#include "bench_support.h"
#include "phases.h"

namespace noj::bench {

void PhaseMemory(const Options& opt, const std::string& root, Summary& summary) {
  const int threads = 8;
  Heading("5. Memory: " + FmtInt(opt.pending_jobs) + " pending jobs enqueued by " +
          std::to_string(threads) + " threads, " + StoreName(opt));
  Cluster c(opt, root, "memory", {});
  if (!c.Start()) return summary.Fail();
  int64_t problem = c.MakeProblem();
  if (problem < 0) return summary.Fail();
  std::vector<int64_t> rss0;
  for (size_t i = 0; i < c.size(); ++i) rss0.push_back(ProcessStatusKib(c.pid(i), "VmRSS"));
  int64_t redis_rss0 = c.RedisRssKib();
  double cpu0 = c.ServerCpuMs();
  auto t0 = Clock::now();
  std::vector<double> lat;
  int64_t done =
      EnqueueMany(c, problem, opt.pending_jobs, threads, &lat, t0 + std::chrono::seconds(900));
  double wall = MsSince(t0, Clock::now()) / 1000.0;
  double cpu = (c.ServerCpuMs() - cpu0) / static_cast<double>(std::max<int64_t>(done, 1));
  HttpClient http(c.url(0));
  int64_t q_pending = -1, q_leased = -1;
  QueueStats(http, c.api_auth(), &q_pending, &q_leased);
  Percentiles p = Summarize(lat);

  Table totals({"pending (GET /queue)", "enqueue wall s", "enqueue/s", "enqueue p50 ms",
                "enqueue p99 ms", "nojd CPU ms/job (all nodes)"});
  totals.Row({FmtInt(q_pending), Fmt(wall, 2), Fmt(static_cast<double>(done) / wall, 0),
              Fmt(p.p50, 3), Fmt(p.p99, 3), Fmt(cpu, 3)});
  totals.Print();
  std::printf("\n");
  Table t({"node", "VmRSS before MiB", "VmRSS after MiB", "VmHWM MiB"});
  int64_t worst = 0;
  for (size_t i = 0; i < c.size(); ++i) {
    int64_t rss = ProcessStatusKib(c.pid(i), "VmRSS");
    worst = std::max(worst, rss);
    t.Row({"nojd " + std::to_string(i), Mib(rss0[i]), Mib(rss),
           Mib(ProcessStatusKib(c.pid(i), "VmHWM"))});
  }
  int64_t redis_rss1 = c.RedisRssKib();
  if (c.redis())
    t.Row({"redis-server (used_memory_rss; the jobs live here)", Mib(redis_rss0), Mib(redis_rss1),
           "-"});
  t.Print();
  c.Stop();
  summary.Add("nojd VmRSS with " + FmtInt(opt.pending_jobs) + " pending" +
                  (c.redis() ? " (redis-server: " + Mib(redis_rss1) + " MiB)" : ""),
              worst / 1024.0, 1, " MiB", "<= 150 MiB", "-",
              q_pending == opt.pending_jobs && worst <= 150 * 1024);
}

}  // namespace noj::bench

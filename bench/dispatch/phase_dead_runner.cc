// Phase 4 of bench_dispatch, dead runner recovery: runner A claims 8 jobs and dies; how soon
// runner B, long-polling, gets all 8 back once their leases expire.

#include <atomic>
#include <chrono>
#include <cstdio>
#include <set>
#include <thread>
#include <vector>

#include "bench_cluster.h"
#include "bench_report.h"
#include "bench_support.h"
#include "phases.h"

namespace noj::bench {

void PhaseDeadRunner(const Options& opt, const std::string& root, Summary& summary) {
  const int ttl = opt.lease_ttl_dead;
  Heading("4. Dead runner recovery: lease TTL " + std::to_string(ttl) +
          " s; runner A claims 8 jobs, heartbeats once, dies; runner B long-polls, " +
          StoreName(opt));
  Cluster c(opt, root, "dead", {"--lease-ttl", std::to_string(ttl)});
  if (!c.Start()) return summary.Fail();
  int64_t problem = c.MakeProblem();
  auto rs = c.RegisterRunners(2, "dead");  // A on node 0, B on node 1 when there are two
  if (problem < 0 || rs.empty()) return summary.Fail();
  const RunnerCreds& a = rs[0];
  const RunnerCreds& b = rs[1];
  HttpClient ha(c.url(0));
  auto deadline = Clock::now() + std::chrono::seconds(30);
  EnqueueMany(c, problem, 8, 1, nullptr, deadline);
  std::set<std::string> held;
  ClaimedJob job;
  while (held.size() < 8 && Clock::now() < deadline)
    if (Claim(ha, a, 1, &job) == 200) held.insert(job.job_id);
  if (held.size() < 8) {
    std::printf("A could claim only %zu jobs\n", held.size());
    return summary.Fail();
  }

  std::atomic<int64_t> death_ns{0};
  std::vector<double> reclaim_s;
  int wrong_attempt = 0, foreign = 0;
  std::thread tb([&] {
    HttpClient hb(c.url(1));
    ClaimedJob j;
    auto stop_at = Clock::now() + std::chrono::seconds(ttl + 30);
    while (reclaim_s.size() < 8 && Clock::now() < stop_at) {
      int st = Claim(hb, b, 20, &j);
      if (st != 200) continue;
      auto t = Clock::now();
      auto death = Clock::time_point(Clock::duration(death_ns.load()));
      reclaim_s.push_back(MsSince(death, t) / 1000.0);
      if (j.attempt != 2) ++wrong_attempt;
      if (!held.count(j.job_id)) ++foreign;
      Complete(hb, b, j);
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // B parked
  std::vector<std::string> ids(held.begin(), held.end());
  int hb_status = Heartbeat(ha, a, ids);  // the last sign of life: every lease renewed
  death_ns.store(Clock::now().time_since_epoch().count());
  tb.join();
  c.Stop();

  double first = reclaim_s.empty() ? -1 : reclaim_s.front();
  double all = reclaim_s.size() == 8 ? reclaim_s.back() : -1;
  Table t({"lease TTL s", "jobs reclaimed by B", "first reclaimed s", "all 8 reclaimed s", "aim s",
           "attempt != 2", "not A's", "A's last heartbeat"});
  t.Row({std::to_string(ttl), std::to_string(reclaim_s.size()) + " of 8", Fmt(first, 2),
         all < 0 ? "TIMEOUT" : Fmt(all, 2), "<= " + std::to_string(ttl + 2),
         std::to_string(wrong_attempt), std::to_string(foreign),
         "HTTP " + std::to_string(hb_status)});
  t.Print();
  summary.Add("dead runner: all 8 jobs recovered (TTL " + std::to_string(ttl) + " s)", all, 2, " s",
              "<= TTL + 2 = " + std::to_string(ttl + 2) + " s", "30 s",
              all >= 0 && all <= ttl + 2 && wrong_attempt == 0 && foreign == 0);
}

}  // namespace noj::bench

// The drain loop of phases 1 and 6 (see drain_run.h).

#include "drain_run.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "common/thread_annotations.h"

namespace noj::bench {

DrainResult RunDrain(Cluster& c, int64_t problem, const std::vector<RunnerCreds>& runners,
                     int64_t jobs, int submitters, const DrainHooks& hooks) {
  DrainResult r;
  r.jobs = jobs;
  const int64_t n = jobs;
  std::atomic<bool> stop{false};
  std::atomic<int64_t> landed{0}, errors{0}, empty_polls{0};
  std::atomic<int64_t> end_ns{0};
  noj::Mutex mu;  // guards the merge of each runner's samples into r
  std::vector<std::thread> ts;
  for (size_t i = 0; i < runners.size(); ++i)
    ts.emplace_back([&, i] {
      HttpClient http(c.url(i));
      std::vector<double> cl, co;
      std::vector<std::pair<std::string, Clock::time_point>> lands;
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
        if (hooks.record_landings) lands.emplace_back(job.job_id, t2);
        if (landed.fetch_add(1) + 1 == n) end_ns.store(t2.time_since_epoch().count());
      }
      noj::MutexLock lock(&mu);
      r.claim_ms.insert(r.claim_ms.end(), cl.begin(), cl.end());
      r.complete_ms.insert(r.complete_ms.end(), co.begin(), co.end());
      r.landings.insert(r.landings.end(), lands.begin(), lands.end());
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // runners parked

  if (hooks.before) hooks.before();
  double user0 = 0, user1 = 0;
  double cpu0 = c.ServerCpuMs(&user0), self0 = SelfCpuMs(), redis0 = c.RedisCpuMs();
  r.start = Clock::now();
  auto deadline = r.start + std::chrono::seconds(60 + n / 50);
  int64_t enqueued = EnqueueMany(c, problem, n, submitters, &r.enqueue_ms, deadline);
  r.enqueued = Clock::now();
  while (landed.load() < enqueued && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  double cpu1 = c.ServerCpuMs(&user1), self1 = SelfCpuMs(), redis1 = c.RedisCpuMs();
  r.done = landed.load();
  r.end = r.done == n ? Clock::time_point(Clock::duration(end_ns.load())) : Clock::now();
  r.nojd_cpu_ms = cpu1 - cpu0;
  r.nojd_user_ms = user1 - user0;
  r.bench_cpu_ms = self1 - self0;
  r.redis_cpu_ms = redis0 >= 0 && redis1 >= 0 ? redis1 - redis0 : -1;
  if (hooks.after) hooks.after(r);
  stop = true;
  c.Stop();  // wakes the parked long-polls
  for (auto& t : ts) t.join();
  r.errors = errors.load();
  r.empty_polls = empty_polls.load();
  return r;
}

}  // namespace noj::bench

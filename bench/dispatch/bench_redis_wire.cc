// bench_redis_wire: what a judged job costs the Redis store on the wire, without HTTP or nojd.
// `threads` workers each loop enqueue -> claim -> complete on one RedisStore (a pool of `pool`
// connections) and publish the wake-ups nojd publishes for them (jobs, jobs@<class> on enqueue,
// submission:<sid> on complete) through one RedisNotifier. Prints jobs/s, the store's round trips
// and commands per job (Store::Counters) and the notifier's round trips per job, for each pool
// size given. Heartbeats are per runner every 15 s (not per job) and are left out.
//
//   bench_redis_wire REDIS_URL [jobs] [threads] [pool sizes...]
//   e.g. bench_redis_wire redis://127.0.0.1:6399/0 20000 16 16 4 2
//
// Each run uses a fresh key prefix (benchwire-<pid>-<n>:), left behind: point it at a throwaway
// redis-server.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "common/ids.h"
#include "store/redis/redis_notifier.h"
#include "store/redis/redis_store.h"

namespace {

using namespace noj;
using namespace noj::store;
using Clock = std::chrono::steady_clock;

api::SubmissionResult Accepted() {
  using api::Verdict;
  return {Verdict::kAC, 100, 1, 1, {{Verdict::kAC, 100, 1, 1, {{Verdict::kAC, 0, 1, 1}}}}};
}

int Run(const std::string& base_url, int jobs, int threads, int pool, int run) {
  const std::string url = base_url + (base_url.find('?') == std::string::npos ? "?" : "&") +
                          "prefix=benchwire-" + std::to_string(getpid()) + "-" +
                          std::to_string(run) + ":&pool=" + std::to_string(pool);
  auto opened = redis::OpenRedisStore(url);
  if (!opened.ok()) {
    std::fprintf(stderr, "bench: %s\n", opened.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<Store> store = std::move(opened).value();
  auto notifier = redis::RedisNotifier::Open(url, [](const std::string&, int) {});
  if (!notifier.ok()) {
    std::fprintf(stderr, "bench: %s\n", notifier.status().ToString().c_str());
    return 1;
  }
  const int64_t now = 1'700'000'000'000;
  auto problem = store->CreateProblem({"A+B", {{100, 1, 65536, 1000}}}, now);
  if (!problem.ok()) return 1;
  for (int t = 0; t < threads; ++t) {
    const std::string rn = "rn_wire_" + std::to_string(t);
    if (!store->RegisterRunner({rn, "wire", "h" + rn, now, now, now + 3'600'000}).ok()) return 1;
  }
  const LeasePolicy policy{60'000, 3};
  std::atomic<int> next{0}, errors{0};
  const StoreCounters c0 = store->Counters();
  const int64_t n0 = (*notifier)->round_trips();
  const auto t0 = Clock::now();
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      const std::string rn = "rn_wire_" + std::to_string(t);
      for (int i = next++; i < jobs; i = next++) {
        const NewSubmission s{ids::NewSubmissionId(now + i),
                              ids::NewJobId(now + i),
                              *problem,
                              1,
                              "int main() {}",
                              1,
                              {1, 0}};
        if (!store->Enqueue(s, now).ok()) {
          ++errors;
          continue;
        }
        (*notifier)->Publish("jobs", 1);
        (*notifier)->Publish("jobs@1:0", 1);
        auto claim = store->Claim(rn, {}, policy, now);
        if (!claim.ok() || !claim->job) {
          ++errors;
          continue;
        }
        auto done =
            store->Complete({rn, claim->job->job_id, claim->job->attempts, Accepted(), {}}, now);
        if (!done.ok()) ++errors;
        (*notifier)->Publish("submission:" + claim->job->submission_id, -1);
      }
    });
  }
  for (std::thread& t : ts) t.join();
  const double s = std::chrono::duration<double>(Clock::now() - t0).count();
  const StoreCounters c1 = store->Counters();
  const double n = jobs;
  std::printf("| %d | %d | %d | %.0f | %.2f | %.2f | %.2f | %d |\n", jobs, threads, pool, n / s,
              static_cast<double>(c1.round_trips - c0.round_trips) / n,
              static_cast<double>(c1.commands - c0.commands) / n,
              static_cast<double>((*notifier)->round_trips() - n0) / n, errors.load());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s REDIS_URL [jobs] [threads] [pool sizes...]\n", argv[0]);
    return 2;
  }
  const int jobs = argc > 2 ? std::atoi(argv[2]) : 20000;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 16;
  std::vector<int> pools;
  for (int i = 4; i < argc; ++i) pools.push_back(std::atoi(argv[i]));
  if (pools.empty()) pools = {16, 4, 2};
  std::printf(
      "| jobs | threads | pool | jobs/s | store round trips/job | store commands/job "
      "| notifier round trips/job | errors |\n|---|---|---|---|---|---|---|---|\n");
  int run = 0;
  for (int pool : pools) {
    if (int rc = Run(argv[1], jobs, threads, pool, run++); rc != 0) return rc;
  }
  return 0;
}

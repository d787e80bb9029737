#pragma once
// The drain loop shared by phase 1 (drain throughput) and phase 6 (callbacks on vs off): runners
// parked in next-job?wait=5 drain the jobs that submitters enqueue, and the figures of one run.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "bench_cluster.h"
#include "bench_support.h"

namespace noj::bench {

struct DrainResult;

// Called from the main thread at the edges of the measured window, so a phase can read figures of
// its own (Redis round trips, its receiver) at the same instants as the CPU figures.
struct DrainHooks {
  // Runners parked, before the first figure is read and the first job enqueued.
  std::function<void()> before;
  // Every job landed (or the deadline passed) and the window's figures are in the result; the
  // nodes still run and the runners still poll, so a phase can wait here for work nojd does after
  // the landing. Runs before the runner threads are joined: their samples are not merged yet.
  std::function<void(const DrainResult&)> after;
  // Keep (job id, time its complete answered 204) of every job in DrainResult::landings.
  bool record_landings = false;
};

struct DrainResult {
  int64_t jobs = 0;  // asked for
  int64_t done = 0;  // landed (complete answered 204)
  int64_t errors = 0;
  int64_t empty_polls = 0;                   // long-polls that answered 204 while draining
  Clock::time_point start, enqueued, end;    // first enqueue, all enqueued, last 204 of complete
  double nojd_cpu_ms = 0, nojd_user_ms = 0;  // every node, over the window
  double bench_cpu_ms = 0;
  double redis_cpu_ms = -1;  // -1 without Redis
  std::vector<double> enqueue_ms, claim_ms, complete_ms;
  std::vector<std::pair<std::string, Clock::time_point>> landings;  // if record_landings

  double wall_s() const { return MsSince(start, end) / 1000.0; }
  double jobs_per_s() const { return static_cast<double>(done) / wall_s(); }
  // A figure of the window divided by the jobs landed.
  double PerJob(double total) const {
    return total / static_cast<double>(std::max<int64_t>(done, 1));
  }
};

// Drains `jobs` jobs of `problem` through `runners` (one thread each) with `submitters` enqueue
// threads, then stops the cluster (which wakes the parked long-polls) and joins every thread.
DrainResult RunDrain(Cluster& c, int64_t problem, const std::vector<RunnerCreds>& runners,
                     int64_t jobs, int submitters, const DrainHooks& hooks = {});

}  // namespace noj::bench

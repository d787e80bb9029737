#pragma once
// One phase's nojd node(s) on a fresh store, and the submitters that fill its queue.

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench_options.h"
#include "bench_support.h"

namespace noj::bench {

// `nodes` nojd processes on one fresh store: a temp data dir each, and for Redis a key prefix
// of its own (deleted afterwards). Runner i talks to node i % nodes. Stopped (nodes, data dirs and
// keys gone) by Stop() or when this object dies. Not thread-safe, except the const accessors.
class Cluster {
 public:
  Cluster(const Options& opt, const std::string& root, const std::string& name,
          const std::vector<std::string>& extra_flags);
  ~Cluster() { Stop(); }
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  bool Start();
  void Stop();

  size_t size() const { return nodes_.size(); }
  std::string url(size_t i) const { return nodes_[i % nodes_.size()]->base_url(); }
  pid_t pid(size_t i) const { return nodes_[i % nodes_.size()]->pid(); }
  std::string api_auth() const { return "Authorization: Bearer " + api_token_; }
  const std::string& registration_token() const { return registration_token_; }

  // Sum over the nodes (each nojd's utime + stime).
  double ServerCpuMs(double* user_ms = nullptr) const;
  double RedisCpuMs() { return redis_ ? redis_->CpuMs() : -1; }
  int64_t RedisRssKib() { return redis_ ? redis_->RssKib() : -1; }
  // total_commands_processed of the Redis server (every client's); -1 without Redis.
  int64_t RedisCommands() { return redis_ ? redis_->CommandsProcessed() : -1; }
  // An unlabelled /metrics sample summed over the nodes; -1 if a node does not expose it.
  double MetricSum(const std::string& name) const;
  bool redis() const { return redis_.has_value(); }

  // Creates the benchmark's problem (one task, one case) through node 0; -1 on failure.
  int64_t MakeProblem();
  // Registers n runners, runner i on node i % nodes; empty on failure.
  std::vector<RunnerCreds> RegisterRunners(int n, const std::string& name);

 private:
  const Options& opt_;
  std::string dir_;
  std::string prefix_;
  std::string api_token_, registration_token_;
  std::vector<std::unique_ptr<NojdServer>> nodes_;
  std::optional<RedisSide> redis_;
};

// Enqueues `count` jobs with `threads` submitters (submitter j on node j % nodes). Each records
// its request times in `latencies_ms` (if given). Returns the number enqueued.
int64_t EnqueueMany(Cluster& c, int64_t problem, int64_t count, int threads,
                    std::vector<double>* latencies_ms, Clock::time_point deadline);

}  // namespace noj::bench

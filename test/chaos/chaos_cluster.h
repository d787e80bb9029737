#pragma once
// The processes of one chaos run, and the faults: a real nojd on a fixed loopback port and data
// dir (SQLite in the data dir, or Redis), an own redis-server with AOF for the Redis store, and
// noj-runners in --fake-judge mode. Every process is ours, signalled by PID only; SIGKILL is the
// only fault, and each kill is followed by a restart on the same data.
// Thread safety: the fault methods are called from one thread (the chaos thread), the accessors
// from any (they read values fixed at start).

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "integration/callback_receiver.h"
#include "integration/nojd_process.h"
#include "runner/runner_process.h"
#include "support/local_redis.h"

namespace noj::chaos {

struct ClusterOptions {
  bool redis = false;  // false: nojd's SQLite store in its data dir
  int runners = 3;
  int slots = 2;  // per runner
  int lease_ttl_s = 3;
  // Room for what the faults legitimately cost an ordinary job (nojd kills, two targeted runner
  // kills, a rogue claim, a crash next to it) while FAIL/CRASH code still runs out.
  int max_attempts = 8;
};

class ChaosCluster {
 public:
  explicit ChaosCluster(ClusterOptions options);
  ~ChaosCluster();  // stops every process, removes the temp dir
  ChaosCluster(const ChaosCluster&) = delete;
  ChaosCluster& operator=(const ChaosCluster&) = delete;

  // Redis (if any) and nojd; the runners are started by StartRunners.
  bool Start(std::string* error);
  void StartRunners();

  // SIGKILL nojd, then start it again on the same port and data (retried until it listens).
  bool KillAndRestartNojd(std::string* error);
  // SIGKILL runner `i` (one job or two in flight, most of the time), start a new one in its place.
  void KillAndRestartRunner(int i);
  // Restarts runners that exited on their own (FAKE:CRASH); returns how many.
  int RestartExitedRunners();
  // SIGKILL redis-server, wait `down_ms`, start it again (the AOF is replayed).
  bool KillAndRestartRedis(int down_ms, std::string* error);
  // SIGTERM every runner and wait (drain).
  void StopRunners();

  const ClusterOptions& options() const { return options_; }
  std::string base_url() const { return base_url_; }
  std::string api_auth() const { return "Authorization: Bearer " + api_token_; }
  std::string registration_token() const { return registration_token_; }
  const std::string& dir() const { return dir_; }
  // The result-callback receiver nojd delivers to (--callback-url), up for the whole run.
  const testing::CallbackReceiver& receiver() const { return *receiver_; }
  std::string NojdLog() const { return nojd_->Log(); }
  // Every runner incarnation's log, in start order.
  std::vector<std::string> RunnerLogs() const;
  // The log of runner `i`'s current incarnation.
  std::string CurrentRunnerLog(int i) const;

 private:
  std::unique_ptr<runner::testing::RunnerProcess> SpawnRunner(int i);
  bool StartNojdWithRetry(std::string* error);

  ClusterOptions options_;
  std::string dir_;
  std::unique_ptr<testing::LocalRedis> redis_;
  std::unique_ptr<testing::CallbackReceiver> receiver_;
  std::unique_ptr<testing::NojdProcess> nojd_;
  std::string base_url_, api_token_, registration_token_;
  std::vector<std::unique_ptr<runner::testing::RunnerProcess>> runners_;
  mutable std::mutex logs_mu_;
  std::vector<std::string> runner_logs_;
  std::vector<std::string> current_log_;  // per runner index
  int incarnation_ = 0;
};

// The noj-runner binary under test (set by CMake).
std::string RunnerBinary();

}  // namespace noj::chaos

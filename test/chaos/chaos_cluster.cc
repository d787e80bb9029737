#include "chaos/chaos_cluster.h"

#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/crypto.h"

namespace noj::chaos {

using namespace std::chrono_literals;

std::string RunnerBinary() { return NOJ_RUNNER_BINARY; }

ChaosCluster::ChaosCluster(ClusterOptions options) : options_(options) {
  char tmpl[] = "/tmp/noj-chaos-XXXXXX";
  if (::mkdtemp(tmpl) != nullptr) dir_ = tmpl;
}

ChaosCluster::~ChaosCluster() {
  runners_.clear();   // SIGKILL + reap each one still running
  nojd_.reset();      // SIGTERM, then SIGKILL
  receiver_.reset();  // SIGKILL
  redis_.reset();     // stops the redis-server it started
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
}

bool ChaosCluster::Start(std::string* error) {
  if (dir_.empty()) {
    *error = "mkdtemp failed";
    return false;
  }
  std::vector<std::string> flags = {"--lease-ttl",           std::to_string(options_.lease_ttl_s),
                                    "--heartbeat-interval",  "1",
                                    "--poll-interval",       "1",
                                    "--max-attempts",        std::to_string(options_.max_attempts),
                                    "--max-concurrent-jobs", std::to_string(options_.slots),
                                    "--log-level",           "info"};
  if (options_.redis) {
    auto redis = testing::LocalRedis::Start();  // our own: it is killed and restarted
    if (!redis.ok()) {
      *error = "redis-server: " + redis.status().ToString();
      return false;
    }
    redis_ = std::move(*redis);
    flags.push_back("--store");
    flags.push_back(redis_->FreshStoreUrl());
  }
  // Result callbacks to the example receiver: its secret written first (nojd keeps what the file
  // has and adds the rest), so the receiver can start before nojd and nojd can name its port.
  {
    std::ofstream secrets(dir_ + "/secrets.json");
    secrets << "{\"callback_secret\":\"whsec_" << crypto::Base64Encode(crypto::RandomBytes(32))
            << "\"}\n";
  }
  receiver_ = std::make_unique<testing::CallbackReceiver>(dir_ + "/secrets.json", dir_);
  if (!receiver_->Start(error)) return false;
  for (const std::string& flag : {std::string("--callback-url"), receiver_->url("/chaos"),
                                  std::string("--callback-retry-base-ms"), std::string("200"),
                                  std::string("--callback-retry-max-ms"), std::string("2000")})
    flags.push_back(flag);
  nojd_ = std::make_unique<testing::NojdProcess>(dir_, flags);
  if (!nojd_->Start(error)) return false;
  base_url_ = nojd_->base_url();
  api_token_ = nojd_->api_token();
  registration_token_ = nojd_->registration_token();
  if (api_token_.empty() || registration_token_.empty()) {
    *error = "no tokens in " + dir_ + "/secrets.json";
    return false;
  }
  return true;
}

std::unique_ptr<runner::testing::RunnerProcess> ChaosCluster::SpawnRunner(int i) {
  std::string name = "chaos-r" + std::to_string(i);
  std::string log =
      dir_ + "/runner-" + std::to_string(i) + "-" + std::to_string(incarnation_++) + ".log";
  {
    std::lock_guard lock(logs_mu_);
    runner_logs_.push_back(log);
    if (current_log_.size() <= static_cast<size_t>(i))
      current_log_.resize(static_cast<size_t>(i) + 1);
    current_log_[static_cast<size_t>(i)] = log;
  }
  std::vector<std::string> args = {RunnerBinary(),
                                   "--server",
                                   base_url_,
                                   "--name",
                                   name,
                                   "--registration-token-file",
                                   dir_ + "/secrets.json",
                                   "--work-dir",
                                   dir_ + "/work-" + std::to_string(i),
                                   "--cache-dir",
                                   dir_ + "/cache-" + std::to_string(i),
                                   "--slots",
                                   std::to_string(options_.slots),
                                   "--poll-wait",
                                   "2",
                                   "--drain-timeout",
                                   "5",
                                   "--log-level",
                                   "info",
                                   "--fake-judge"};
  return std::make_unique<runner::testing::RunnerProcess>(args, log);
}

void ChaosCluster::StartRunners() {
  ::setenv("NOJ_RUNNER_ALLOW_FAKE_JUDGE", "1", 1);  // inherited by the runners only we start
  for (int i = 0; i < options_.runners; ++i) runners_.push_back(SpawnRunner(i));
}

bool ChaosCluster::StartNojdWithRetry(std::string* error) {
  // The port may be briefly unavailable, and with Redis down nojd may refuse to start.
  for (int i = 0; i < 100; ++i) {
    if (nojd_->Start(error)) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

bool ChaosCluster::KillAndRestartNojd(std::string* error) {
  nojd_->Kill();
  return StartNojdWithRetry(error);
}

void ChaosCluster::KillAndRestartRunner(int i) {
  auto& r = runners_.at(static_cast<size_t>(i));
  r->Signal(SIGKILL);
  r->Wait(10s);
  r = SpawnRunner(i);
}

int ChaosCluster::RestartExitedRunners() {
  int n = 0;
  for (size_t i = 0; i < runners_.size(); ++i) {
    if (runners_[i]->Running()) continue;
    runners_[i] = SpawnRunner(static_cast<int>(i));
    ++n;
  }
  return n;
}

bool ChaosCluster::KillAndRestartRedis(int down_ms, std::string* error) {
  // LocalRedis stops with SIGTERM (a clean shutdown); the fault is SIGKILL, so take the PID from
  // the server itself (it is our child: LocalRedis forked it) and reap it through Stop().
  auto info = redis_->Command({"INFO", "server"});
  if (!info.ok()) {
    *error = "INFO: " + info.status().ToString();
    return false;
  }
  auto at = info->find("process_id:");
  pid_t pid = at == std::string::npos ? 0 : std::atoi(info->c_str() + at + 11);
  if (pid <= 1) {
    *error = "no process_id in INFO";
    return false;
  }
  ::kill(pid, SIGKILL);
  redis_->Stop().IgnoreError();  // reaps the killed child
  std::this_thread::sleep_for(std::chrono::milliseconds(down_ms));
  Status s = redis_->Restart();
  if (!s.ok()) *error = s.ToString();
  return s.ok();
}

void ChaosCluster::StopRunners() {
  for (auto& r : runners_) r->Signal(SIGTERM);
  for (auto& r : runners_) r->Wait(15s);
  runners_.clear();
}

namespace {
std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

std::string ChaosCluster::CurrentRunnerLog(int i) const {
  std::string path;
  {
    std::lock_guard lock(logs_mu_);
    if (static_cast<size_t>(i) < current_log_.size()) path = current_log_[static_cast<size_t>(i)];
  }
  return path.empty() ? "" : ReadAll(path);
}

std::vector<std::string> ChaosCluster::RunnerLogs() const {
  std::vector<std::string> paths;
  {
    std::lock_guard lock(logs_mu_);
    paths = runner_logs_;
  }
  std::vector<std::string> out;
  for (const auto& p : paths) out.push_back(ReadAll(p));
  return out;
}

}  // namespace noj::chaos

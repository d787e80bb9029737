#pragma once
// bench_dispatch's helpers: nojd processes started from a given binary, /proc figures, latency
// statistics, tables, protocol calls over the integration tests' HttpClient, and a small Redis
// side channel (INFO, cleanup of the bench's key prefix).

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "integration/http_client.h"

namespace noj::bench {

using Clock = std::chrono::steady_clock;
using testing::HttpClient;
using testing::HttpResult;

inline double MsSince(Clock::time_point t0, Clock::time_point t1) {
  return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

// ---- nojd processes ----

// One nojd on a free loopback port. The binary is a parameter (bench --nojd), which is why this is
// not integration/NojdProcess (it always runs the nojd it was built with). Tokens are given on the
// command line so that every node of a Redis cluster shares them. Stopped by PID (SIGTERM, wait,
// SIGKILL after 10 s) when this object dies; nojd also gets SIGTERM if the bench dies first.
class NojdServer {
 public:
  NojdServer(std::string binary, std::string data_dir, std::vector<std::string> flags);
  ~NojdServer();
  NojdServer(const NojdServer&) = delete;
  NojdServer& operator=(const NojdServer&) = delete;

  bool Start(std::string* error);
  void Stop();
  pid_t pid() const { return pid_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  std::string binary_;
  std::string data_dir_;
  std::vector<std::string> flags_;
  pid_t pid_ = -1;
  int port_ = 0;
  int stdout_fd_ = -1;
};

// utime + stime of a process, in milliseconds (from /proc/<pid>/stat); -1 if unreadable.
double ProcessCpuMs(pid_t pid, double* user_ms = nullptr, double* system_ms = nullptr);
// A "VmRSS" / "VmHWM" line of /proc/<pid>/status, in KiB; -1 if unreadable.
int64_t ProcessStatusKib(pid_t pid, const char* field);
// This process's user + system CPU, ms.
double SelfCpuMs();

// ---- statistics and tables ----

struct Percentiles {
  size_t n = 0;
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
};
Percentiles Summarize(std::vector<double> samples);  // nearest-rank

std::string Fmt(double v, int decimals = 2);
std::string FmtInt(int64_t v);  // 12,345

// A plain-text table in Markdown form, so it can be pasted as is.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void Row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  void Print() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// ---- the protocol ----

struct RunnerCreds {
  std::string id;
  std::string auth;  // "Authorization: Bearer rk_…"
};

struct ClaimedJob {
  std::string job_id;
  std::string submission_id;
  int attempt = 0;
  std::vector<int> case_counts;  // per task
};

// Each returns the HTTP status (0 = transport error) and fills its out-parameters on success.
int CreateProblem(HttpClient& http, const std::string& api_auth, int64_t* problem_id);
int Register(HttpClient& http, const std::string& registration_token, const std::string& name,
             RunnerCreds* out);
int Submit(HttpClient& http, const std::string& api_auth, int64_t problem_id,
           std::string* submission_id);
// 200 with *job filled, 204 when nothing was claimable within wait_s.
int Claim(HttpClient& http, const RunnerCreds& r, int wait_s, ClaimedJob* job);
// A synthetic all-AC result for the payload's tasks, with X-Job-Attempt.
int Complete(HttpClient& http, const RunnerCreds& r, const ClaimedJob& job);
int Heartbeat(HttpClient& http, const RunnerCreds& r, const std::vector<std::string>& job_ids);
// GET /queue: leased and pending totals; false on failure.
bool QueueStats(HttpClient& http, const std::string& api_auth, int64_t* pending, int64_t* leased);
// The value of an unlabelled sample `name` in GET /metrics (Prometheus text); -1 when the scrape
// fails or has no such sample.
double MetricValue(HttpClient& http, const std::string& api_auth, const std::string& name);

// ---- Redis side channel ----

class RedisSide {
 public:
  // redis://[:PASSWORD@]HOST:PORT[/DB][?…]
  static std::optional<RedisSide> Connect(const std::string& url, std::string* error);
  RedisSide(RedisSide&& o) noexcept : ctx_(o.ctx_) { o.ctx_ = nullptr; }
  RedisSide& operator=(RedisSide&& o) noexcept {
    std::swap(ctx_, o.ctx_);
    return *this;
  }
  RedisSide(const RedisSide&) = delete;
  RedisSide& operator=(const RedisSide&) = delete;
  ~RedisSide();

  // used_cpu_user + used_cpu_sys of the Redis server, ms; -1 on failure.
  double CpuMs();
  // used_memory_rss, KiB; -1 on failure.
  int64_t RssKib();
  // total_commands_processed (INFO stats) of the whole server; -1 on failure.
  int64_t CommandsProcessed();
  // UNLINKs every key that starts with `prefix`; returns how many.
  int64_t DeletePrefix(const std::string& prefix);

 private:
  explicit RedisSide(void* ctx) : ctx_(ctx) {}
  std::string Info(const char* section);
  void* ctx_;
};

// The URL nojd gets: the user's, plus ?prefix= (or &prefix=) so each phase has its own keys.
std::string WithPrefix(const std::string& url, const std::string& prefix);

}  // namespace noj::bench

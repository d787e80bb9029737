// One phase's nojd node(s) and its submitters (see bench_cluster.h).

#include "bench_cluster.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <random>
#include <thread>

namespace noj::bench {
namespace {

namespace fs = std::filesystem;

std::string RandomHex(size_t bytes) {
  std::random_device rd;
  std::string s;
  static const char* kHex = "0123456789abcdef";
  for (size_t i = 0; i < bytes; ++i) {
    unsigned v = rd() & 0xff;
    s += kHex[v >> 4];
    s += kHex[v & 15];
  }
  return s;
}

}  // namespace

Cluster::Cluster(const Options& opt, const std::string& root, const std::string& name,
                 const std::vector<std::string>& extra_flags)
    : opt_(opt) {
  api_token_ = RandomHex(24);
  registration_token_ = RandomHex(24);
  dir_ = root + "/" + name;
  fs::create_directories(dir_);
  std::string store_flag;
  if (opt.store == "redis") {
    prefix_ = "nojbench:" + std::to_string(getpid()) + ":" + name + ":";
    store_flag = WithPrefix(opt.redis_url, prefix_);
  }
  for (int i = 0; i < opt.nodes; ++i) {
    std::string data = dir_ + "/node" + std::to_string(i);
    fs::create_directories(data);
    std::vector<std::string> flags = {"--api-token", api_token_, "--registration-token",
                                      registration_token_};
    if (!prefix_.empty()) {
      flags.push_back("--store");
      flags.push_back(store_flag);
    } else {
      flags.push_back("--store");
      flags.push_back("sqlite:" + data + "/nojd.sqlite" +
                      (opt.sqlite_sync == "normal" ? "?sync=normal" : ""));
    }
    for (const auto& f : extra_flags) flags.push_back(f);
    nodes_.push_back(std::make_unique<NojdServer>(opt.nojd, data, flags));
  }
}

bool Cluster::Start() {
  for (auto& n : nodes_) {
    std::string err;
    if (!n->Start(&err)) {
      std::fprintf(stderr, "bench: %s\n", err.c_str());
      return false;
    }
  }
  if (!prefix_.empty()) {
    std::string err;
    redis_ = RedisSide::Connect(opt_.redis_url, &err);
    if (!redis_) std::fprintf(stderr, "bench: redis side channel: %s\n", err.c_str());
  }
  return true;
}

void Cluster::Stop() {
  for (auto& n : nodes_) n->Stop();
  if (redis_ && !prefix_.empty()) {
    redis_->DeletePrefix(prefix_);
    prefix_.clear();
  }
  if (!dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
    dir_.clear();
  }
}

double Cluster::ServerCpuMs(double* user_ms) const {
  double sum = 0, user = 0;
  for (const auto& n : nodes_) {
    double u = 0;
    sum += ProcessCpuMs(n->pid(), &u);
    user += u;
  }
  if (user_ms) *user_ms = user;
  return sum;
}

double Cluster::MetricSum(const std::string& name) const {
  double sum = 0;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    HttpClient http(url(i));
    const double v = MetricValue(http, api_auth(), name);
    if (v < 0) return -1;
    sum += v;
  }
  return sum;
}

int64_t Cluster::MakeProblem() {
  HttpClient http(url(0));
  int64_t pid = 0;
  int st = CreateProblem(http, api_auth(), &pid);
  if (st != 201) {
    std::fprintf(stderr, "bench: creating the problem failed (HTTP %d)\n", st);
    return -1;
  }
  return pid;
}

std::vector<RunnerCreds> Cluster::RegisterRunners(int n, const std::string& name) {
  std::vector<RunnerCreds> out(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    HttpClient http(url(static_cast<size_t>(i)));
    int st = Register(http, registration_token_, name + "-" + std::to_string(i),
                      &out[static_cast<size_t>(i)]);
    if (st != 201) {
      std::fprintf(stderr, "bench: registering a runner failed (HTTP %d)\n", st);
      return {};
    }
  }
  return out;
}

int64_t EnqueueMany(Cluster& c, int64_t problem, int64_t count, int threads,
                    std::vector<double>* latencies_ms, Clock::time_point deadline) {
  std::atomic<int64_t> next{0}, done{0}, errors{0};
  std::mutex mu;
  std::vector<std::thread> ts;
  for (int j = 0; j < threads; ++j)
    ts.emplace_back([&, j] {
      HttpClient http(c.url(static_cast<size_t>(j)));
      std::vector<double> lat;
      std::string sid;
      while (next.fetch_add(1) < count) {
        while (Clock::now() < deadline) {
          auto t0 = Clock::now();
          int st = Submit(http, c.api_auth(), problem, &sid);
          if (st == 201) {
            lat.push_back(MsSince(t0, Clock::now()));
            done.fetch_add(1);
            break;
          }
          if (errors.fetch_add(1) < 5) std::fprintf(stderr, "bench: submit: HTTP %d\n", st);
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
      if (latencies_ms) {
        std::lock_guard lock(mu);
        latencies_ms->insert(latencies_ms->end(), lat.begin(), lat.end());
      }
    });
  for (auto& t : ts) t.join();
  return done.load();
}

}  // namespace noj::bench

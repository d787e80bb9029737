#include "runner/runner_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <exception>
#include <map>
#include <mutex>

#include "common/thread_annotations.h"

namespace noj::runner {
namespace {

using prometheus::Counter;
using prometheus::Family;
using prometheus::Gauge;
using prometheus::Histogram;

const Histogram::BucketBoundaries kCompileBuckets = {0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60};
const Histogram::BucketBoundaries kRunBuckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                 0.5,   1,     2,    5,     10,   30};

// The tier of docs/sandbox.md from a protections line ("cgroup-mem=v1 … ns=pid,mnt,… …").
std::string TierOf(std::string_view line) {
  std::map<std::string, std::string> kv;
  size_t i = 0;
  while (i < line.size()) {
    size_t end = line.find(' ', i);
    if (end == std::string_view::npos) end = line.size();
    std::string_view item = line.substr(i, end - i);
    if (size_t eq = item.find('='); eq != std::string_view::npos)
      kv[std::string(item.substr(0, eq))] = std::string(item.substr(eq + 1));
    i = end + 1;
  }
  if (kv.empty()) return "unknown";
  auto has = [&](const char* key) {
    auto it = kv.find(key);
    return it != kv.end() && !it->second.empty() && it->second != "none" && it->second != "no";
  };
  bool cgroups = has("cgroup-mem") && has("cgroup-pids");
  if (cgroups && has("ns")) return "full";
  if (cgroups) return "cgroups";
  return "rlimits";
}

}  // namespace

struct RunnerMetrics::Impl {
  std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
  std::unique_ptr<prometheus::Exposer> exposer;

  Gauge& running = prometheus::BuildGauge()
                       .Name("noj_runner_jobs_running")
                       .Help("Jobs this runner holds right now (preparing, judging or sending)")
                       .Register(*registry)
                       .Add({});
  Family<Counter>& done = prometheus::BuildCounter()
                              .Name("noj_runner_jobs_done_total")
                              .Help("Jobs judged and sent, by verdict")
                              .Register(*registry);
  Histogram& compile = prometheus::BuildHistogram()
                           .Name("noj_runner_compile_seconds")
                           .Help("Compile step wall time, seconds")
                           .Register(*registry)
                           .Add({}, kCompileBuckets);
  Histogram& run = prometheus::BuildHistogram()
                       .Name("noj_runner_run_seconds")
                       .Help("Per-case CPU time as measured by the sandbox, seconds")
                       .Register(*registry)
                       .Add({}, kRunBuckets);
  Family<Counter>& cache = prometheus::BuildCounter()
                               .Name("noj_runner_testdata_cache_total")
                               .Help("Testdata cache look-ups, by result (hit or miss)")
                               .Register(*registry);
  Counter& retries = prometheus::BuildCounter()
                         .Name("noj_runner_send_retries_total")
                         .Help("Result sends retried after a transport error or 5xx")
                         .Register(*registry)
                         .Add({});
  Counter& reruns = prometheus::BuildCounter()
                        .Name("noj_runner_case_reruns_total")
                        .Help("Case runs repeated because the CPU time was within 5% of the limit")
                        .Register(*registry)
                        .Add({});
  Counter& rerun_changed = prometheus::BuildCounter()
                               .Name("noj_runner_rerun_verdict_changes_total")
                               .Help("Cases whose verdict the re-runs near the limit changed")
                               .Register(*registry)
                               .Add({});
  Gauge& speed =
      prometheus::BuildGauge()
          .Name("noj_runner_speed_score")
          .Help("Reference work units per CPU-second measured at start (1.0 = reference)")
          .Register(*registry)
          .Add({});
  Family<Gauge>& sandbox =
      prometheus::BuildGauge()
          .Name("noj_runner_sandbox_info")
          .Help("1 for the sandbox protection tier and protections line in use")
          .Register(*registry);
  Family<Counter>& compile_cache = prometheus::BuildCounter()
                                       .Name("noj_runner_compile_cache_total")
                                       .Help("Compile cache events: hit, miss, evicted, corrupted")
                                       .Register(*registry);
  Gauge& compile_cache_bytes = prometheus::BuildGauge()
                                   .Name("noj_runner_compile_cache_bytes")
                                   .Help("Size of the compile cache's entries, bytes")
                                   .Register(*registry)
                                   .Add({});
  Counter& hits = cache.Add({{"result", "hit"}});
  Counter& misses = cache.Add({{"result", "miss"}});
  Mutex sandbox_mu;
  Gauge* sandbox_series GUARDED_BY(sandbox_mu) = nullptr;

  Impl() {
    for (api::Verdict v :
         {api::Verdict::kAC, api::Verdict::kWA, api::Verdict::kCE, api::Verdict::kTLE,
          api::Verdict::kMLE, api::Verdict::kRE, api::Verdict::kJE, api::Verdict::kOLE})
      done.Add({{"verdict", std::string(api::VerdictName(v))}});
  }
};

RunnerMetrics::RunnerMetrics() : impl_(std::make_unique<Impl>()) {}
RunnerMetrics::~RunnerMetrics() = default;

Status RunnerMetrics::Listen(const std::string& listen) {
  // civetweb reports a bind failure by throwing; keep that inside this module.
  try {
    impl_->exposer = std::make_unique<prometheus::Exposer>(listen, /*num_threads=*/1);
  } catch (const std::exception& e) {
    return InvalidArgumentError("cannot serve metrics on '" + listen + "': " + e.what());
  }
  impl_->exposer->RegisterCollectable(impl_->registry);
  return Status::Ok();
}

int RunnerMetrics::port() const {
  if (!impl_->exposer) return 0;
  auto ports = impl_->exposer->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

void RunnerMetrics::JobStarted() { impl_->running.Increment(); }
void RunnerMetrics::JobFinished() { impl_->running.Decrement(); }
void RunnerMetrics::JobDone(api::Verdict verdict) {
  impl_->done.Add({{"verdict", std::string(api::VerdictName(verdict))}}).Increment();
}
void RunnerMetrics::CompileSeconds(double seconds) { impl_->compile.Observe(seconds); }
void RunnerMetrics::RunSeconds(double seconds) { impl_->run.Observe(seconds); }
void RunnerMetrics::TestdataCache(bool hit) { (hit ? impl_->hits : impl_->misses).Increment(); }
void RunnerMetrics::CompileCacheEvent(std::string_view event) {
  impl_->compile_cache.Add({{"event", std::string(event)}}).Increment();
}
void RunnerMetrics::CompileCacheBytes(uint64_t bytes) {
  impl_->compile_cache_bytes.Set(static_cast<double>(bytes));
}
void RunnerMetrics::SendRetry() { impl_->retries.Increment(); }
void RunnerMetrics::CaseRerun() { impl_->reruns.Increment(); }
void RunnerMetrics::RerunChangedVerdict() { impl_->rerun_changed.Increment(); }
void RunnerMetrics::SpeedScore(double score) { impl_->speed.Set(score); }

void RunnerMetrics::SandboxProtections(std::string_view protections) {
  MutexLock lock(&impl_->sandbox_mu);
  if (impl_->sandbox_series) impl_->sandbox.Remove(impl_->sandbox_series);
  impl_->sandbox_series = &impl_->sandbox.Add(
      {{"tier", TierOf(protections)}, {"protections", std::string(protections)}});
  impl_->sandbox_series->Set(1);
}

std::string RunnerMetrics::Render() const {
  return prometheus::TextSerializer().Serialize(impl_->registry->Collect());
}

}  // namespace noj::runner

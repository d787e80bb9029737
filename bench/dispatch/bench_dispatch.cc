// bench_dispatch: drives nojd over HTTP with simulated runners (no judging: synthetic all-AC
// results) and prints the figures of issue 2's "Performance" section. It starts its own nojd
// processes on loopback, one fresh store per phase, and stops them by PID. See bench/README.md.
// This file parses the flags and runs the phases; each phase is in its own phase_*.cc (phases.h),
// the nojd nodes in bench_cluster.h, the output helpers and summary in bench_report.h.

#include <curl/curl.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <system_error>
#include <thread>

#include "bench_options.h"
#include "bench_report.h"
#include "bench_support.h"
#include "phases.h"

namespace noj::bench {
namespace {

namespace fs = std::filesystem;

int Main(int argc, char** argv) {
  Options opt;
  CLI::App app{"bench_dispatch — nojd dispatch benchmark over HTTP (see bench/README.md)"};
  app.add_option("--nojd", opt.nojd, "nojd binary")->capture_default_str();
  app.add_option("--store", opt.store, "sqlite or redis")
      ->check(CLI::IsMember({"sqlite", "redis"}))
      ->capture_default_str();
  app.add_option("--redis-url", opt.redis_url,
                 "redis://127.0.0.1:PORT/DB (default: $NOJ_TEST_REDIS_URL); the bench uses its "
                 "own key prefix and deletes it afterwards");
  app.add_option("--sqlite-sync", opt.sqlite_sync, "full (nojd's default) or normal")
      ->check(CLI::IsMember({"full", "normal"}))
      ->capture_default_str();
  app.add_option("--nodes", opt.nodes, "nojd processes sharing the store (2 needs redis)")
      ->check(CLI::Range(1, 2))
      ->capture_default_str();
  app.add_option("--runners", opt.runners, "simulated runners")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--submitters", opt.submitters, "submitter threads in phase 1")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  auto* jobs =
      app.add_option("--jobs", opt.jobs, "jobs drained in phase 1 (and per run of phase 6)")
          ->check(CLI::Range(1, 10'000'000))
          ->capture_default_str();
  app.add_flag("--quick", opt.quick, "small sizes (CI smoke)");
  app.add_option("--phases", opt.phases, "comma-separated phases to run (1-6)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  if (opt.quick) {
    if (jobs->count() == 0) opt.jobs = 2000;
    opt.latency_jobs = 200;
    opt.claim_samples = 100;
    opt.leased_jobs = 1000;
    opt.warmup_jobs = 500;
    opt.pending_jobs = 5000;
  }
  if (opt.store == "redis") {
    if (opt.redis_url.empty())
      if (const char* e = std::getenv("NOJ_TEST_REDIS_URL")) opt.redis_url = e;
    if (opt.redis_url.empty()) {
      std::fprintf(stderr, "bench: --store redis needs --redis-url or NOJ_TEST_REDIS_URL\n");
      return 2;
    }
    std::string err;
    if (!RedisSide::Connect(opt.redis_url, &err)) {
      std::fprintf(stderr, "bench: %s\n", err.c_str());
      return 2;
    }
  } else if (opt.nodes != 1) {
    std::fprintf(stderr, "bench: --nodes 2 needs --store redis (nodes share one store)\n");
    return 2;
  }
  if (access(opt.nojd.c_str(), X_OK) != 0) {
    std::fprintf(stderr, "bench: nojd binary %s is not executable\n", opt.nojd.c_str());
    return 2;
  }
  std::set<int> phases;
  for (char ch : opt.phases)
    if (ch >= '1' && ch <= '6') phases.insert(ch - '0');

  char tmpl[] = "/tmp/noj-bench-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  std::string root = tmpl;
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::printf("# bench_dispatch: nojd %s, store %s, %d runner(s)%s, %u core(s), load average %s\n",
              opt.nojd.c_str(), StoreName(opt).c_str(), opt.runners, opt.quick ? ", --quick" : "",
              std::thread::hardware_concurrency(), LoadAverage().c_str());
  std::fflush(stdout);

  Summary summary;
  auto t0 = Clock::now();
  if (phases.count(1)) PhaseDrain(opt, root, summary);
  if (phases.count(2)) PhaseLatency(opt, root, summary);
  if (phases.count(3)) PhaseClaimCost(opt, root, summary);
  if (phases.count(4)) PhaseDeadRunner(opt, root, summary);
  if (phases.count(5)) PhaseMemory(opt, root, summary);
  if (phases.count(6)) PhaseCallbacks(opt, root, summary);

  Heading("Summary (" + StoreName(opt) + ", " + Fmt(MsSince(t0, Clock::now()) / 1000.0, 0) +
          " s, load average now " + LoadAverage() + ")");
  summary.Print();

  std::error_code ec;
  fs::remove_all(root, ec);
  curl_global_cleanup();
  // Figures that miss their aim are reported, not failed: this is a benchmark, not a timed test.
  return summary.failed() ? 1 : 0;
}

}  // namespace
}  // namespace noj::bench

int main(int argc, char** argv) { return noj::bench::Main(argc, argv); }

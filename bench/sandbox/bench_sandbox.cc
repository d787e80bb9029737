// bench_sandbox: per-run cost of /bin/true through noj-sandbox (full protection) against a
// bare fork + exec + wait4 of the same program, measured alternately in the same process so
// both see the same machine load. Prints a small table.
//
//   bench_sandbox [runs=200]
//
// NOJ_BENCH_BASELINE_SANDBOX=/path/to/an/older/noj-sandbox adds that binary's full run as a
// variant, so a change's cost is measured before/after in one run under the same load.

#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace {

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

// fork + exec + wait4 with stdout to /dev/null; returns microseconds, -1 on failure.
double TimeRun(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  int64_t start = NowNs();
  pid_t pid = fork();
  if (pid == 0) {
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage;
  wait4(pid, &status, 0, &usage);
  double us = static_cast<double>(NowNs() - start) / 1000.0;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? us : -1;
}

struct Stats {
  double mean = 0, p50 = 0, p90 = 0;
  int failures = 0;
};

Stats Summarise(std::vector<double> v, int failures) {
  Stats s;
  s.failures = failures;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  s.p50 = v[v.size() / 2];
  s.p90 = v[v.size() * 9 / 10];
  return s;
}

struct Variant {
  const char* name;
  std::vector<std::string> args;
  std::vector<double> samples;
  int failures = 0;
};

}  // namespace

int main(int argc, char** argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 200;
  char dir[] = "/tmp/noj-bench-box-XXXXXX";
  if (mkdtemp(dir) == nullptr) return 1;
  const std::string sandbox = NOJ_SANDBOX_BIN;
  auto boxed = [&](std::vector<std::string> extra) {
    std::vector<std::string> a = {sandbox, "--box-dir", dir, "--box-id", "4998"};
    a.insert(a.end(), extra.begin(), extra.end());
    a.insert(a.end(), {"--", "/bin/true"});
    return a;
  };
  std::vector<Variant> variants = {
      {"bare fork+exec+wait4", {"/bin/true"}, {}, 0},
      {"noj-sandbox (full)", boxed({}), {}, 0},
      {"noj-sandbox --scratch", boxed({"--scratch"}), {}, 0},
  };
  if (const char* baseline = getenv("NOJ_BENCH_BASELINE_SANDBOX"); baseline && *baseline) {
    std::vector<std::string> a = boxed({});
    a[0] = baseline;
    variants.push_back({"baseline (full)", a, {}, 0});
  }
  for (Variant& v : variants) TimeRun(v.args);  // warm caches
  // Interleaved: every variant sees the same load.
  for (int i = 0; i < runs; ++i) {
    for (Variant& v : variants) {
      double us = TimeRun(v.args);
      if (us < 0) {
        ++v.failures;
      } else {
        v.samples.push_back(us);
      }
    }
  }
  Stats bare = Summarise(variants[0].samples, variants[0].failures);
  std::printf("%-26s %6s %9s %9s %9s %8s %8s\n", "per run of /bin/true", "runs", "mean us",
              "p50 us", "p90 us", "x mean", "x p50");
  for (const Variant& v : variants) {
    Stats s = Summarise(v.samples, v.failures);
    std::printf("%-26s %6zu %9.0f %9.0f %9.0f %8.2f %8.2f%s\n", v.name, v.samples.size(), s.mean,
                s.p50, s.p90, s.mean / bare.mean, s.p50 / bare.p50,
                s.failures ? "  (failures!)" : "");
  }
  rmdir(dir);
  TimeRun({sandbox, "--cleanup"});  // leave no cgroup (or old shared net namespace) behind
  return 0;
}

// bench_sandbox: per-run cost of /bin/true through noj-sandbox (full protection) against a
// bare fork + exec + wait4 of the same program, measured alternately in the same process so
// both see the same machine load. Prints a small table.
//
//   bench_sandbox [runs=200]
//
// NOJ_BENCH_BASELINE_SANDBOX=/path/to/an/older/noj-sandbox adds that binary's full run as a
// variant, so a change's cost is measured before/after in one run under the same load.
//
// The warm box (noj-sandbox --serve, what noj-runner uses) in three rows: a later case (the
// helper prepared its box after the previous result, while this process timed the other
// variants — as noj-runner checks a case's output meanwhile); a later case sent right after the
// previous result (back to back: the preparation is on the clock); a job's first case (the kept
// helper, a box dir it has not seen: how noj-runner starts every job); and a new helper's first
// run (exec, probe, warm root, box, run: once per box id when noj-runner starts).

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

#include "sandbox/serve_frame.h"

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

// A `noj-sandbox --serve` helper: a run is a request frame out, a result line back.
class WarmHelper {
 public:
  explicit WarmHelper(const std::string& sandbox, const std::string& box_id) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      execl(sandbox.c_str(), sandbox.c_str(), "--serve", "--box-id", box_id.c_str(), nullptr);
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_ = in[1];
    from_ = out[0];
  }
  ~WarmHelper() {
    if (pid_ <= 0) return;
    close(to_);
    waitpid(pid_, nullptr, 0);
    close(from_);
  }
  // One run; microseconds, -1 unless it answered OK.
  double Run(const std::vector<std::string>& args) {
    std::string frame = noj::sandbox::EncodeServeFrame(args);
    int64_t start = NowNs();
    if (write(to_, frame.data(), frame.size()) != static_cast<ssize_t>(frame.size())) return -1;
    std::string line;
    char c;
    while (read(from_, &c, 1) == 1 && c != '\n') line += c;
    double us = static_cast<double>(NowNs() - start) / 1000.0;
    return line.find("\"verdict\":\"OK\"") != std::string::npos ? us : -1;
  }

 private:
  pid_t pid_ = -1;
  int to_ = -1, from_ = -1;
};

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
  // The warm rows: the one-shot arguments of a scratch run, as request frames.
  std::vector<std::string> warm_args = boxed({"--scratch"});
  warm_args.erase(warm_args.begin());
  const size_t warm_later = variants.size();
  variants.push_back({"warm box, later case", {}, {}, 0});
  variants.push_back({"warm box, back to back", {}, {}, 0});
  variants.push_back({"warm box, job's 1st case", {}, {}, 0});
  variants.push_back({"new warm helper, 1st run", {}, {}, 0});
  WarmHelper helper(sandbox, "4998");
  std::vector<std::string> first_args = warm_args;  // the fresh helper's own box id
  first_args[std::find(first_args.begin(), first_args.end(), "4998") - first_args.begin()] = "4996";
  auto record = [](Variant& v, double us) {
    if (us < 0) {
      ++v.failures;
    } else {
      v.samples.push_back(us);
    }
  };
  for (size_t i = 0; i < warm_later; ++i) TimeRun(variants[i].args);  // warm caches
  helper.Run(warm_args);
  // Interleaved: every variant sees the same load.
  for (int i = 0; i < runs; ++i) {
    for (size_t k = 0; k < warm_later; ++k) record(variants[k], TimeRun(variants[k].args));
    // A new job: the kept helper, a box dir it has never seen.
    char job_dir[] = "/tmp/noj-bench-job-XXXXXX";
    if (mkdtemp(job_dir) != nullptr) {
      std::vector<std::string> job_args = warm_args;
      job_args[1] = job_dir;
      record(variants[warm_later + 2], helper.Run(job_args));
      rmdir(job_dir);
    }
    // From the helper's start to its first result; its teardown (EOF, exit) is off the clock.
    int64_t start = NowNs();
    double first = -1;
    {
      WarmHelper fresh(sandbox, "4996");  // the kept helper holds 4998
      if (fresh.Run(first_args) >= 0) first = static_cast<double>(NowNs() - start) / 1000.0;
    }
    record(variants[warm_later + 3], first);
    record(variants[warm_later], helper.Run(warm_args));
    record(variants[warm_later + 1], helper.Run(warm_args));
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

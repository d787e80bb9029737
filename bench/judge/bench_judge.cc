// bench_judge: wall time to judge A+B in C++ with 10 cases through the runner's judge pipeline and
// the real noj-sandbox, split into the compile, the runs, and everything else (box layout, sandbox
// set-up and teardown, comparison, result building) — with warm boxes (noj-runner's default) and
// with one noj-sandbox per run, rounds interleaved. Then a 100-case problem with a trivial program:
// cases per second of one job (one slot, one core). Run as root. Prints tables.
//
//   bench_judge [ROUNDS]      (default 5)

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "aplusb_testdata.h"
#include "runner/fs_util.h"
#include "runner/judge_pipeline.h"
#include "runner/sandbox_process_executor.h"

namespace {

namespace fs = std::filesystem;
using noj::runner::CaseExecutor;
using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Times every sandbox call and keeps what the sandbox measured inside the box.
class TimingExecutor final : public CaseExecutor {
 public:
  explicit TimingExecutor(CaseExecutor& inner) : inner_(inner) {}
  noj::sandbox::RunResult Execute(const noj::sandbox::RunRequest& request,
                                  std::stop_token stop) override {
    auto start = Clock::now();
    noj::sandbox::RunResult r = inner_.Execute(request, stop);
    calls.push_back({MsSince(start), static_cast<double>(r.wall_ms)});
    return r;
  }
  struct Call {
    double call_ms;     // the whole noj-sandbox invocation, as the runner sees it
    double program_ms;  // the program's own wall time, as the sandbox measured it
  };
  std::vector<Call> calls;

 private:
  CaseExecutor& inner_;
};

constexpr char kAplusB[] =
    "#include <cstdio>\nint main(){long long a,b;std::scanf(\"%lld %lld\",&a,&b);"
    "std::printf(\"%lld\\n\",a+b);}\n";

// A custom checker written to testlib's conventions without testlib: argv input output answer,
// exit 0 when the one integer matches, 1 otherwise.
constexpr char kIntChecker[] =
    "#include <cstdio>\nint main(int argc,char**argv){if(argc<4)return 3;"
    "FILE*o=std::fopen(argv[2],\"r\"),*a=std::fopen(argv[3],\"r\");if(!o||!a)return 3;"
    "long long x,y;if(std::fscanf(a,\"%lld\",&y)!=1)return 3;"
    "if(std::fscanf(o,\"%lld\",&x)!=1){std::fprintf(stderr,\"no number\");return 1;}"
    "if(x!=y){std::fprintf(stderr,\"expected %lld, found %lld\",y,x);return 1;}"
    "std::fprintf(stderr,\"ok %lld\",x);return 0;}\n";

// The median time per case beyond the compile, of `rounds` judgings of A+B under `meta`.
double MedianPerCaseMs(CaseExecutor& sandbox, const noj::runner::LanguageTable& languages,
                       const fs::path& testdata, const fs::path& root,
                       const noj::api::ProblemMeta& meta, int rounds, bool* all_ac) {
  std::vector<double> per_case;
  for (int round = 0; round < rounds; ++round) {
    TimingExecutor timing(sandbox);
    noj::runner::JudgePipeline pipeline(timing, languages, noj::runner::JudgeLimits{});
    noj::runner::JudgeInput input;
    input.language = noj::api::Language::kCpp;
    input.tasks = {noj::api::TaskSpec{100, 10, 65536, 1000}};
    input.source = kAplusB;
    input.testdata_dir = testdata;
    input.meta = meta;
    input.work_dir = root / ("checker-work-" + std::to_string(round));
    input.box_id = 4994;  // away from the test suites' ids (4900+, 4970, 4980, 4990)
    input.helper_box_id = 4995;
    fs::create_directories(input.work_dir);
    auto start = Clock::now();
    auto cases = pipeline.Judge(input, std::stop_token{});
    double total = MsSince(start);
    if (!cases.ok() || timing.calls.empty()) {
      *all_ac = false;
    } else {
      for (const auto& task : *cases)
        for (const auto& c : task) *all_ac = *all_ac && c.status == noj::api::Verdict::kAC;
    }
    if (round > 0 || meta.checker.kind != noj::api::CheckerKind::kCustom)  // round 0 compiles it
      per_case.push_back((total - (timing.calls.empty() ? 0 : timing.calls[0].call_ms)) / 10);
    fs::remove_all(input.work_dir);
  }
  std::sort(per_case.begin(), per_case.end());
  return per_case.empty() ? 0 : per_case[per_case.size() / 2];
}

// judging.md's checkers: the time each adds per case over the default rule, in one run.
void CheckerCosts(CaseExecutor& sandbox, const noj::runner::LanguageTable& languages,
                  const fs::path& root, int rounds) {
  const fs::path custom = root / "testdata-custom";
  fs::create_directories(custom / "checker");
  for (const auto& entry : fs::directory_iterator(root / "testdata"))
    fs::copy_file(entry.path(), custom / entry.path().filename());
  (void)noj::runner::WriteFile(custom / "checker" / "checker.cpp", kIntChecker);
  noj::api::ProblemMeta plain, floating, own;
  floating.checker = {noj::api::CheckerKind::kFloat, 1e-6, 1e-6};
  own.checker.kind = noj::api::CheckerKind::kCustom;
  bool ok_default = true, ok_float = true, ok_custom = true;
  const int n = std::max(rounds, 3);
  double base = MedianPerCaseMs(sandbox, languages, root / "testdata", root, plain, n, &ok_default);
  double flt = MedianPerCaseMs(sandbox, languages, root / "testdata", root, floating, n, &ok_float);
  double cus = MedianPerCaseMs(sandbox, languages, custom, root, own, n + 1, &ok_custom);
  std::printf(
      "\n| checker (A+B, 10 cases, median of %d) | per case ms | extra per case ms | aim | all AC "
      "|\n",
      n);
  std::printf("|---|---|---|---|---|\n");
  std::printf("| default | %.2f | - | - | %s |\n", base, ok_default ? "yes" : "NO");
  std::printf("| float 1e-6 | %.2f | %.2f | <= 1 ms | %s |\n", flt, flt - base,
              ok_float ? "yes" : "NO");
  std::printf(
      "| custom (compiled once, cached) | %.2f | %.2f | <= one sandbox run + the checker | %s |\n",
      cus, cus - base, ok_custom ? "yes" : "NO");
}

// One judging of `cases` A+B cases (testdata in `testdata`), timed.
struct Round {
  bool ok = false;
  bool all_ac = false;
  double total = 0, compile_call = 0, compiler = 0, runs_call = 0, programs = 0;
  double overhead() const { return total - compiler - programs; }
};

Round JudgeOnce(CaseExecutor& sandbox, const noj::runner::LanguageTable& languages,
                const fs::path& testdata, const fs::path& work, int cases) {
  TimingExecutor timing(sandbox);
  noj::runner::JudgePipeline pipeline(timing, languages, noj::runner::JudgeLimits{});
  noj::runner::JudgeInput input;
  input.language = noj::api::Language::kCpp;
  input.tasks = {noj::api::TaskSpec{100, cases, 65536, 1000}};
  input.source = kAplusB;
  input.testdata_dir = testdata;
  input.work_dir = work;
  input.box_id = 4994;  // away from the test suites' ids (4900+, 4970, 4980, 4990)
  fs::create_directories(input.work_dir);
  Round r;
  auto start = Clock::now();
  auto judged = pipeline.Judge(input, std::stop_token{});
  r.total = MsSince(start);
  fs::remove_all(input.work_dir);
  if (!judged.ok() || timing.calls.size() != static_cast<size_t>(cases) + 1) {
    std::fprintf(
        stderr, "bench_judge: judge failed: %s\n",
        judged.ok() ? "unexpected number of sandbox calls" : judged.status().message().c_str());
    return r;
  }
  r.ok = true;
  r.all_ac = true;
  for (const auto& task : *judged)
    for (const auto& c : task) r.all_ac = r.all_ac && c.status == noj::api::Verdict::kAC;
  for (size_t i = 1; i < timing.calls.size(); ++i) {
    r.runs_call += timing.calls[i].call_ms;
    r.programs += timing.calls[i].program_ms;
  }
  r.compile_call = timing.calls[0].call_ms;
  r.compiler = timing.calls[0].program_ms;
  return r;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  if (::geteuid() != 0) {
    std::fprintf(stderr, "bench_judge: run as root (noj-sandbox needs it)\n");
    return 2;
  }
  noj::runner::SandboxProcessExecutor sandbox(NOJ_SANDBOX_BIN, {});  // warm boxes
  noj::runner::SandboxProcessExecutor one_shot(NOJ_SANDBOX_BIN, {}, /*warm_boxes=*/false);
  auto probe = sandbox.Probe();
  if (!probe.ok()) {
    std::fprintf(stderr, "bench_judge: sandbox unusable: %s\n", probe.status().message().c_str());
    return 2;
  }
  auto languages = noj::runner::LanguageTable::BuiltIn();
  if (auto s = languages.ResolvePrograms("/usr/local/bin:/usr/bin:/bin"); !s.ok()) {
    std::fprintf(stderr, "bench_judge: %s\n", s.message().c_str());
    return 2;
  }
  fs::path root = fs::temp_directory_path() / ("noj-bench-judge-" + std::to_string(::getpid()));
  noj::bench::WriteAplusBTestdata(root / "testdata", 10);
  noj::bench::WriteAplusBTestdata(root / "testdata-100", 100);
  std::printf("# bench_judge: A+B in C++, 1 task x 10 cases, %d rounds; %s\n\n", rounds,
              probe->c_str());
  std::printf(
      "| round | boxes | total ms | compile call ms | compiler ms | 10 run calls ms | programs ms "
      "| overhead ms | all AC |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|\n");
  std::vector<double> warm_over, warm_total, cold_over, cold_total;
  for (int round = 0; round < rounds; ++round) {
    for (bool warm : {true, false}) {
      Round r = JudgeOnce(warm ? static_cast<CaseExecutor&>(sandbox) : one_shot, languages,
                          root / "testdata", root / ("work-" + std::to_string(round)), 10);
      if (!r.ok) {
        fs::remove_all(root);
        return 1;
      }
      (warm ? warm_over : cold_over).push_back(r.overhead());
      (warm ? warm_total : cold_total).push_back(r.total);
      std::printf("| %d | %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %s |\n", round + 1,
                  warm ? "warm" : "one-shot", r.total, r.compile_call, r.compiler, r.runs_call,
                  r.programs, r.overhead(), r.all_ac ? "yes" : "NO");
    }
  }
  CheckerCosts(sandbox, languages, root, rounds);
  std::printf("\n| figure | warm boxes | one helper per run | aim |\n|---|---|---|---|\n");
  std::printf("| judge A+B (C++, 10 cases), median total | %.0f ms | %.0f ms | - |\n",
              Median(warm_total), Median(cold_total));
  std::printf("| beyond the compiler and the programs, median | %.0f ms | %.0f ms | <= 50 ms |\n",
              Median(warm_over), Median(cold_over));
  // 100 cases of a trivial program: what one slot (one core) gets through.
  std::vector<double> warm_rate, cold_rate;
  for (int round = 0; round < std::max(1, rounds / 2); ++round) {
    for (bool warm : {true, false}) {
      Round r = JudgeOnce(warm ? static_cast<CaseExecutor&>(sandbox) : one_shot, languages,
                          root / "testdata-100", root / ("work100-" + std::to_string(round)), 100);
      if (!r.ok || !r.all_ac) {
        fs::remove_all(root);
        return 1;
      }
      double cases_ms = r.total - r.compile_call;
      (warm ? warm_rate : cold_rate).push_back(100.0 * 1000.0 / cases_ms);
    }
  }
  std::printf("| 100 cases of A+B, cases per second of one slot (median) | %.0f | %.0f | - |\n",
              Median(warm_rate), Median(cold_rate));
  fs::remove_all(root);
  return 0;
}

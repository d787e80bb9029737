// bench_rejudge: a bulk rejudge with the compile cache (docs/runner.md, "Compile cache"). N
// distinct A+B submissions in C++ (10 cases each) are judged once with an empty cache — every one
// compiled and stored: the cold pass, what a rejudge costs without the cache — and then judged
// again, as a rejudge after a testdata fix does: the warm pass, every program placed from the
// cache. Through the runner's judge pipeline and the real noj-sandbox; run as root. Prints a table.
//
//   bench_rejudge [COUNT | --quick]     (default 100 submissions; --quick: 10)

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "aplusb_testdata.h"
#include "runner/box_files.h"
#include "runner/compile_cache.h"
#include "runner/fs_util.h"
#include "runner/judge_pipeline.h"
#include "runner/sandbox_process_executor.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kCases = 10;
constexpr int kBoxId = 4996;  // away from bench_judge (4994/4995) and the test suites' ids

// Submission `i`: A+B, made distinct by a comment (each is its own compile and cache entry).
std::string Submission(int i) {
  return "// submission " + std::to_string(i) +
         "\n#include <cstdio>\nint main(){long long a,b;std::scanf(\"%lld %lld\",&a,&b);"
         "std::printf(\"%lld\\n\",a+b);}\n";
}

struct Pass {
  double seconds = 0;
  bool all_ac = true;
};

// Judges submissions 0..count-1 one after another (one slot), each in a fresh work dir.
Pass JudgeAll(noj::runner::JudgePipeline& pipeline, const fs::path& root, int count) {
  Pass pass;
  auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    noj::runner::JudgeInput input;
    input.language = noj::api::Language::kCpp;
    input.tasks = {noj::api::TaskSpec{100, kCases, 65536, 1000}};
    input.source = Submission(i);
    input.testdata_dir = root / "testdata";
    input.work_dir = root / "work";
    input.box_id = kBoxId;
    fs::create_directories(input.work_dir);
    auto cases = pipeline.Judge(input, std::stop_token{});
    if (!cases.ok()) {
      std::fprintf(stderr, "bench_rejudge: submission %d: %s\n", i,
                   cases.status().message().c_str());
      pass.all_ac = false;
    } else {
      for (const auto& task : *cases)
        for (const auto& c : task) pass.all_ac = pass.all_ac && c.status == noj::api::Verdict::kAC;
    }
    fs::remove_all(input.work_dir);
  }
  pass.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return pass;
}

// The cache's own cost of one hit: the key (sources and compiler identity hashed), the entry's
// files placed into prog/ and verified against the manifest. Median of `rounds`, ms.
double HitMs(noj::runner::CompileCache& cache, noj::runner::CaseExecutor& sandbox,
             const noj::runner::LanguageSpec& spec, const fs::path& root, int rounds) {
  std::vector<double> ms;
  for (int i = 0; i < rounds; ++i) {
    fs::path job = root / "hit";
    noj::runner::CompileRun run{.argv = noj::runner::CompileArgv(spec, {}, 65536),
                                .src = job / "src",
                                .prog = job / "prog",
                                .io = job / "io",
                                .box_id = kBoxId};
    for (const fs::path& d : {run.src, run.prog}) {
      fs::create_directories(d);
      (void)noj::runner::WriteFile(d / spec.source, Submission(0));
      (void)noj::runner::MakeReadableByBoxes(d);
    }
    fs::create_directories(run.io);
    auto start = Clock::now();
    noj::runner::CompileOutcome out = cache.Compile(sandbox, run, spec, std::stop_token{});
    double took = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    if (out.cached) ms.push_back(took);
    fs::remove_all(job);
  }
  std::sort(ms.begin(), ms.end());
  return ms.empty() ? -1 : ms[ms.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int count = 100;
  if (argc > 1) count = std::strcmp(argv[1], "--quick") == 0 ? 10 : std::max(1, std::atoi(argv[1]));
  if (::geteuid() != 0) {
    std::fprintf(stderr, "bench_rejudge: run as root (noj-sandbox needs it)\n");
    return 2;
  }
  noj::runner::SandboxProcessExecutor sandbox(NOJ_SANDBOX_BIN, {});
  auto probe = sandbox.Probe();
  if (!probe.ok()) {
    std::fprintf(stderr, "bench_rejudge: sandbox unusable: %s\n", probe.status().message().c_str());
    return 2;
  }
  auto languages = noj::runner::LanguageTable::BuiltIn();
  if (auto s = languages.ResolvePrograms(noj::runner::kBoxPath); !s.ok()) {
    std::fprintf(stderr, "bench_rejudge: %s\n", s.message().c_str());
    return 2;
  }
  fs::path root = fs::temp_directory_path() / ("noj-bench-rejudge-" + std::to_string(::getpid()));
  noj::bench::WriteAplusBTestdata(root / "testdata", kCases);
  int code = 0;
  {
    auto cache = noj::runner::CompileCache::Open(root / "compile-cache", uint64_t{1} << 30);
    if (!cache.ok()) {
      std::fprintf(stderr, "bench_rejudge: %s\n", cache.status().message().c_str());
      fs::remove_all(root);
      return 1;
    }
    noj::runner::JudgePipeline pipeline(sandbox, languages, noj::runner::JudgeLimits{}, nullptr,
                                        cache->get());
    std::printf("# bench_rejudge: %d A+B submissions in C++ (1 task x %d cases), one slot; %s\n\n",
                count, kCases, probe->c_str());
    Pass cold = JudgeAll(pipeline, root, count);
    noj::runner::CompileCacheStats after_cold = (*cache)->stats();
    Pass warm = JudgeAll(pipeline, root, count);
    noj::runner::CompileCacheStats after_warm = (*cache)->stats();
    std::printf("| pass | total s | per submission ms | compiles | cache hits | all AC |\n");
    std::printf("|---|---|---|---|---|---|\n");
    std::printf("| cold cache (first judge) | %.1f | %.0f | %llu | %llu | %s |\n", cold.seconds,
                1000 * cold.seconds / count, static_cast<unsigned long long>(after_cold.misses),
                static_cast<unsigned long long>(after_cold.hits), cold.all_ac ? "yes" : "NO");
    std::printf("| warm cache (rejudge) | %.1f | %.0f | %llu | %llu | %s |\n", warm.seconds,
                1000 * warm.seconds / count,
                static_cast<unsigned long long>(after_warm.misses - after_cold.misses),
                static_cast<unsigned long long>(after_warm.hits - after_cold.hits),
                warm.all_ac ? "yes" : "NO");
    std::printf("\n| figure | measured |\n|---|---|\n");
    std::printf("| rejudge speed-up, cold / warm | %.1fx |\n",
                warm.seconds > 0 ? cold.seconds / warm.seconds : 0.0);
    std::printf("| one cache hit (key, place, verify), median of 20 | %.2f ms |\n",
                HitMs(**cache, sandbox, *languages.Find(noj::api::Language::kCpp), root, 20));
    std::printf("| cache size after %d programs | %.1f MiB |\n", count,
                static_cast<double>(after_warm.bytes) / (1 << 20));
    if (!cold.all_ac || !warm.all_ac) code = 1;
  }
  fs::remove_all(root);
  return code;
}

// bench_languages: per shipped language of config/languages.toml, A+B with 10 cases judged
// through the runner's pipeline and the real noj-sandbox, against the same commands run bare
// (fork + execve + wait, same argv and env, no sandbox). Prints one table: compile ms (the whole
// noj-sandbox call vs the bare compiler), per-case ms (the whole noj-sandbox call of one case vs
// the bare program) and what the sandbox adds per case (aim: <= 5 ms). Medians over the rounds
// (each round: one judge = one compile + 10 cases, then the bare compile + 10 bare runs,
// interleaved so both see the same machine load). Run as root.
//
//   bench_languages [ROUNDS] [--languages FILE]     (default 3, config/languages.toml)

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "../judge/aplusb_testdata.h"
#include "runner/fs_util.h"
#include "runner/judge_pipeline.h"
#include "runner/languages_file.h"
#include "runner/sandbox_process_executor.h"

namespace {

namespace fs = std::filesystem;
using noj::runner::CaseExecutor;
using noj::runner::LanguageSpec;
using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

// Times every sandbox call as the runner sees it (the whole noj-sandbox invocation).
class TimingExecutor final : public CaseExecutor {
 public:
  explicit TimingExecutor(CaseExecutor& inner) : inner_(inner) {}
  noj::sandbox::RunResult Execute(const noj::sandbox::RunRequest& request,
                                  std::stop_token stop) override {
    auto start = Clock::now();
    noj::sandbox::RunResult r = inner_.Execute(request, stop);
    call_ms.push_back(MsSince(start));
    return r;
  }
  std::vector<double> call_ms;

 private:
  CaseExecutor& inner_;
};

// A+B in each shipped language, by the entry's key.
const std::map<std::string, std::string> kPrograms = {
    {"cpp20",
     "#include <cstdio>\nint main(){long long a,b;std::scanf(\"%lld %lld\",&a,&b);"
     "std::printf(\"%lld\\n\",a+b);}\n"},
    {"java",
     "import java.util.*;\npublic class Main { public static void main(String[] x) {"
     " Scanner s = new Scanner(System.in); long a = s.nextLong(), b = s.nextLong();"
     " System.out.println(a + b); } }\n"},
    {"rust",
     "use std::io::Read;\nfn main() { let mut s = String::new();"
     " std::io::stdin().read_to_string(&mut s).unwrap();"
     " let v: Vec<i64> = s.split_whitespace().map(|t| t.parse().unwrap()).collect();"
     " println!(\"{}\", v[0] + v[1]); }\n"},
    {"go",
     "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tvar a, b int64\n\tfmt.Scan(&a, &b)\n"
     "\tfmt.Println(a + b)\n}\n"},
    {"pypy3", "a, b = map(int, input().split())\nprint(a + b)\n"},
    {"javascript",
     "const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\\s+/).map(Number);\n"
     "console.log(a + b);\n"},
};

constexpr int kCases = 10;
constexpr int64_t kMemoryKib = 256 * 1024;

// Runs argv bare in `dir` with exactly `env` (+ the box's PATH), stdin from `in` (or
// /dev/null), stdout and stderr to `out`; the wall time of fork → wait, -1 on failure.
double RunBare(const std::vector<std::string>& argv, std::vector<std::string> env,
               const fs::path& dir, const fs::path& in, const fs::path& out) {
  if (std::none_of(env.begin(), env.end(),
                   [](const std::string& e) { return e.starts_with("PATH="); }))
    env.push_back(std::string("PATH=") + noj::runner::kBoxPath);
  std::vector<char*> args, envp;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  for (const std::string& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  args.push_back(nullptr);
  envp.push_back(nullptr);
  auto start = Clock::now();
  pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int i = ::open(in.empty() ? "/dev/null" : in.c_str(), O_RDONLY);
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (i < 0 || o < 0 || ::dup2(i, 0) < 0 || ::dup2(o, 1) < 0 || ::dup2(o, 2) < 0 ||
        ::chdir(dir.c_str()) != 0)
      ::_exit(126);
    ::execve(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  double ms = MsSince(start);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? ms : -1;
}

// The entry's env for a bare run: values under /tmp (Go's cache and home, private to each box)
// moved into `scratch`, so the bare compile starts as cold as the boxed one.
std::vector<std::string> BareEnv(const LanguageSpec& spec, const fs::path& scratch) {
  std::vector<std::string> env;
  for (const std::string& kv : spec.env) {
    size_t eq = kv.find('=');
    std::string value = kv.substr(eq + 1);
    env.push_back(value.starts_with("/tmp/")
                      ? kv.substr(0, eq + 1) + (scratch / value.substr(5)).string()
                      : kv);
  }
  return env;
}

struct Figures {
  std::vector<double> compile_box, compile_bare, case_box, case_bare;
  bool all_ac = true;
  std::string failure;
};

void BenchOne(CaseExecutor& sandbox, const noj::runner::LanguageTable& languages,
              const LanguageSpec& spec, const fs::path& root, int round, Figures& f) {
  const fs::path testdata = root / "testdata";
  // Boxed: one judge through the pipeline.
  TimingExecutor timing(sandbox);
  noj::runner::JudgePipeline pipeline(timing, languages, noj::runner::JudgeLimits{});
  noj::runner::JudgeInput input;
  input.language = static_cast<noj::api::Language>(spec.code);
  input.tasks = {noj::api::TaskSpec{100, kCases, kMemoryKib, 2000}};
  input.source = kPrograms.at(spec.key);
  input.testdata_dir = testdata;
  input.work_dir = root / ("work-" + spec.key + "-" + std::to_string(round));
  input.box_id = 4969;  // this bench's own (the languages suite has 4960-4969)
  fs::create_directories(input.work_dir);
  auto cases = pipeline.Judge(input, std::stop_token{});
  const size_t expected_calls = kCases + (spec.compile.empty() ? 0 : 1);
  if (!cases.ok() || timing.call_ms.size() != expected_calls) {
    f.failure = cases.ok() ? "unexpected number of sandbox calls" : cases.status().message();
    return;
  }
  for (const auto& task : *cases)
    for (const auto& c : task) {
      if (c.status != noj::api::Verdict::kAC && f.failure.empty())
        f.failure =
            std::string(noj::api::VerdictName(c.status)) + ": " + c.stderr_text.substr(0, 300);
      f.all_ac = f.all_ac && c.status == noj::api::Verdict::kAC;
    }
  size_t first_case = 0;
  if (!spec.compile.empty()) f.compile_box.push_back(timing.call_ms[first_case++]);
  for (size_t i = first_case; i < timing.call_ms.size(); ++i)
    f.case_box.push_back(timing.call_ms[i]);
  fs::remove_all(input.work_dir);

  // Bare: the same argv and env in a plain directory.
  const fs::path dir = root / ("bare-" + spec.key + "-" + std::to_string(round));
  const fs::path scratch = dir / "tmp";
  fs::create_directories(scratch);
  (void)noj::runner::WriteFile(dir / spec.source, input.source);
  const std::vector<std::string> env = BareEnv(spec, scratch);
  if (!spec.compile.empty()) {
    double ms =
        RunBare(noj::runner::CompileArgv(spec, {}, kMemoryKib), env, dir, {}, dir / "compile.out");
    if (ms < 0) {
      f.failure = "bare compile failed: " + noj::runner::ReadFilePrefix(dir / "compile.out", 300);
      return;
    }
    f.compile_bare.push_back(ms);
  }
  const std::vector<std::string> run = noj::runner::ExpandArgv(spec.run, spec, kMemoryKib);
  for (int c = 0; c < kCases; ++c) {
    char name[16];
    std::snprintf(name, sizeof name, "00%02d.in", c);
    double ms = RunBare(run, env, dir, testdata / name, dir / "case.out");
    if (ms < 0) {
      f.failure = "bare run failed: " + noj::runner::ReadFilePrefix(dir / "case.out", 300);
      return;
    }
    f.case_bare.push_back(ms);
  }
  fs::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 3;
  std::string file = NOJ_SOURCE_DIR "/config/languages.toml";
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--languages") == 0 && i + 1 < argc) {
      file = argv[++i];
    } else {
      rounds = std::max(1, std::atoi(argv[i]));
    }
  }
  if (::geteuid() != 0) {
    std::fprintf(stderr, "bench_languages: run as root (noj-sandbox needs it)\n");
    return 2;
  }
  noj::runner::SandboxProcessExecutor sandbox(NOJ_SANDBOX_BIN, {});
  auto probe = sandbox.Probe();
  if (!probe.ok()) {
    std::fprintf(stderr, "bench_languages: sandbox unusable: %s\n",
                 probe.status().message().c_str());
    return 2;
  }
  noj::runner::LanguageTable languages;
  if (auto s = noj::runner::LoadLanguagesFile(file, languages); !s.ok()) {
    std::fprintf(stderr, "bench_languages: %s\n", s.message().c_str());
    return 2;
  }
  for (const auto& u : languages.ResolveAvailable(noj::runner::kBoxPath))
    std::printf("# [%s] (%d) skipped: %s not found in %s\n", u.key.c_str(), u.code,
                u.program.c_str(), noj::runner::kBoxPath);

  fs::path root = fs::temp_directory_path() / ("noj-bench-languages-" + std::to_string(::getpid()));
  noj::bench::WriteAplusBTestdata(root / "testdata", kCases);
  std::printf("# bench_languages: A+B, 1 task x %d cases, %d rounds, medians; %s\n\n", kCases,
              rounds, probe->c_str());
  std::printf(
      "| language | compile ms sandbox | compile ms bare | per case ms sandbox | per case ms "
      "bare | added ms per case | aim <= 5 ms | all AC |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  int failures = 0;
  for (const auto& [code, spec] : languages.entries()) {
    if (!kPrograms.contains(spec.key)) continue;  // the built-ins and an operator's own entries
    Figures f;
    for (int round = 0; round < rounds && f.failure.empty(); ++round)
      BenchOne(sandbox, languages, spec, root, round, f);
    if (!f.failure.empty()) {
      ++failures;
      std::printf("| %s (%d) | failed: %s |\n", spec.name.c_str(), code, f.failure.c_str());
      continue;
    }
    double box = Median(f.case_box), bare = Median(f.case_bare);
    auto compile = [&](const std::vector<double>& v) {
      return v.empty() ? std::string("-") : std::to_string(static_cast<int>(Median(v) + 0.5));
    };
    std::printf("| %s (%d) | %s | %s | %.1f | %.1f | %.1f | %s | %s |\n", spec.name.c_str(), code,
                compile(f.compile_box).c_str(), compile(f.compile_bare).c_str(), box, bare,
                box - bare, box - bare <= 5 ? "met" : "MISSED", f.all_ac ? "yes" : "NO");
    std::fflush(stdout);
  }
  fs::remove_all(root);
  return failures == 0 ? 0 : 1;
}

// Every shipped language of config/languages.toml judged end to end in the real noj-sandbox
// (issue 14; docs/languages.md, "Shipped languages"): the file loaded with the runner's loader,
// the real JudgePipeline and SandboxProcessExecutor. Per language one A+B program, compiled once,
// whose behaviour the case's first number picks, so one judge covers AC, WA, RE, TLE and MLE
// (each its own task with its own limits); a second submission that does not compile is CE.
// A language whose compiler or runtime is not installed skips with the program it lacks; the
// whole suite skips without root or the sandbox's protections, and the MLE task runs only when
// the sandbox enforces the memory and pids cgroups (--require cgroup-mem,cgroup-pids).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "runner/fs_util.h"
#include "runner/judge_pipeline.h"
#include "runner/languages_file.h"
#include "runner/sandbox_process_executor.h"
#include "support/host_check.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using api::Verdict;

// The behaviour by the first number a of the case's input "a b":
//   -1 spin forever (TLE)   -2 keep allocating and touching 1 MiB blocks (MLE)
//   -3 fail at runtime (RE) -4 print a*b (WA)   anything else: a+b (AC)
struct LanguageCase {
  const char* key;  // the section of config/languages.toml
  int code;
  const char* program;
  const char* compile_error;  // a source its compile step refuses
};

constexpr char kCpp20[] = R"(#include <concepts>
#include <cstdio>
#include <vector>
auto add(std::integral auto x, std::integral auto y) { return x + y; }  // C++20 only
int main() {
  long long a, b;
  if (std::scanf("%lld %lld", &a, &b) != 2) return 1;
  if (a == -1) { volatile unsigned long long x = 1; for (;;) x = x * 31 + 7; }
  if (a == -2) { std::vector<std::vector<char>> keep; for (;;) keep.emplace_back(1 << 20, 'x'); }
  if (a == -3) { std::vector<int> v; return v.at(static_cast<size_t>(b) + 5); }
  std::printf("%lld\n", a == -4 ? a * b : add(a, b));
}
)";

constexpr char kJava[] = R"(import java.io.*;
import java.util.*;
public class Main {
  public static void main(String[] args) throws IOException {
    StringTokenizer in = new StringTokenizer(new BufferedReader(new InputStreamReader(System.in)).readLine());
    long a = Long.parseLong(in.nextToken()), b = Long.parseLong(in.nextToken());
    if (a == -1) { long x = 1; while (true) { x = x * 31 + 7; if (x == 42) System.out.println(x); } }
    if (a == -2) {
      List<int[]> keep = new ArrayList<>();
      for (int i = 0; ; i++) { int[] block = new int[1 << 18]; Arrays.fill(block, i); keep.add(block); }
    }
    if (a == -3) { int[] v = new int[1]; System.out.println(v[(int) b + 5]); }
    System.out.println(a == -4 ? a * b : a + b);
  }
}
)";

constexpr char kRust[] = R"(use std::io::Read;
fn main() {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s).unwrap();
    let v: Vec<i64> = s.split_whitespace().map(|t| t.parse().unwrap()).collect();
    let (a, b) = (v[0], v[1]);
    if a == -1 {
        let mut x: u64 = 1;
        loop { x = x.wrapping_mul(31).wrapping_add(7); if x == 42 { println!("{}", x); } }
    }
    if a == -2 {
        let mut keep: Vec<Vec<u8>> = Vec::new();
        loop {
            keep.push(vec![(keep.len() % 200) as u8 + 1; 1 << 20]);
            let last = keep.last().unwrap();
            unsafe { std::ptr::read_volatile(&last[last.len() / 2]) };
        }
    }
    if a == -3 { let e: Vec<i64> = Vec::new(); println!("{}", e[(b + 5) as usize]); }
    println!("{}", if a == -4 { a * b } else { a + b });
}
)";

constexpr char kGo[] = R"(package main

import (
	"bufio"
	"fmt"
	"os"
)

func main() {
	var a, b int64
	fmt.Fscan(bufio.NewReader(os.Stdin), &a, &b)
	if a == -1 {
		x := uint64(1)
		for {
			x = x*31 + 7
			if x == 42 {
				fmt.Println(x)
			}
		}
	}
	if a == -2 {
		var keep [][]byte
		for {
			block := make([]byte, 1<<20)
			for i := range block {
				block[i] = 1
			}
			keep = append(keep, block)
		}
	}
	if a == -3 {
		var v []int64
		fmt.Println(v[b+5])
	}
	if a == -4 {
		fmt.Println(a * b)
		return
	}
	fmt.Println(a + b)
}
)";

constexpr char kPyPy[] = R"(import sys
a, b = map(int, sys.stdin.read().split())
if a == -1:
    x = 1
    while True:
        x = (x * 31 + 7) % 1000003
if a == -2:
    keep = []
    while True:
        keep.append([len(keep)] * (1 << 17))
if a == -3:
    raise RuntimeError("boom")
print(a * b if a == -4 else a + b)
)";

constexpr char kJavaScript[] =
    R"(const [a, b] = require('fs').readFileSync(0, 'utf8').trim().split(/\s+/).map(Number);
if (a === -1) { let x = 1; for (;;) { x = (x * 31 + 7) % 1000003; if (x === -5) console.log(x); } }
if (a === -2) { const keep = []; for (let i = 0; ; i++) keep.push(new Array(1 << 17).fill(i)); }
if (a === -3) { null.boom(); }
console.log(a === -4 ? a * b : a + b);
)";

void PrintTo(const LanguageCase& c, std::ostream* os) { *os << c.key; }

const LanguageCase kLanguages[] = {
    {"cpp20", 4, kCpp20, "int main() { return x; }\n"},
    {"java", 5, kJava, "public class Main { public static void main(String[] a) { int x = ; } }\n"},
    {"rust", 6, kRust, "fn main() { let x: i32 = \"no\"; }\n"},
    {"go", 7, kGo, "package main\n\nfunc main() { x := 1 }\n"},
    {"pypy3", 8, kPyPy, "print(1\n"},
    {"javascript", 9, kJavaScript, "const x = ;\n"},
};

// Passes every request to `inner` and remembers it: what the box was given (its command line).
class RecordingExecutor final : public CaseExecutor {
 public:
  sandbox::RunResult Execute(const sandbox::RunRequest& request, std::stop_token stop) override {
    requests_.push_back(request);
    return inner->Execute(request, stop);
  }
  const std::vector<sandbox::RunRequest>& requests() const { return requests_; }

  CaseExecutor* inner = nullptr;

 private:
  std::vector<sandbox::RunRequest> requests_;
};

constexpr int kBoxId = 4960;  // this suite's own (RESOURCE_LOCK languages_boxes)
constexpr int64_t kTimeMs = 1000;
constexpr int64_t kMemoryKib = 128 * 1024;
constexpr int64_t kTleTimeMs = 300;
constexpr int64_t kMleMemoryKib = 32 * 1024;
// The MLE task's time is generous: its program dies by memory long before, but on a loaded CI
// machine (ctest -j3 on 2 cores) a starved PyPy once reached the 2 s wall limit at 522 ms of CPU
// and 73 MiB, a TLE that says nothing of the memory limit under test.
constexpr int64_t kMleTimeMs = 4000;
enum Task { kAcTask, kWaTask, kReTask, kTleTask, kMleTask };

class LanguagesSandbox : public ::testing::TestWithParam<LanguageCase> {
 protected:
  void SetUp() override {
    if (std::string why = noj::testing::MissingRoot(); !why.empty()) GTEST_SKIP() << why;
    auto probe = sandbox_.Probe();
    if (!probe.ok()) GTEST_SKIP() << "noj-sandbox --probe: " << probe.status().message();
    // MLE programs only where the memory and pids limits are enforced (else the sandbox refuses).
    memory_enforced_ = guarded_.Probe().ok();
    recorder_.inner = memory_enforced_ ? &guarded_ : &sandbox_;
    // The shipped file must load: a broken file fails here, it does not skip.
    ASSERT_OK(LoadLanguagesFile(NOJ_SOURCE_DIR "/config/languages.toml", languages_));
    for (const UnavailableLanguage& u : languages_.ResolveAvailable(kBoxPath))
      if (u.code == GetParam().code)
        GTEST_SKIP() << "[" << u.key << "] toolchain not installed: " << u.program
                     << " not found in " << kBoxPath;
    spec_ = languages_.Find(GetParam().code);
    ASSERT_NE(spec_, nullptr) << "config/languages.toml lacks code " << GetParam().code;
    ASSERT_EQ(spec_->key, GetParam().key);
  }

  // One task per verdict: its own limits, one case each (two for AC).
  api::TaskSpecs Tasks() {
    struct Case {
      const char* in;
      const char* out;
    };
    struct TaskCases {
      int64_t time_ms, memory_kib;
      std::vector<Case> cases;
    };
    std::vector<TaskCases> tasks = {
        {kTimeMs, kMemoryKib, {{"1 2\n", "3\n"}, {"40 2\n", "42\n"}}},  // AC
        {kTimeMs, kMemoryKib, {{"-4 5\n", "1\n"}}},                     // WA
        {kTimeMs, kMemoryKib, {{"-3 0\n", "-3\n"}}},                    // RE
        {kTleTimeMs, kMemoryKib, {{"-1 0\n", "-1\n"}}},                 // TLE
    };
    if (memory_enforced_) tasks.push_back({kMleTimeMs, kMleMemoryKib, {{"-2 0\n", "-2\n"}}});
    api::TaskSpecs specs;
    for (size_t t = 0; t < tasks.size(); ++t) {
      for (size_t c = 0; c < tasks[t].cases.size(); ++c) {
        char name[48];
        std::snprintf(name, sizeof name, "%02zu%02zu", t, c);
        EXPECT_OK(WriteFile(testdata_ / (std::string(name) + ".in"), tasks[t].cases[c].in));
        EXPECT_OK(WriteFile(testdata_ / (std::string(name) + ".out"), tasks[t].cases[c].out));
      }
      specs.push_back({.score = t == 0 ? 100 - 20 * static_cast<int>(tasks.size() - 1) : 20,
                       .case_count = static_cast<int>(tasks[t].cases.size()),
                       .memory_limit_kib = tasks[t].memory_kib,
                       .time_limit_ms = tasks[t].time_ms});
    }
    return specs;
  }

  Result<api::ReportedCases> Judge(std::string source, api::TaskSpecs tasks) {
    static int run = 0;
    JudgeInput in{.language = static_cast<api::Language>(GetParam().code),
                  .tasks = std::move(tasks),
                  .source = std::move(source),
                  .testdata_dir = testdata_,
                  .work_dir = tmp_.path() / ("work" + std::to_string(run++)),
                  .box_id = kBoxId};
    JudgePipeline pipeline(recorder_, languages_, JudgeLimits{});
    return pipeline.Judge(in, {});
  }

  // The request of the case whose input is `<task>00.in`.
  const sandbox::RunRequest* RequestOf(int task) const {
    char name[16];
    std::snprintf(name, sizeof name, "/%02d00.in", task);
    for (const sandbox::RunRequest& r : recorder_.requests())
      if (r.stdin_path.ends_with(name)) return &r;
    return nullptr;
  }

  noj::testing::TempDir tmp_;
  std::filesystem::path testdata_ = tmp_.path() / "testdata";
  LanguageTable languages_ = LanguageTable::BuiltIn();
  const LanguageSpec* spec_ = nullptr;
  bool memory_enforced_ = false;
  SandboxProcessExecutor sandbox_{NOJ_SANDBOX_BINARY, {}};
  SandboxProcessExecutor guarded_{NOJ_SANDBOX_BINARY, {"cgroup-mem", "cgroup-pids"}};
  RecordingExecutor recorder_;
};

TEST_P(LanguagesSandbox, EachVerdictOfAPlusB) {
  ASSERT_OK(MakeDirs(testdata_));
  api::TaskSpecs tasks = Tasks();
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, Judge(GetParam().program, tasks));
  ASSERT_EQ(cases.size(), tasks.size());
  auto expect = [&](int task, Verdict v) {
    for (const api::CaseResult& c : cases[static_cast<size_t>(task)])
      EXPECT_EQ(c.status, v) << "task " << task << ": " << api::VerdictName(c.status)
                             << " exit=" << c.exit_code << " time=" << c.exec_time_ms
                             << "ms memory=" << c.memory_kib << "KiB stdout=" << c.stdout_text
                             << " stderr=" << c.stderr_text.substr(0, 600);
  };
  expect(kAcTask, Verdict::kAC);
  EXPECT_EQ(cases[kAcTask][1].stdout_text, "42\n");
  expect(kWaTask, Verdict::kWA);
  expect(kReTask, Verdict::kRE);
  expect(kTleTask, Verdict::kTLE);
  if (memory_enforced_) expect(kMleTask, Verdict::kMLE);

  // The box was given the task's limits scaled by the entry (judging.md §5).
  const sandbox::RunRequest* tle = RequestOf(kTleTask);
  ASSERT_NE(tle, nullptr);
  const int64_t scaled = std::llround(static_cast<double>(kTleTimeMs) * spec_->time_factor);
  EXPECT_EQ(tle->limits.cpu_ms, scaled);
  EXPECT_EQ(tle->limits.memory_kib, kMemoryKib + spec_->extra_memory_kib);
  if (memory_enforced_) {
    const sandbox::RunRequest* mle = RequestOf(kMleTask);
    ASSERT_NE(mle, nullptr);
    EXPECT_EQ(mle->limits.memory_kib, kMleMemoryKib + spec_->extra_memory_kib);
  } else {
    std::printf("[ SKIPPED  ] MLE task: the sandbox does not enforce cgroup-mem,cgroup-pids\n");
  }
}

TEST_P(LanguagesSandbox, ASourceThatDoesNotCompileIsCompileError) {
  ASSERT_OK(MakeDirs(testdata_));
  ASSERT_OK(WriteFile(testdata_ / "0000.in", "1 2\n"));
  ASSERT_OK(WriteFile(testdata_ / "0000.out", "3\n"));
  ASSERT_OK_AND_ASSIGN(api::ReportedCases cases,
                       Judge(GetParam().compile_error, {{.score = 100,
                                                         .case_count = 1,
                                                         .memory_limit_kib = kMemoryKib,
                                                         .time_limit_ms = kTimeMs}}));
  ASSERT_EQ(cases.size(), 1u);
  ASSERT_EQ(cases[0].size(), 1u);
  EXPECT_EQ(cases[0][0].status, Verdict::kCE) << api::VerdictName(cases[0][0].status);
  EXPECT_FALSE(cases[0][0].stderr_text.empty()) << "the compiler's message is reported";
}

INSTANTIATE_TEST_SUITE_P(Shipped, LanguagesSandbox, ::testing::ValuesIn(kLanguages),
                         [](const ::testing::TestParamInfo<LanguageCase>& info) {
                           return std::string(info.param.key);
                         });

}  // namespace
}  // namespace noj::runner

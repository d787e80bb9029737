// bench_interactive: interactive A+B (examples/problems/interactive) with 1 and with 1,000 round
// trips, the program and the interactor in two noj-sandbox boxes joined by pipes, as noj-runner
// runs them — against the same two programs joined by bare pipes. Wall time per round trip is
// the difference between the two sizes over 999. Run as root. Prints a table.
//
//   bench_interactive [ROUNDS]      (default 5)

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "runner/child_process.h"
#include "runner/fs_util.h"
#include "runner/owned_fd.h"
#include "runner/sandbox_process_executor.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr int kProgramBox = 4996;  // bench_sandbox uses 4998, bench_judge 4990
constexpr int kInteractorBox = 4997;
constexpr int kRoundTrips = 1000;

double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

bool Compile(const fs::path& source, const fs::path& out) {
  auto r = noj::runner::RunChild({"/usr/bin/g++", "-O2", "-o", out.string(), source.string()},
                                 {.backstop = std::chrono::seconds(300)}, {});
  return r.ok() && r->wait_status == 0;
}

// n pairs; the interactor sends each and waits for its sum: n round trips.
void WriteInput(const fs::path& path, int n) {
  std::string text = std::to_string(n) + "\n";
  for (int i = 0; i < n; ++i)
    text += std::to_string(i * 7919 % 100003) + " " + std::to_string(i) + "\n";
  if (!noj::runner::WriteFile(path, text).ok()) std::abort();
}

// The two programs joined by two pipes, nothing else: the floor the sandbox adds to.
double BareRun(const fs::path& program, const fs::path& interactor, const fs::path& input,
               const fs::path& tout) {
  auto to_interactor = noj::runner::MakePipe(), to_program = noj::runner::MakePipe();
  if (!to_interactor.ok() || !to_program.ok()) std::abort();
  auto spawn = [](const fs::path& path, std::vector<std::string> args, int in, int out) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in, 0);
    posix_spawn_file_actions_adddup2(&actions, out, 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    if (posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ) != 0) std::abort();
    posix_spawn_file_actions_destroy(&actions);
    return pid;
  };
  auto start = Clock::now();
  pid_t p = spawn(program, {program.string()}, to_program->read.get(), to_interactor->write.get());
  pid_t q = spawn(interactor, {interactor.string(), input.string(), tout.string()},
                  to_interactor->read.get(), to_program->write.get());
  *to_interactor = noj::runner::Pipe{};
  *to_program = noj::runner::Pipe{};
  int status = 0;
  ::waitpid(p, &status, 0);
  ::waitpid(q, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::fprintf(stderr, "bare run failed\n");
  return MsSince(start);
}

struct Figures {
  std::vector<double> call_ms, program_ms, interactor_ms;
};

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 5;
  if (::geteuid() != 0) {
    std::fprintf(stderr, "bench_interactive: run as root (noj-sandbox needs it)\n");
    return 2;
  }
  noj::runner::SandboxProcessExecutor sandbox(NOJ_SANDBOX_BIN, {});
  if (auto probe = sandbox.Probe(); !probe.ok()) {
    std::fprintf(stderr, "bench_interactive: sandbox unusable: %s\n",
                 probe.status().message().c_str());
    return 2;
  }
  fs::path example = fs::path(NOJ_SOURCE_DIR) / "examples/problems/interactive";
  fs::path root =
      fs::temp_directory_path() / ("noj-bench-interactive-" + std::to_string(::getpid()));
  fs::create_directories(root / "prog");
  fs::create_directories(root / "inter");
  fs::create_directories(root / "io");
  if (!Compile(example / "solutions/ac.cpp", root / "prog/main") ||
      !Compile(example / "testdata/interactor/interactor.cpp", root / "inter/interactor")) {
    std::fprintf(stderr, "bench_interactive: g++ failed\n");
    return 2;
  }
  std::printf(
      "| interactive A+B (%d rounds, p50) | round trips | call ms | program wall ms "
      "| interactor wall ms |\n|---|---|---|---|---|\n",
      rounds);
  double sandbox_ms[2] = {0, 0}, call_ms[2] = {0, 0}, bare_ms[2] = {0, 0};
  int sizes[2] = {1, kRoundTrips};
  for (int s = 0; s < 2; ++s) {
    WriteInput(root / "inter/input", sizes[s]);
    noj::sandbox::RunRequest program, interactor;
    program.box_dir = (root / "prog").string();
    program.box_mode = noj::sandbox::BoxMode::kScratch;
    program.box_id = kProgramBox;
    program.argv = {"./main"};
    program.limits.cpu_ms = 5000;
    interactor.box_dir = (root / "inter").string();
    interactor.box_mode = noj::sandbox::BoxMode::kScratch;
    interactor.box_id = kInteractorBox;
    interactor.argv = {"./interactor", "input", "tout"};
    interactor.stderr_path = (root / "io/interactor.err").string();
    interactor.limits.cpu_ms = 10000;
    interactor.limits.memory_kib = 1 << 20;
    Figures f;
    std::vector<double> bare;
    for (int r = 0; r < rounds; ++r) {
      auto start = Clock::now();
      auto [p, q] = sandbox.ExecuteInteractive(program, interactor, {});
      f.call_ms.push_back(MsSince(start));
      if (p.verdict != noj::sandbox::Verdict::kOk || q.verdict != noj::sandbox::Verdict::kOk) {
        std::fprintf(stderr, "bench_interactive: run failed: %s %s %s\n", p.error.c_str(),
                     q.error.c_str(),
                     noj::runner::ReadFilePrefix(root / "io/interactor.err", 500).c_str());
        return 1;
      }
      f.program_ms.push_back(static_cast<double>(p.wall_ms));
      f.interactor_ms.push_back(static_cast<double>(q.wall_ms));
      bare.push_back(BareRun(root / "prog/main", root / "inter/interactor", root / "inter/input",
                             root / "io/bare.tout"));
    }
    sandbox_ms[s] = Median(f.program_ms);
    call_ms[s] = Median(f.call_ms);
    bare_ms[s] = Median(bare);
    std::printf("| two boxes, pipes | %d | %.1f | %.1f | %.1f |\n", sizes[s], Median(f.call_ms),
                Median(f.program_ms), Median(f.interactor_ms));
    std::printf("| bare pipes, no sandbox | %d | %.1f | — | — |\n", sizes[s], Median(bare));
  }
  auto per_trip_us = [](const double ms[2]) {
    return (ms[1] - ms[0]) * 1000.0 / (kRoundTrips - 1);
  };
  std::printf(
      "\nwall per round trip (1,000 vs 1 trip, p50): two boxes %.1f us (program wall), "
      "%.1f us (whole call); bare pipes %.1f us\n",
      per_trip_us(sandbox_ms), per_trip_us(call_ms), per_trip_us(bare_ms));
  std::error_code ec;
  fs::remove_all(root, ec);
  return 0;
}

// noj-runner: wiring only — flags, logging, the libcurl client, the noj-sandbox executor, signals.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

#include "common/clock.h"
#include "common/logging.h"
#include "runner/client/curl/curl_http_client.h"
#include "runner/compile_cache.h"
#include "runner/fake_judge.h"
#include "runner/fs_util.h"
#include "runner/probe.h"
#include "runner/runner.h"
#include "runner/runner_flags.h"
#include "runner/sandbox_process_executor.h"
#include "runner/sleeper.h"
#include "runner/speed_score.h"
#include "runner/trash_bin.h"
#include "sandbox/protections.h"

namespace {

using namespace noj;
using namespace noj::runner;

sigset_t HandledSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

// SIGTERM or a first SIGINT: drain. A second SIGINT: stop now.
void WatchSignals(std::stop_token stop, Runner& runner) {
  sigset_t set = HandledSignals();
  int interrupts = 0;
  timespec tick{0, 200 * 1000 * 1000};
  while (!stop.stop_requested()) {
    int sig = ::sigtimedwait(&set, nullptr, &tick);
    if (sig == SIGINT && ++interrupts >= 2) {
      NOJ_LOG_WARN("event=signal signal=SIGINT action=stop_now");
      runner.RequestStopNow();
    } else if (sig == SIGINT || sig == SIGTERM) {
      NOJ_LOG_INFO("event=signal signal={} action=drain", sig == SIGINT ? "SIGINT" : "SIGTERM");
      runner.RequestDrain();
    }
  }
}

std::filesystem::path DefaultSandboxPath() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "noj-sandbox";
  return self.parent_path() / "noj-sandbox";
}

// Leftovers of an earlier run (a crash, a kill) are moved aside and removed in the background:
// a contestant's tree may take long to remove, or not be removable at all, and neither may stop
// the runner from starting (with Restart=always, a runner that exits 1 here loops for ever).
std::unique_ptr<TrashBin> StartTrash(const std::filesystem::path& work_dir) {
  auto trash = TrashBin::Open(work_dir / ".trash");
  if (trash.ok()) {
    MoveLeftoversAside(work_dir, ".lock", **trash);
    return std::move(trash).value();
  }
  NOJ_LOG_WARN("event=trash_unavailable error=\"{}\"", trash.status().message());
  if (Status s = RemoveChildrenExcept(work_dir, ".lock"); !s.ok())  // in place, then
    NOJ_LOG_WARN("event=workdir_cleanup_failed error=\"{}\"", s.message());
  return nullptr;
}

// --probe: the table (built-ins + --languages) as this machine sees it, for the operator.
int Probe(const RunnerFlags& flags) {
  auto table = LoadLanguageTable(flags);
  if (!table.ok()) {
    std::fprintf(stderr, "noj-runner: %s\n", table.status().message().c_str());
    return kExitFailure;
  }
  for (const ProbeLine& line : ProbeLanguages(*table, kBoxPath, BareVersionCommand()))
    std::printf("%s\n", FormatProbeLine(line, kBoxPath).c_str());
  return kExitOk;
}

int Fail(const Status& s) {
  NOJ_LOG_ERROR("event=startup_failed error=\"{}\"", s.message());
  spdlog::shutdown();
  return kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  sigset_t signals = HandledSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // every thread inherits it; one thread waits
  ::signal(SIGPIPE, SIG_IGN);

  RunnerFlags flags;
  if (int rc = ParseRunnerFlags(argc, argv, &flags); rc >= 0) return rc;
  if (flags.probe) return Probe(flags);
  if (Status s = CheckFakeJudgeAllowed(flags.fake_judge, std::getenv(kAllowFakeJudgeEnv));
      !s.ok()) {
    std::fprintf(stderr, "noj-runner: %s\n", s.message().c_str());
    return kExitUnauthorized;
  }
  if (Status s = logging::Init(flags.log_level, flags.log_format); !s.ok()) {
    std::fprintf(stderr, "noj-runner: %s\n", s.message().c_str());
    return kExitFailure;
  }
  NOJ_LOG_INFO("event=config {}", DescribeFlags(flags));
  auto options = BuildRunnerOptions(flags);
  if (!options.ok()) return Fail(options.status());

  std::filesystem::path sandbox_path =
      flags.sandbox.empty() ? DefaultSandboxPath() : std::filesystem::path(flags.sandbox);
  SandboxProcessExecutor executor(sandbox_path, sandbox::SplitList(flags.require_isolation),
                                  flags.warm_boxes);
  RealSleeper sleeper;
  RunnerMetrics metrics;
  if (!flags.metrics_listen.empty()) {
    if (Status s = metrics.Listen(flags.metrics_listen); !s.ok()) return Fail(s);
    NOJ_LOG_INFO("event=metrics_listening address={} port={}", flags.metrics_listen,
                 metrics.port());
  }
  // The fake judge never reaches the executor, so the sandbox is not probed (nor needed).
  std::unique_ptr<FakeJudge> fake;
  if (flags.fake_judge) {
    fake = std::make_unique<FakeJudge>(sleeper, flags.name + "/" + std::to_string(::getpid()));
    NOJ_LOG_WARN("event=fake_judge_enabled note=\"verdicts are invented, nothing is run\"");
    options->sandbox_protections = "fake-judge";  // shown as such on the status page
    metrics.SandboxProtections("fake-judge");
  } else {
    auto protections = executor.Probe();
    if (!protections.ok()) return Fail(protections.status());
    NOJ_LOG_INFO("event=sandbox_ready path={} protections=\"{}\"", sandbox_path.string(),
                 *protections);
    // The program boxes of the slots it will most likely have (--slots, else at most one per
    // core): their warm helpers start now. Helper boxes (checkers, interactors) start on use.
    int likely_slots = flags.slots > 0
                           ? flags.slots
                           : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::vector<int> box_ids;
    for (int k = 0; k < likely_slots && flags.box_id_base + 2 * k < sandbox::kMaxBoxId; ++k) {
      box_ids.push_back(flags.box_id_base + 2 * k);
    }
    executor.StartWarmBoxes(box_ids);
    options->sandbox_protections = *protections;  // reported at registration (GET /runners)
    metrics.SandboxProtections(*protections);
  }
  // The machine's own speed (docs/runner.md, "Speed score"), before any job loads it.
  if (auto speed = MeasureSpeed(); speed.ok()) {
    NOJ_LOG_INFO("event=speed_measured speed_score={:.3f} best_cpu_ms={:.1f}", speed->score,
                 speed->best_cpu_ms);
    options->speed_score = speed->score;
    metrics.SpeedScore(speed->score);
  } else {
    NOJ_LOG_WARN("event=speed_not_measured error=\"{}\"", speed.status().message());
  }

  auto work_lock = DirLock::Acquire(options->work_dir);
  if (!work_lock.ok()) return Fail(work_lock.status());
  auto cache_lock = DirLock::Acquire(options->cache_dir);
  if (!cache_lock.ok()) return Fail(cache_lock.status());
  // A cache that cannot be opened costs compile time, not correctness: judge without it.
  std::unique_ptr<CompileCache> compile_cache;
  if (options->compile_cache_bytes > 0) {
    auto opened = CompileCache::Open(options->compile_cache_dir, options->compile_cache_bytes,
                                     flags.metrics_listen.empty() ? nullptr : &metrics);
    if (opened.ok())
      compile_cache = std::move(opened).value();
    else
      NOJ_LOG_WARN("event=compile_cache_unavailable dir={} error=\"{}\"",
                   options->compile_cache_dir.string(), opened.status().message());
  }
  auto http = client::curl::MakeCurlHttpClient();
  if (!http.ok()) return Fail(http.status());
  // No Fail() from here: the trash's thread logs, and must be gone before spdlog::shutdown().
  std::unique_ptr<TrashBin> trash = StartTrash(options->work_dir);
  SystemClock clock;
  int code = 0;
  {
    Runner runner(std::move(options).value(),
                  RunnerEnv{**http, executor, sleeper, clock, fake.get(),
                            flags.metrics_listen.empty() ? nullptr : &metrics, trash.get(),
                            compile_cache.get()});
    std::jthread signal_thread([&runner](std::stop_token st) { WatchSignals(st, runner); });
    code = runner.Run();
    signal_thread.request_stop();
    signal_thread.join();
  }
  trash.reset();  // stops a removal in progress: the next start carries on
  spdlog::shutdown();
  return code;
}

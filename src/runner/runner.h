#pragma once
// noj-runner's lifecycle: register, then heartbeat + poll + one thread per job, until a drain
// (SIGTERM / first SIGINT), a stop-now (second SIGINT) or the loss of the runner's identity.
//   Drain: stop polling, give back (abort "drain") every job not yet judging, let running jobs
//   finish and their results go out, all within drain_timeout; at the deadline whatever is left
//   is stopped and given back. Exit 0.
//   Stop now: stop everything at once (leases expire and the server reclaims the jobs). Exit 130.
//   Identity lost (registration 401, or two heartbeat 401s in a row): exit 2.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "api/requirements.h"
#include "common/clock.h"
#include "common/thread_annotations.h"
#include "runner/case_executor.h"
#include "runner/client/http_client.h"
#include "runner/judge_pipeline.h"
#include "runner/languages.h"
#include "runner/runner_metrics.h"
#include "runner/sleeper.h"

namespace noj::runner {

class CompileCache;
class TrashBin;

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;       // configuration, startup
inline constexpr int kExitUnauthorized = 2;  // registration refused or identity revoked
inline constexpr int kExitStoppedNow = 130;

struct RunnerOptions {
  std::string server_url;
  std::string registration_token;
  std::string name = "unnamed";
  // What `noj-sandbox --probe` reported; sent at registration for the status page (may be empty).
  std::string sandbox_protections;
  // The machine's speed measured at start (speed_score.h); sent at registration when set.
  std::optional<double> speed_score;
  std::filesystem::path work_dir;
  std::filesystem::path cache_dir;
  std::filesystem::path compile_cache_dir;           // opened in src/exe (RunnerEnv::compile_cache)
  uint64_t compile_cache_bytes = uint64_t{1} << 30;  // 0: no compile cache
  int slots = 0;  // 0: the server's max_concurrent_jobs, capped at the number of cores
  int box_id_base = 0;
  std::chrono::milliseconds drain_timeout{60000};
  int poll_wait_sec = 20;
  JudgeLimits limits;
  LanguageTable languages = LanguageTable::BuiltIn();
  // The judging.md §5 features declared at registration (with languages.Codes()); --features.
  uint32_t features = api::kAllFeatures;
};

// The implementations the runner works through (chosen in src/exe/ or by tests).
struct RunnerEnv {
  client::HttpClient& http;
  CaseExecutor& executor;
  Sleeper& sleeper;
  const Clock& clock;
  JobJudge* judge = nullptr;  // null: JudgePipeline over `executor`; else this (the fake judge)
  RunnerMetrics* metrics = nullptr;  // null: no metrics (--metrics-listen not given)
  TrashBin* trash = nullptr;         // null: a job's work dir that cannot be removed stays in place
  CompileCache* compile_cache = nullptr;  // null: every program is compiled
};

class Runner {
 public:
  Runner(RunnerOptions options, RunnerEnv env);

  // Runs until drained, stopped or fatal; returns the process exit code.
  int Run();

  // Thread-safe; meant for the signal-handling thread.
  void RequestDrain();
  void RequestStopNow();

 private:
  enum class Event { kNone, kDrain, kStopNow, kRevoked };
  struct Session;  // everything that exists once registered

  Event WaitForEvent();
  void Raise(Event e);
  int Drain(Session& s);
  int StopNow(Session& s, Event why);
  int SlotsFor(int server_max) const;

  const RunnerOptions options_;
  RunnerEnv env_;
  std::stop_source startup_stop_;  // registration: stopped by any event
  std::stop_source runner_stop_;   // stop now: ends even the final aborts

  Mutex mu_;
  std::condition_variable_any cv_;
  Event event_ GUARDED_BY(mu_) = Event::kNone;
};

}  // namespace noj::runner

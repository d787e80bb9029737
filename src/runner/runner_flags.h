#pragma once
// noj-runner's command line and environment (every flag --foo-bar has NOJ_FOO_BAR), and turning
// them into RunnerOptions: token file, languages file, program paths, sizes.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "runner/runner.h"

namespace noj::runner {

struct RunnerFlags {
  std::string server;
  std::string registration_token;
  std::string registration_token_file;
  std::string name;
  std::string work_dir = "/var/lib/noj-runner/work";
  std::string cache_dir = "/var/cache/noj-runner";
  // The compiled-program cache (compile_cache.h): its dir (empty: <cache-dir>/compiled, kept
  // across restarts, unlike the work dir) and size in MiB (0: no cache).
  std::string compile_cache_dir;
  int64_t compile_cache_mib = 1024;
  int slots = 0;
  std::string languages_file;
  std::string require_isolation;
  std::string sandbox;     // empty: noj-sandbox next to the noj-runner binary
  bool warm_boxes = true;  // a warm noj-sandbox --serve per box id (docs/sandbox.md)
  int drain_timeout_sec = 60;
  std::string log_level = "info";
  std::string log_format = "text";  // text (key=value) | json
  std::string metrics_listen;       // HOST:PORT for GET /metrics; empty: off
  std::string output_limit = "64MiB";
  int max_processes = 64;
  std::string report_limit = "64KiB";
  int box_id_base = 0;
  int poll_wait_sec = 20;
  // A custom checker's (and an interactor's) limits per run (judging.md §3).
  int checker_time_limit_ms = 10000;
  std::string checker_memory_limit = "1GiB";
  int checker_max_processes = 64;
  int tle_rerun = 1;  // extra runs of a case whose CPU time is within 5 % of its limit
  // What it declares it can judge besides plain problems (judging.md §5), comma-separated.
  std::string features = "checker,interactive,fileio";
  bool fake_judge = false;  // chaos harness only; refused unless NOJ_RUNNER_ALLOW_FAKE_JUDGE=1
  bool probe = false;       // --probe: list the languages (probe.h) and exit; --server not needed
};

// Parses argv (and NOJ_* variables for flags absent from argv) into `out`. Returns -1 to go on,
// or the exit code to leave with (0 after --help, non-zero after an error it has printed).
int ParseRunnerFlags(int argc, char** argv, RunnerFlags* out);

// "65536", "64K", "64KiB", "64M", "1G" (binary units). kInvalidArgument otherwise.
Result<int64_t> ParseSize(std::string_view text);

// "checker,interactive,fileio", a subset, "" or "none" → feature bits (api/requirements.h).
// kInvalidArgument naming an unknown feature.
Result<uint32_t> ParseFeatures(std::string_view text);

// The token from a file: nojd's secrets.json (key "registration_token") or plain text (trimmed).
Result<std::string> ReadRegistrationTokenFile(const std::string& path);

// The languages table the flags give: the built-ins, then the --languages file applied
// (kInvalidArgument "<file>:<line>: <reason>"). Programs are not looked up yet.
Result<LanguageTable> LoadLanguageTable(const RunnerFlags& flags);

// Everything but the executor/HTTP wiring. Reads the token and languages files, resolves the
// compilers in `path_env` (default: the box's PATH): a language whose compiler or runtime is
// missing is dropped (logged once, not declared); none left is kFailedPrecondition.
// kInvalidArgument naming the flag at fault.
Result<RunnerOptions> BuildRunnerOptions(const RunnerFlags& flags,
                                         std::string_view path_env = kBoxPath);

// One line for the start-up log, secrets redacted.
std::string DescribeFlags(const RunnerFlags& flags);

}  // namespace noj::runner

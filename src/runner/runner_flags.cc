#include "runner/runner_flags.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdio>

#include "common/json_util.h"
#include "common/logging.h"
#include "runner/fs_util.h"
#include "runner/languages_file.h"

namespace noj::runner {
namespace {

std::string Hostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "unnamed";
  return buf;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

void AddOptions(CLI::App& app, RunnerFlags& f) {
  app.option_defaults()->always_capture_default();
  // Required unless --probe (checked after parsing: CLI11 cannot make it conditional).
  app.add_option("--server", f.server, "nojd base URL, e.g. http://127.0.0.1:8080 (required)")
      ->envname("NOJ_SERVER");
  app.add_option("--registration-token", f.registration_token, "shared registration secret")
      ->envname("NOJ_REGISTRATION_TOKEN");
  app.add_option("--registration-token-file", f.registration_token_file,
                 "file holding it: nojd's secrets.json or plain text")
      ->envname("NOJ_REGISTRATION_TOKEN_FILE");
  app.add_option("--name", f.name, "runner name shown by the server (default: hostname)")
      ->envname("NOJ_NAME");
  app.add_option("--work-dir", f.work_dir, "per-job working directories")
      ->capture_default_str()
      ->envname("NOJ_WORK_DIR");
  app.add_option("--cache-dir", f.cache_dir, "testdata cache")
      ->capture_default_str()
      ->envname("NOJ_CACHE_DIR");
  app.add_option("--compile-cache-dir", f.compile_cache_dir,
                 "compiled-program cache (default: <cache-dir>/compiled)")
      ->envname("NOJ_COMPILE_CACHE_DIR");
  app.add_option("--compile-cache-mib", f.compile_cache_mib,
                 "compiled-program cache size in MiB, least recently used evicted (0: off)")
      ->capture_default_str()
      ->envname("NOJ_COMPILE_CACHE_MIB")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 30));
  app.add_option("--slots", f.slots, "jobs at once (0: server's max, capped at cores)")
      ->envname("NOJ_SLOTS")
      ->check(CLI::Range(0, 512));
  app.add_option("--languages", f.languages_file,
                 "TOML file adding languages (codes 4..63) and overriding the built-ins' keys "
                 "(docs/languages.md)")
      ->envname("NOJ_LANGUAGES");
  app.add_flag("--probe", f.probe,
               "print the languages table (code, key, name, available or missing, version) "
               "and exit");
  app.add_option("--require-isolation", f.require_isolation,
                 "protections that must be active, e.g. cgroup-mem,ns,seccomp (fail closed)")
      ->envname("NOJ_REQUIRE_ISOLATION");
  app.add_option("--sandbox", f.sandbox, "noj-sandbox path (default: next to noj-runner)")
      ->envname("NOJ_SANDBOX");
  app.add_option("--warm-boxes", f.warm_boxes,
                 "keep a warm box per box id (noj-sandbox --serve) instead of one helper per run")
      ->envname("NOJ_WARM_BOXES");
  app.add_option("--drain-timeout", f.drain_timeout_sec, "seconds to drain on SIGTERM")
      ->envname("NOJ_DRAIN_TIMEOUT")
      ->check(CLI::Range(1, 86400));
  app.add_option("--log-level", f.log_level, "trace|debug|info|warn|error|off")
      ->envname("NOJ_LOG_LEVEL");
  app.add_option("--log-format", f.log_format, "text (key=value) or json, one line per event")
      ->envname("NOJ_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_option("--metrics-listen", f.metrics_listen,
                 "HOST:PORT to serve Prometheus metrics on (/metrics); off when empty")
      ->envname("NOJ_METRICS_LISTEN");
  app.add_option("--output-limit", f.output_limit, "program output limit (OLE above)")
      ->envname("NOJ_OUTPUT_LIMIT");
  app.add_option("--max-processes", f.max_processes, "processes/threads per run")
      ->envname("NOJ_MAX_PROCESSES")
      ->check(CLI::Range(1, 4096));
  app.add_option("--report-limit", f.report_limit, "stdout/stderr kept per case in results")
      ->envname("NOJ_REPORT_LIMIT");
  app.add_option("--box-id-base", f.box_id_base,
                 "first sandbox box id; two per job slot (disjoint per runner)")
      ->envname("NOJ_BOX_ID_BASE")
      ->check(CLI::Range(0, 4998));
  app.add_option("--checker-time-limit", f.checker_time_limit_ms,
                 "CPU ms per run of a problem's checker or interactor")
      ->envname("NOJ_CHECKER_TIME_LIMIT")
      ->check(CLI::Range(100, 600000));
  app.add_option("--checker-memory-limit", f.checker_memory_limit,
                 "memory per run of a problem's checker or interactor")
      ->envname("NOJ_CHECKER_MEMORY_LIMIT");
  app.add_option("--checker-max-processes", f.checker_max_processes,
                 "processes/threads per run of a problem's checker or interactor")
      ->envname("NOJ_CHECKER_MAX_PROCESSES")
      ->check(CLI::Range(1, 4096));
  app.add_option("--tle-rerun", f.tle_rerun,
                 "extra runs of a case whose CPU time is within 5% of its limit; the lowest "
                 "decides (0: off)")
      ->envname("NOJ_TLE_RERUN")
      ->check(CLI::Range(0, 5));
  app.add_option("--poll-wait", f.poll_wait_sec, "long-poll seconds asked of the server")
      ->envname("NOJ_POLL_WAIT")
      ->check(CLI::Range(0, 30));
  app.add_option("--features", f.features,
                 "features declared to the server: checker,interactive,fileio (default), fewer, "
                 "or none; jobs that need others go to other runners")
      ->envname("NOJ_FEATURES");
  app.add_flag("--fake-judge", f.fake_judge,
               "TEST ONLY: no sandbox, verdicts invented from the source text (chaos harness); "
               "refused unless NOJ_RUNNER_ALLOW_FAKE_JUDGE=1")
      ->envname("NOJ_FAKE_JUDGE");
}

Result<std::string> ResolveToken(const RunnerFlags& f) {
  if (!f.registration_token.empty() && !f.registration_token_file.empty())
    return InvalidArgumentError("give --registration-token or --registration-token-file, not both");
  if (!f.registration_token.empty()) return f.registration_token;
  if (f.registration_token_file.empty())
    return InvalidArgumentError("--registration-token or --registration-token-file is required");
  return ReadRegistrationTokenFile(f.registration_token_file);
}

}  // namespace

int ParseRunnerFlags(int argc, char** argv, RunnerFlags* out) {
  CLI::App app("noj-runner: pulls judge jobs from nojd and judges them in noj-sandbox");
  AddOptions(app, *out);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : kExitFailure;
  }
  if (!out->probe && out->server.empty()) {
    std::fprintf(stderr, "--server is required\nRun with --help for more information.\n");
    return kExitFailure;
  }
  if (out->name.empty()) out->name = Hostname();
  return -1;
}

Result<int64_t> ParseSize(std::string_view text) {
  std::string t = Trim(text);
  size_t i = 0;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  if (i == 0 || i > 15) return InvalidArgumentError("bad size '" + t + "'");
  int64_t n = std::stoll(t.substr(0, i));
  std::string unit = t.substr(i);
  int shift = -1;
  if (unit.empty() || unit == "B") shift = 0;
  if (unit == "K" || unit == "KiB" || unit == "k") shift = 10;
  if (unit == "M" || unit == "MiB") shift = 20;
  if (unit == "G" || unit == "GiB") shift = 30;
  if (shift < 0) return InvalidArgumentError("bad size unit in '" + t + "' (use K, M or G)");
  if (n > (int64_t{1} << (62 - shift))) return InvalidArgumentError("size too large: " + t);
  return n << shift;
}

Result<std::string> ReadRegistrationTokenFile(const std::string& path) {
  auto text = ReadFile(path, 1 << 20);
  if (!text.ok())
    return InvalidArgumentError("--registration-token-file: " + text.status().message());
  auto obj = json::ParseObject(*text);
  if (obj.ok()) {
    auto token = json::GetString(*obj, "registration_token");
    if (!token.ok() || !token->has_value() || (*token)->empty())
      return InvalidArgumentError(path + ": no \"registration_token\" string in this JSON file");
    return **token;
  }
  std::string token = Trim(*text);
  if (token.empty()) return InvalidArgumentError(path + " is empty");
  return token;
}

Result<uint32_t> ParseFeatures(std::string_view text) {
  std::vector<std::string> names;
  std::string all = Trim(text);
  if (all == "none") return 0u;
  for (size_t start = 0; start <= all.size();) {
    size_t comma = all.find(',', start);
    if (comma == std::string::npos) comma = all.size();
    std::string name = Trim(std::string_view(all).substr(start, comma - start));
    if (!name.empty()) names.push_back(std::move(name));
    start = comma + 1;
  }
  auto features = api::FeaturesFromNames(names);
  if (!features.ok()) return InvalidArgumentError("--features: " + features.status().message());
  return *features;
}

Result<LanguageTable> LoadLanguageTable(const RunnerFlags& f) {
  LanguageTable table = LanguageTable::BuiltIn();
  if (!f.languages_file.empty()) NOJ_RETURN_IF_ERROR(LoadLanguagesFile(f.languages_file, table));
  return table;
}

Result<RunnerOptions> BuildRunnerOptions(const RunnerFlags& f, std::string_view path_env) {
  RunnerOptions o;
  o.server_url = f.server;
  if (o.server_url.rfind("http://", 0) != 0 && o.server_url.rfind("https://", 0) != 0)
    return InvalidArgumentError("--server must start with http:// or https://");
  NOJ_ASSIGN_OR_RETURN(o.registration_token, ResolveToken(f));
  o.name = f.name.substr(0, 128);
  o.work_dir = std::filesystem::absolute(f.work_dir).lexically_normal();
  o.cache_dir = std::filesystem::absolute(f.cache_dir).lexically_normal();
  auto inside = [](const std::filesystem::path& a, const std::filesystem::path& b) {
    auto rel = a.lexically_relative(b);
    return !rel.empty() && *rel.begin() != "..";
  };
  if (inside(o.work_dir, o.cache_dir) || inside(o.cache_dir, o.work_dir))
    return InvalidArgumentError("--work-dir and --cache-dir must be separate directories");
  o.compile_cache_dir = f.compile_cache_dir.empty()
                            ? o.cache_dir / "compiled"
                            : std::filesystem::absolute(f.compile_cache_dir).lexically_normal();
  // The work dir is emptied at every start: a cache there would not outlive a restart.
  if (inside(o.compile_cache_dir, o.work_dir) || inside(o.work_dir, o.compile_cache_dir))
    return InvalidArgumentError("--compile-cache-dir must be outside --work-dir");
  o.compile_cache_bytes = static_cast<uint64_t>(f.compile_cache_mib) << 20;
  o.slots = f.slots;
  o.box_id_base = f.box_id_base;
  o.drain_timeout = std::chrono::seconds(f.drain_timeout_sec);
  o.poll_wait_sec = f.poll_wait_sec;
  NOJ_ASSIGN_OR_RETURN(o.limits.output_limit_bytes, ParseSize(f.output_limit));
  NOJ_ASSIGN_OR_RETURN(int64_t report, ParseSize(f.report_limit));
  o.limits.report_bytes = static_cast<size_t>(report);
  o.limits.max_processes = f.max_processes;
  o.limits.checker.cpu_ms = f.checker_time_limit_ms;
  NOJ_ASSIGN_OR_RETURN(int64_t checker_memory, ParseSize(f.checker_memory_limit));
  if (checker_memory < (int64_t{16} << 20))
    return InvalidArgumentError("--checker-memory-limit must be at least 16MiB");
  o.limits.checker.memory_kib = checker_memory >> 10;
  o.limits.checker.max_processes = f.checker_max_processes;
  o.limits.tle_reruns = f.tle_rerun;
  NOJ_ASSIGN_OR_RETURN(o.features, ParseFeatures(f.features));
  NOJ_ASSIGN_OR_RETURN(o.languages, LoadLanguageTable(f));
  // Only what this machine can run is declared (judging.md §5): the server routes the rest to
  // other runners. Logged once, at start.
  for (const UnavailableLanguage& gone : o.languages.ResolveAvailable(path_env))
    NOJ_LOG_WARN(
        "event=language_not_declared language={} code={} program={} reason=\"language {} ({}) not "
        "declared: {} not found in {}\"",
        gone.key, gone.code, gone.program, gone.key, gone.code, gone.program, path_env);
  if (o.languages.empty())
    return FailedPreconditionError(
        "no language can be judged here: no compiler or runtime of "
        "the languages table is in " +
        std::string(path_env) + " (see noj-runner --probe)");
  return o;
}

std::string DescribeFlags(const RunnerFlags& f) {
  return "server=" + f.server + " name=" + f.name +
         " registration_token=" + (f.registration_token.empty() ? "(unset)" : "(redacted)") +
         " registration_token_file=" + f.registration_token_file + " work_dir=" + f.work_dir +
         " cache_dir=" + f.cache_dir + " compile_cache_dir=" + f.compile_cache_dir +
         " compile_cache_mib=" + std::to_string(f.compile_cache_mib) +
         " slots=" + std::to_string(f.slots) + " languages=" + f.languages_file +
         " require_isolation=" + f.require_isolation + " sandbox=" + f.sandbox +
         " warm_boxes=" + (f.warm_boxes ? "true" : "false") +
         " drain_timeout_sec=" + std::to_string(f.drain_timeout_sec) +
         " output_limit=" + f.output_limit + " max_processes=" + std::to_string(f.max_processes) +
         " report_limit=" + f.report_limit + " box_id_base=" + std::to_string(f.box_id_base) +
         " poll_wait_sec=" + std::to_string(f.poll_wait_sec) +
         " checker_time_limit_ms=" + std::to_string(f.checker_time_limit_ms) +
         " checker_memory_limit=" + f.checker_memory_limit +
         " checker_max_processes=" + std::to_string(f.checker_max_processes) +
         " tle_rerun=" + std::to_string(f.tle_rerun) + " features=" + f.features +
         " log_level=" + f.log_level + " log_format=" + f.log_format +
         " metrics_listen=" + f.metrics_listen + (f.fake_judge ? " fake_judge=on" : "");
}

}  // namespace noj::runner

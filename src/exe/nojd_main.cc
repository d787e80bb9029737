// nojd: the dispatch server. Flags, the store (and with Redis the relay between nodes), the one
// factory (server::Assemble), the HTTP server and the reaper.

#include <fmt/format.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "common/clock.h"
#include "common/logging.h"
#include "dispatch/reaper.h"
#include "dispatch/redis_relay.h"
#include "server/assemble.h"
#include "server/callback_delivery.h"
#include "server/http/http_server.h"
#include "server/secrets.h"
#include "server/store_probe.h"
#include "store/store_factory.h"

namespace {

using noj::server::CallbackConfig;
using noj::server::ServerConfig;

bool SplitHostPort(const std::string& s, std::string& host, uint16_t& port) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = s.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  try {
    int p = std::stoi(s.substr(colon + 1));
    if (p < 0 || p > 65535) return false;
    port = static_cast<uint16_t>(p);
  } catch (...) {
    return false;
  }
  return true;
}

void PrintConfig(const ServerConfig& c, const std::string& store, const std::string& secrets_path) {
  auto redacted = [](const std::optional<std::string>& v) {
    return !v           ? std::string("(from secrets file)")
           : v->empty() ? std::string("(empty: off)")
                        : std::string("(set, redacted)");
  };
  NOJ_LOG_INFO(
      "event=config listen={}:{} data_dir={} store={} public_url={} lease_ttl_s={} "
      "heartbeat_interval_s={} poll_interval_s={} max_concurrent_jobs={} max_attempts={} "
      "identity_ttl_s={} code_url_ttl_s={} max_body={} registration_token=\"{}\" api_token=\"{}\" "
      "sandbox_token=\"{}\" metrics_token=\"{}\" log_format={} secrets_file={} store_threads={} "
      "store_queue={} store_deadline_ms={} callback_url=\"{}\" callback_allow=\"{}\" "
      "callback_workers={} callback_inflight_per_target={} callback_timeout_ms={} "
      "callback_retry_base_ms={} callback_retry_max_ms={} callback_max_age_s={}",
      c.listen_host, c.listen_port, c.data_dir, store, c.public_url, c.lease_ttl_s,
      c.heartbeat_interval_s, c.poll_interval_s, c.max_concurrent_jobs, c.max_attempts,
      c.identity_ttl_s, c.code_url_ttl_s, c.max_body_bytes, redacted(c.registration_token),
      redacted(c.api_token), c.sandbox_token ? redacted(c.sandbox_token) : "(off)",
      c.metrics_token && !c.metrics_token->empty() ? "(set, redacted)" : "(off: /metrics open)",
      c.log_format, secrets_path, c.store_threads, c.store_queue, c.store_deadline_ms,
      c.callbacks.default_url, fmt::join(c.callbacks.allow, ","), c.callbacks.workers,
      c.callbacks.inflight_per_target, c.callbacks.timeout_ms, c.callbacks.retry_base_ms,
      c.callbacks.retry_max_ms, c.callbacks.max_age_s);
}

// Flags and NOJ_* environment into `c`. Returns false (after printing why) when they are unusable.
bool ParseFlags(int argc, char** argv, ServerConfig& c, int& exit_code) {
  std::string listen = "127.0.0.1:8080";
  CLI::App app{"nojd — the noj-dispatch judge server"};
  app.option_defaults()->always_capture_default();
  app.add_option("--listen", listen, "HOST:PORT to listen on")->envname("NOJ_LISTEN");
  app.add_option("--data-dir", c.data_dir, "data directory (store, secrets)")
      ->envname("NOJ_DATA_DIR");
  app.add_option("--store", c.store,
                 "sqlite:PATH or redis://HOST:PORT/DB (default: sqlite in data dir)")
      ->envname("NOJ_STORE");
  app.add_option("--public-url", c.public_url, "base URL runners use for code links")
      ->envname("NOJ_PUBLIC_URL");
  app.add_option("--registration-token", c.registration_token,
                 "runner registration secret ('' = off)")
      ->envname("NOJ_REGISTRATION_TOKEN");
  app.add_option("--api-token", c.api_token, "client API secret")->envname("NOJ_API_TOKEN");
  app.add_option("--sandbox-token", c.sandbox_token,
                 "legacy static testdata token (off by default)")
      ->envname("NOJ_SANDBOX_TOKEN");
  app.add_option("--metrics-token", c.metrics_token,
                 "bearer token GET /metrics requires (unset: /metrics is open)")
      ->envname("NOJ_METRICS_TOKEN");
  app.add_option("--lease-ttl", c.lease_ttl_s, "lease TTL, seconds")
      ->envname("NOJ_LEASE_TTL")
      ->check(CLI::Range(1, 86400));
  app.add_option("--heartbeat-interval", c.heartbeat_interval_s, "advertised heartbeat interval, s")
      ->envname("NOJ_HEARTBEAT_INTERVAL")
      ->check(CLI::Range(1, 3600));
  app.add_option("--poll-interval", c.poll_interval_s, "advertised poll interval, s")
      ->envname("NOJ_POLL_INTERVAL")
      ->check(CLI::Range(1, 3600));
  app.add_option("--max-concurrent-jobs", c.max_concurrent_jobs, "advertised per-runner job slots")
      ->envname("NOJ_MAX_CONCURRENT_JOBS")
      ->check(CLI::Range(1, 1024));
  app.add_option("--max-attempts", c.max_attempts, "executions before Judge Error")
      ->envname("NOJ_MAX_ATTEMPTS")
      ->check(CLI::Range(1, 100));
  app.add_option("--identity-ttl", c.identity_ttl_s, "runner identity TTL, s")
      ->envname("NOJ_IDENTITY_TTL")
      ->check(CLI::Range(1, 365 * 86400));
  app.add_option("--code-url-ttl", c.code_url_ttl_s, "code link lifetime, s")
      ->envname("NOJ_CODE_URL_TTL")
      ->check(CLI::Range(1, 86400 * 7));
  app.add_option("--max-body", c.max_body_bytes, "largest request body, bytes")
      ->envname("NOJ_MAX_BODY")
      ->check(CLI::Range(uint64_t{1024}, uint64_t{1} << 32));
  app.add_option("--threads", c.threads, "I/O threads (0 = cores)")->envname("NOJ_THREADS");
  app.add_option("--store-threads", c.store_threads, "threads that run store calls")
      ->envname("NOJ_STORE_THREADS")
      ->check(CLI::Range(1, 1024));
  app.add_option("--store-queue", c.store_queue,
                 "store calls that may wait for a thread; beyond, 503 at once")
      ->envname("NOJ_STORE_QUEUE")
      ->check(CLI::Range(size_t{1}, size_t{1} << 20));
  app.add_option("--store-deadline-ms", c.store_deadline_ms,
                 "deadline of one store call, ms; then 503 (the late answer is dropped)")
      ->envname("NOJ_STORE_DEADLINE_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{600'000}));
  CallbackConfig& cb = c.callbacks;
  app.add_option("--callback-url", cb.default_url,
                 "where final results are POSTed for submissions that name no callback_url")
      ->envname("NOJ_CALLBACK_URL");
  app.add_option("--callback-allow", cb.allow,
                 "hosts a submission's callback_url may name: host, host:port, *.suffix, IP, "
                 "CIDR (comma-separated or repeated); private addresses only when listed")
      ->envname("NOJ_CALLBACK_ALLOW")
      ->delimiter(',');
  app.add_option("--callback-workers", cb.workers, "callback POSTs in flight on this node")
      ->envname("NOJ_CALLBACK_WORKERS")
      ->check(CLI::Range(1, 256));
  app.add_option("--callback-inflight-per-target", cb.inflight_per_target,
                 "callback POSTs in flight to one scheme://host:port on this node")
      ->envname("NOJ_CALLBACK_INFLIGHT_PER_TARGET")
      ->check(CLI::Range(1, 256));
  app.add_option("--callback-timeout-ms", cb.timeout_ms, "one callback POST, connect included")
      ->envname("NOJ_CALLBACK_TIMEOUT_MS")
      ->check(CLI::Range(int64_t{100}, int64_t{300'000}));
  app.add_option("--callback-retry-base-ms", cb.retry_base_ms,
                 "first retry delay; doubles with jitter up to --callback-retry-max-ms")
      ->envname("NOJ_CALLBACK_RETRY_BASE_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{3'600'000}));
  app.add_option("--callback-retry-max-ms", cb.retry_max_ms, "longest retry delay")
      ->envname("NOJ_CALLBACK_RETRY_MAX_MS")
      ->check(CLI::Range(int64_t{10}, int64_t{86'400'000}));
  app.add_option("--callback-max-age", cb.max_age_s,
                 "seconds after landing a callback is retried before it is dead")
      ->envname("NOJ_CALLBACK_MAX_AGE")
      ->check(CLI::Range(int64_t{1}, int64_t{30 * 86'400}));
  app.add_option("--log-level", c.log_level, "trace|debug|info|warn|error")
      ->envname("NOJ_LOG_LEVEL");
  app.add_option("--log-format", c.log_format, "text (key=value) or json, one line per event")
      ->envname("NOJ_LOG_FORMAT")
      ->check(CLI::IsMember({"text", "json"}));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    exit_code = app.exit(e);
    return false;
  }
  if (auto allow = noj::server::CallbackAllowOf(c.callbacks); !allow.ok()) {
    std::fprintf(stderr, "nojd: --callback-allow/--callback-url: %s\n",
                 allow.status().message().c_str());
    exit_code = 2;
    return false;
  }
  if (!SplitHostPort(listen, c.listen_host, c.listen_port)) {
    std::fprintf(stderr, "nojd: --listen must be HOST:PORT, got '%s'\n", listen.c_str());
    exit_code = 2;
    return false;
  }
  return true;
}

// Several nojd on one Redis: the broadcast (wake-ups, revocations) also travels to the other nodes
// through Redis pub/sub. Null (and OK) for SQLite.
noj::Result<std::unique_ptr<noj::dispatch::RedisRelay>> OpenRelay(const std::string& store_url,
                                                                  noj::server::Assembly& server) {
  if (store_url.rfind("redis://", 0) != 0) return std::unique_ptr<noj::dispatch::RedisRelay>();
  // After a re-subscription messages may have been missed: every parked long-poll re-checks.
  noj::server::Waiters& waiters = server.waiters;
  return noj::dispatch::RedisRelay::Open(
      store_url, server.broadcast, [&waiters] { waiters.NotifyAll(); }, std::chrono::seconds(5));
}

// Serves until SIGINT/SIGTERM (blocked in `signals` by main), then stops gracefully.
void ServeUntilSignal(noj::server::HttpServer& server, const sigset_t& signals) {
  std::thread signal_thread([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    NOJ_LOG_INFO("event=shutdown signal={}", sig);
    server.Stop(5000);
  });
  server.Run();
  signal_thread.join();
}

}  // namespace

int main(int argc, char** argv) {
  // Signals are taken by one thread with sigwait; block them before any thread exists (the logger
  // starts one) so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  ServerConfig c;
  if (int code = 0; !ParseFlags(argc, argv, c, code)) return code;
  if (noj::Status s = noj::logging::Init(c.log_level, c.log_format); !s.ok()) {
    std::fprintf(stderr, "nojd: %s\n", s.message().c_str());
    return 2;
  }
  std::string secrets_path;
  auto secrets = noj::server::LoadOrCreateSecrets(c, secrets_path);
  if (!secrets.ok()) {
    std::fprintf(stderr, "nojd: %s\n", secrets.status().message().c_str());
    return 1;
  }
  std::string store_url =
      c.store.empty() ? "sqlite:" + (std::filesystem::path(c.data_dir) / "nojd.sqlite").string()
                      : c.store;
  auto store = noj::store::OpenStore(store_url);
  if (!store.ok()) {
    std::fprintf(stderr, "nojd: cannot open store %s: %s\n", store_url.c_str(),
                 store.status().message().c_str());
    return 1;
  }

  noj::SystemClock clock;
  std::unique_ptr<noj::server::Assembly> assembly =
      noj::server::Assemble(c, *secrets, **store, clock);
  noj::server::ServerContext& ctx = assembly->context;
  // Before the relay, the server and the reaper, which wake it: it outlives them.
  auto callbacks = noj::server::CallbackDelivery::Start(*assembly, *secrets, **store, clock);
  if (!callbacks.ok()) {
    std::fprintf(stderr, "nojd: callbacks: %s\n", callbacks.status().message().c_str());
    return 1;
  }
  auto relay = OpenRelay(store_url, *assembly);
  if (!relay.ok()) {
    std::fprintf(stderr, "nojd: %s\n", relay.status().message().c_str());
    return 1;
  }

  noj::server::HttpServerOptions http;
  http.host = c.listen_host;
  http.port = c.listen_port;
  http.threads = c.threads > 0 ? c.threads : std::max(2u, std::thread::hardware_concurrency());
  http.max_body_bytes = c.max_body_bytes;
  http.store_threads = c.store_threads;
  http.store_queue = c.store_queue;
  http.store_deadline_ms = c.store_deadline_ms;
  http.on_store_refused = [&ctx](bool deadline) {
    if (deadline)
      ctx.metrics.OnStoreDeadlineExceeded();
    else
      ctx.metrics.OnStoreQueueFull();
  };
  http.on_store_unavailable = [&ctx] { ctx.metrics.store_health().ReportUnavailable(); };
  http.on_store_load = [&ctx](size_t queued, int busy) {
    ctx.metrics.SetStoreExecutorLoad(queued, busy);
  };
  http.on_response = [&ctx](const std::string& method, const std::string& route, int status,
                            double seconds) { ctx.metrics.OnHttp(method, route, status, seconds); };
  auto server = noj::server::HttpServer::Create(http, assembly->router, assembly->waiters);
  if (!server.ok()) {
    std::fprintf(stderr, "nojd: %s\n", server.status().message().c_str());
    return 1;
  }
  uint16_t port = (*server)->port();
  if (ctx.config.public_url.empty())
    ctx.config.public_url = "http://" + c.listen_host + ":" + std::to_string(port);
  while (!ctx.config.public_url.empty() && ctx.config.public_url.back() == '/')
    ctx.config.public_url.pop_back();
  PrintConfig(ctx.config, store_url, secrets_path);
  std::printf("nojd listening on http://%s:%u (tokens in %s)\n", c.listen_host.c_str(), port,
              secrets_path.c_str());
  std::fflush(stdout);

  noj::dispatch::Reaper reaper(assembly->dispatcher, 1000);
  // /healthz and /metrics answer from its last answer, never waiting on the store.
  noj::server::StoreProbe store_probe(ctx.store, ctx.metrics.store_health());
  ServeUntilSignal(**server, signals);
  (*callbacks)->Stop();
  NOJ_LOG_INFO("event=stopped");
  spdlog::shutdown();
  return 0;
}

// GET /metrics: the Prometheus exposition of ServerMetrics (docs/operations.md).
//
// Open by default, as scrape targets usually are (it carries counts, never ids or secrets); with
// --metrics-token set it takes that token or the API token as a Bearer.
//
// A scrape never waits on a stalled store: it reads the store's figures on the store executor
// with a short deadline, and renders without them (the last read's values stay, noj_store_up
// follows the background probe) when the probe says the store is down, when another scrape's read
// is still out, or when the deadline passes.

#include "common/crypto.h"
#include "server/api/routes.h"
#include "server/auth.h"
#include "server/http/respond.h"

namespace noj::server {
namespace {

// Shorter than the store deadline: a scrape that cannot have fresh figures quickly renders the
// last ones rather than hang (Prometheus' own scrape timeout is typically 10 s; a dashboard's
// less).
constexpr int64_t kScrapeStoreDeadlineMs = 250;

Status AuthenticateScraper(const ServerContext& ctx, const Request& req) {
  if (!ctx.config.metrics_token || ctx.config.metrics_token->empty()) return Status::Ok();
  std::optional<std::string> token = BearerToken(req);
  if (!token) return UnauthenticatedError("missing or malformed Authorization header");
  std::string digest = crypto::Sha256Hex(*token);
  if (crypto::ConstantTimeEquals(digest, crypto::Sha256Hex(*ctx.config.metrics_token)))
    return Status::Ok();
  return AuthenticateClient(ctx, req);
}

StoreSnapshot ReadStore(ServerContext& ctx) {
  StoreSnapshot snap;
  snap.now_ms = ctx.clock.NowMs();
  auto queue = ctx.store.GetQueueStats(snap.now_ms);
  auto runners = ctx.store.ListRunners(snap.now_ms);
  if (!queue.ok() || !runners.ok()) return snap;
  snap.ok = true;
  snap.queue = *queue;
  snap.runners_registered = static_cast<int64_t>(runners->size());
  int64_t alive_window = 2 * ctx.config.heartbeat_interval_s * 1000;
  for (const store::RunnerInfo& r : *runners) {
    if (snap.now_ms - r.runner.last_seen <= alive_window) ++snap.runners_alive;
    if (r.runner.speed_score)
      snap.runner_speeds.push_back({r.runner.runner_id, r.runner.name, *r.runner.speed_score});
  }
  snap.classes = QueueClasses(*queue, *runners, snap.now_ms, alive_window);
  if (auto deliveries = ctx.store.GetDeliveryStats(snap.now_ms); deliveries.ok())
    snap.deliveries = std::move(*deliveries);
  return snap;
}

// `read_store`: false on the fallback path (I/O thread), which must not call the store.
StoreSnapshot Snapshot(ServerContext& ctx, bool read_store) {
  StoreHealth& health = ctx.metrics.store_health();
  StoreHealth::State state = health.Get(MonotonicMs());
  StoreSnapshot snap;
  if (read_store && state != StoreHealth::State::kDown && health.TryBeginSnapshotRead()) {
    struct EndRead {
      StoreHealth& h;
      ~EndRead() { h.EndSnapshotRead(); }
    } end_read{health};
    snap = ReadStore(ctx);
  }
  if (state != StoreHealth::State::kUnprobed) snap.up = state == StoreHealth::State::kUp;
  snap.counters = ctx.store.Counters();  // in memory: never waits
  snap.relay = ctx.broadcast.Counters();
  return snap;
}

HandlerResult Metrics(ServerContext& ctx, const Request& req, bool read_store) {
  if (Status s = AuthenticateScraper(ctx, req); !s.ok()) return ErrorResponse(s);
  Response resp;
  resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
  resp.body = ctx.metrics.Render(Snapshot(ctx, read_store));
  return resp;
}

}  // namespace

void AddMetricsRoutes(Router& router, ServerContext& ctx) {
  RouteOptions options;
  options.deadline_ms = kScrapeStoreDeadlineMs;
  options.fallback = [&ctx](const Request& r, const PathParams&) { return Metrics(ctx, r, false); };
  router.Add(
      "GET", "/metrics",
      [&ctx](const Request& r, const PathParams&) { return Metrics(ctx, r, true); },
      std::move(options));
}

}  // namespace noj::server

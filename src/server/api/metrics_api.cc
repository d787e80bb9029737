// GET /metrics: the Prometheus exposition of ServerMetrics (docs/operations.md).
//
// Open by default, as scrape targets usually are (it carries counts, never ids or secrets); with
// --metrics-token set it takes that token or the API token as a Bearer.

#include "common/crypto.h"
#include "server/api/routes.h"
#include "server/auth.h"
#include "server/http/respond.h"

namespace noj::server {
namespace {

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
  for (const store::RunnerInfo& r : *runners)
    if (snap.now_ms - r.runner.last_seen <= alive_window) ++snap.runners_alive;
  snap.classes = QueueClasses(*queue, *runners, snap.now_ms, alive_window);
  return snap;
}

HandlerResult Metrics(ServerContext& ctx, const Request& req) {
  if (Status s = AuthenticateScraper(ctx, req); !s.ok()) return ErrorResponse(s);
  Response resp;
  resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
  resp.body = ctx.metrics.Render(ReadStore(ctx));
  return resp;
}

}  // namespace

void AddMetricsRoutes(Router& router, ServerContext& ctx) {
  router.Add("GET", "/metrics",
             [&ctx](const Request& r, const PathParams&) { return Metrics(ctx, r); });
}

}  // namespace noj::server

// Client API, operations (protocol.md §5): runners, revoke, queue, healthz.

#include "api/admin_bodies.h"
#include "common/ids.h"
#include "server/api/routes.h"
#include "server/auth.h"
#include "server/http/respond.h"
#include "server/queue_classes.h"

namespace noj::server {
namespace {

HandlerResult Runners(ServerContext& ctx, const Request& req) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  int64_t now = ctx.clock.NowMs();
  auto runners = ctx.store.ListRunners(now);
  if (!runners.ok()) return ErrorResponse(runners.status());
  // Alive = heard from within two heartbeat intervals (display only; never used for reclaim, INV2).
  int64_t alive_window = 2 * ctx.config.heartbeat_interval_s * 1000;
  std::vector<api::RunnerView> out;
  for (const store::RunnerInfo& r : *runners) {
    out.push_back(api::RunnerView{
        .runner_id = r.runner.runner_id,
        .name = r.runner.name,
        .registered_at = r.runner.registered_at,
        .last_seen = r.runner.last_seen,
        .alive = now - r.runner.last_seen <= alive_window,
        .active_jobs = r.active_jobs,
        .sandbox = r.runner.sandbox,  // extension: "" when the runner did not report it
        // judging.md §5: what it declared at registration (the default when it declared nothing).
        .languages = r.runner.capabilities.languages,
        .features = api::FeatureNames(r.runner.capabilities.features),
        .speed_score = r.runner.speed_score});  // extension: null when not reported
  }
  return JsonOk(200, api::RunnersViewToJson(out));
}

HandlerResult Revoke(ServerContext& ctx, const Request& req, const std::string& rn) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  if (!ids::IsRunnerId(rn)) return ErrorResponse(404, "no such runner");
  // Every node's auth cache forgets it (the broadcast's RunnerRevoked).
  if (Status s = ctx.dispatcher.Revoke(rn); !s.ok()) return ErrorResponse(s);
  return JsonOk(200, api::RevokeResponseToJson({.runner_id = rn, .revoked = true}));
}

HandlerResult Queue(ServerContext& ctx, const Request& req) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  int64_t now = ctx.clock.NowMs();
  auto q = ctx.store.GetQueueStats(now);
  if (!q.ok()) return ErrorResponse(q.status());
  auto runners = ctx.store.ListRunners(now);
  if (!runners.ok()) return ErrorResponse(runners.status());
  api::QueueView out;
  for (int p = 0; p < 3; ++p) out.pending[p] = q->pending[p];
  out.leased = q->leased;
  out.oldest_pending_age_ms = q->oldest_pending_enqueued_at > 0
                                  ? std::max<int64_t>(0, now - q->oldest_pending_enqueued_at)
                                  : 0;
  out.reclaimed_total = q->reclaimed_total;
  out.judge_error_total = q->judge_error_total;
  out.results_total = q->results_total;
  // Per requirement class with pending jobs (judging.md §5), by key.
  for (const ClassView& c :
       QueueClasses(*q, *runners, now, 2 * ctx.config.heartbeat_interval_s * 1000)) {
    out.classes.push_back(
        api::QueueClassView{.key = c.key,
                            .label = c.label,
                            .language = c.requirements.language,
                            .features = api::FeatureNames(c.requirements.features),
                            .pending = c.pending,
                            .oldest_pending_age_ms = c.oldest_pending_age_ms,
                            .runners_able = c.runners_able});
  }
  return JsonOk(200, api::QueueViewToJson(out));
}

// Inline on the I/O thread: answers from the background probe's last answer (StoreHealth), so a
// stalled store shows as 503 at once instead of stalling the health check with it.
HandlerResult Healthz(ServerContext& ctx) {
  switch (ctx.metrics.store_health().Get(MonotonicMs())) {
    case StoreHealth::State::kDown:
      return ErrorResponse(503, "store unavailable");
    case StoreHealth::State::kUp:
      return JsonOk(200, api::HealthResponseToJson());
    case StoreHealth::State::kUnprobed:
      break;  // no probe runs (tests, the fuzz harness): ask the store, as before
  }
  if (Status s = ctx.store.Ping(); !s.ok()) return ErrorResponse(503, "store unavailable");
  return JsonOk(200, api::HealthResponseToJson());
}

}  // namespace

void AddAdminRoutes(Router& router, ServerContext& ctx) {
  router.Add("GET", "/runners",
             [&ctx](const Request& r, const PathParams&) { return Runners(ctx, r); });
  router.Add("DELETE", "/runners/{rn}",
             [&ctx](const Request& r, const PathParams& p) { return Revoke(ctx, r, p[0]); });
  router.Add("GET", "/queue",
             [&ctx](const Request& r, const PathParams&) { return Queue(ctx, r); });
  router.Add(
      "GET", "/healthz", [&ctx](const Request&, const PathParams&) { return Healthz(ctx); },
      RouteOptions{RouteKind::kInline});
}

}  // namespace noj::server

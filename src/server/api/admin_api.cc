// Client API, operations (protocol.md §5): runners, revoke, queue, healthz.

#include <boost/json.hpp>

#include "common/ids.h"
#include "common/logging.h"
#include "server/api/routes.h"
#include "server/auth.h"
#include "server/http/respond.h"
#include "server/queue_classes.h"

namespace noj::server {
namespace {

namespace bj = boost::json;

HandlerResult Runners(ServerContext& ctx, const Request& req) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  int64_t now = ctx.clock.NowMs();
  auto runners = ctx.store.ListRunners(now);
  if (!runners.ok()) return ErrorResponse(runners.status());
  // Alive = heard from within two heartbeat intervals (display only; never used for reclaim, INV2).
  int64_t alive_window = 2 * ctx.config.heartbeat_interval_s * 1000;
  bj::array out;
  for (const store::RunnerInfo& r : *runners) {
    bj::object o;
    o["runner_id"] = r.runner.runner_id;
    o["name"] = r.runner.name;
    o["registered_at"] = r.runner.registered_at;
    o["last_seen"] = r.runner.last_seen;
    o["alive"] = now - r.runner.last_seen <= alive_window;
    o["active_jobs"] = bj::value_from(r.active_jobs);
    o["sandbox"] = r.runner.sandbox;  // extension: "" when the runner did not report it
    // judging.md §5: what it declared at registration (the default when it declared nothing).
    o["languages"] = bj::value_from(r.runner.capabilities.languages);
    o["features"] = bj::value_from(api::FeatureNames(r.runner.capabilities.features));
    out.push_back(std::move(o));
  }
  return JsonOk(200, out);
}

HandlerResult Revoke(ServerContext& ctx, const Request& req, const std::string& rn) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  if (!ids::IsRunnerId(rn)) return ErrorResponse(404, "no such runner");
  if (Status s = ctx.store.RevokeRunner(rn); !s.ok()) return ErrorResponse(s);
  ctx.auth_cache.Forget(rn);
  ctx.notify(RunnerRevokedTopic(rn), -1);  // other nodes forget it too
  NOJ_LOG_INFO("event=runner_revoked runner={}", rn);
  bj::object out;
  out["runner_id"] = rn;
  out["revoked"] = true;
  return JsonOk(200, out);
}

HandlerResult Queue(ServerContext& ctx, const Request& req) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  int64_t now = ctx.clock.NowMs();
  auto q = ctx.store.GetQueueStats(now);
  if (!q.ok()) return ErrorResponse(q.status());
  auto runners = ctx.store.ListRunners(now);
  if (!runners.ok()) return ErrorResponse(runners.status());
  bj::object pending;
  pending["0"] = q->pending[0];
  pending["1"] = q->pending[1];
  pending["2"] = q->pending[2];
  bj::object out;
  out["pending"] = std::move(pending);
  out["pending_total"] = q->pending[0] + q->pending[1] + q->pending[2];
  out["leased"] = q->leased;
  out["oldest_pending_age_ms"] = q->oldest_pending_enqueued_at > 0
                                     ? std::max<int64_t>(0, now - q->oldest_pending_enqueued_at)
                                     : 0;
  out["reclaimed_total"] = q->reclaimed_total;
  out["judge_error_total"] = q->judge_error_total;
  out["results_total"] = q->results_total;
  // Per requirement class with pending jobs (judging.md §5), by key.
  bj::array classes;
  for (const ClassView& c :
       QueueClasses(*q, *runners, now, 2 * ctx.config.heartbeat_interval_s * 1000)) {
    bj::object o;
    o["key"] = c.key;
    o["label"] = c.label;
    o["language"] = c.requirements.language;
    o["features"] = bj::value_from(api::FeatureNames(c.requirements.features));
    o["pending"] = c.pending;
    o["oldest_pending_age_ms"] = c.oldest_pending_age_ms;
    o["runners_able"] = c.runners_able;
    classes.push_back(std::move(o));
  }
  out["classes"] = std::move(classes);
  return JsonOk(200, out);
}

HandlerResult Healthz(ServerContext& ctx) {
  if (Status s = ctx.store.Ping(); !s.ok()) return ErrorResponse(503, "store unavailable");
  bj::object out;
  out["status"] = "ok";
  return JsonOk(200, out);
}

}  // namespace

void AddAdminRoutes(Router& router, ServerContext& ctx) {
  router.Add("GET", "/runners",
             [&ctx](const Request& r, const PathParams&) { return Runners(ctx, r); });
  router.Add("DELETE", "/runners/{rn}",
             [&ctx](const Request& r, const PathParams& p) { return Revoke(ctx, r, p[0]); });
  router.Add("GET", "/queue",
             [&ctx](const Request& r, const PathParams&) { return Queue(ctx, r); });
  router.Add("GET", "/healthz", [&ctx](const Request&, const PathParams&) { return Healthz(ctx); });
}

}  // namespace noj::server

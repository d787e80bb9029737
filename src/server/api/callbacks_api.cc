// The operator's view of result callbacks (docs/callbacks.md): GET /callbacks (the outbox's
// figures, per target, and its oldest deliveries) and POST /callbacks/{event_id}/redeliver (a
// dead delivery back to pending). Client token, as the other operations endpoints.

#include <algorithm>

#include "api/callback_bodies.h"
#include "common/ids.h"
#include "common/logging.h"
#include "server/api/handler_util.h"
#include "server/api/routes.h"
#include "server/auth.h"
#include "server/http/respond.h"

namespace noj::server {
namespace {

int64_t DeliveryAgeMs(int64_t now, int64_t since) {
  return since > 0 ? std::max<int64_t>(0, now - since) : 0;
}

api::DeliveryView DeliveryViewOf(const store::DeliveryRecord& d, int64_t now) {
  return api::DeliveryView{.event_id = d.event_id,
                           .submission_id = d.submission_id,
                           .job_id = d.job_id,
                           .url = d.url,
                           .state = d.state == store::DeliveryState::kDead ? "dead" : "pending",
                           .leased = d.state == store::DeliveryState::kPending &&
                                     !d.lease_owner.empty() && d.lease_until > now,
                           .attempts = d.attempts,
                           .created_at = d.created_at,
                           .next_attempt_at = d.next_attempt_at,
                           .last_attempt_at = d.last_attempt_at,
                           .last_error = d.last_error};
}

HandlerResult ListCallbacks(ServerContext& ctx, const Request& req) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  store::DeliveryFilter filter;
  if (const std::string* v = req.Query("state"); v != nullptr && !v->empty()) {
    if (*v == "pending")
      filter.state = store::DeliveryState::kPending;
    else if (*v == "dead")
      filter.state = store::DeliveryState::kDead;
    else
      return ErrorResponse(400, "state must be pending or dead");
  }
  if (const std::string* v = req.Query("limit"); v != nullptr && !v->empty()) {
    auto limit = ParseIntInRange(*v, 1, 1000);
    if (!limit) return ErrorResponse(400, "limit must be from 1 to 1000");
    filter.limit = static_cast<int>(*limit);
  }
  const int64_t now = ctx.clock.NowMs();
  auto stats = ctx.store.GetDeliveryStats(now);
  if (!stats.ok()) return ErrorResponse(stats.status());
  auto deliveries = ctx.store.ListDeliveries(filter);
  if (!deliveries.ok()) return ErrorResponse(deliveries.status());
  api::CallbacksView out{
      .pending = stats->pending,
      .leased = stats->leased,
      .dead = stats->dead,
      .oldest_pending_age_ms = DeliveryAgeMs(now, stats->oldest_pending_created_at),
      .delivered_total = stats->delivered_total,
      .superseded_total = stats->superseded_total};
  for (const store::DeliveryTargetStats& t : stats->targets)
    out.targets.push_back(
        {.url = t.url,
         .pending = t.pending,
         .dead = t.dead,
         .oldest_pending_age_ms = DeliveryAgeMs(now, t.oldest_pending_created_at)});
  for (const store::DeliveryRecord& d : *deliveries)
    out.deliveries.push_back(DeliveryViewOf(d, now));
  return JsonOk(200, api::CallbacksViewToJson(out));
}

// "msg_" + a job id (store.h): anything else cannot name a delivery.
bool IsEventId(const std::string& id) {
  return id.rfind("msg_", 0) == 0 && ids::IsJobId(id.substr(4));
}

HandlerResult RedeliverCallback(ServerContext& ctx, const Request& req,
                                const std::string& event_id) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  if (!IsEventId(event_id)) return ErrorResponse(404, "no such delivery");
  Status s = ctx.store.Redeliver(event_id, ctx.clock.NowMs());
  if (s.code() == ErrorCode::kNotFound) return ErrorResponse(404, "no such delivery");
  if (s.code() == ErrorCode::kFailedPrecondition)
    return ErrorResponse(409, "the delivery is not dead: it is still being tried");
  if (!s.ok()) return ErrorResponse(s);
  NOJ_LOG_INFO("event=callback_redelivered id={}", event_id);
  return JsonOk(200, api::RedeliverResponseToJson(event_id));
}

}  // namespace

void AddCallbackRoutes(Router& router, ServerContext& ctx) {
  router.Add("GET", "/callbacks",
             [&ctx](const Request& r, const PathParams&) { return ListCallbacks(ctx, r); });
  router.Add(
      "POST", "/callbacks/{event_id}/redeliver",
      [&ctx](const Request& r, const PathParams& p) { return RedeliverCallback(ctx, r, p[0]); });
}

}  // namespace noj::server

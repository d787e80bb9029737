// Client API, submissions (protocol.md §5): submit, show (with ?wait= long-poll), case output,
// rejudge, list. Submit and rejudge are one Dispatcher call each.

#include <boost/json.hpp>

#include "api/codec.h"
#include "api/job_payload.h"
#include "api/submission_bodies.h"
#include "callbacks/allow_list.h"
#include "callbacks/callback_url.h"
#include "common/ids.h"
#include "dispatch/topics.h"
#include "server/api/handler_util.h"
#include "server/api/routes.h"
#include "server/auth.h"
#include "server/http/respond.h"
#include "store/submission_view.h"

namespace noj::server {
namespace {

namespace bj = boost::json;

// Where a submission's results go (docs/callbacks.md): the operator's default when it names none,
// nowhere for "", else its own url if the allow-list admits it (checked here, at submit: a client
// must not make nojd call arbitrary addresses; the address is checked again at connect time).
Result<std::string> CallbackUrlOf(const ServerContext& ctx,
                                  const std::optional<std::string>& requested) {
  if (!requested) return ctx.config.callbacks.default_url;
  if (requested->empty()) return std::string();
  // Both name the field in their messages ("callback_url: …").
  NOJ_ASSIGN_OR_RETURN(callbacks::CallbackUrl url, callbacks::ParseCallbackUrl(*requested));
  NOJ_RETURN_IF_ERROR(ctx.callback_allow.CheckUrl(url));
  return url.text;
}

HandlerResult Submit(ServerContext& ctx, const Request& req) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  int http_status = 400;
  auto body = ParseJsonBody(req, false, http_status);
  if (!body.ok()) return ErrorResponse(http_status, body.status().message());
  auto request = api::SubmitRequestFromJson(*body);
  if (!request.ok()) return ErrorResponse(400, request.status().message());
  if (request->code.size() > ctx.config.max_code_bytes)
    return ErrorResponse(
        400, "code is larger than " + std::to_string(ctx.config.max_code_bytes) + " bytes");
  auto callback_url = CallbackUrlOf(ctx, request->callback_url);
  if (!callback_url.ok()) return ErrorResponse(400, callback_url.status().message());
  auto enqueued = ctx.dispatcher.Enqueue(
      dispatch::SubmitRequest{request->problem_id, request->language, std::move(request->code),
                              request->priority, std::move(*callback_url)});
  if (!enqueued.ok()) return ErrorResponse(enqueued.status());
  return JsonOk(201, api::SubmitResponseToJson({.submission_id = enqueued->submission_id,
                                                .status = store::kPendingStatus}));
}

// The submission as a response once it is final (or `final_only` is false); nullopt otherwise.
std::optional<Response> ShowOnce(ServerContext& ctx, const std::string& sid, bool final_only) {
  auto sub = ctx.store.GetSubmission(sid);
  if (!sub.ok()) return ErrorResponse(sub.status());
  if (final_only && sub->status == store::kPendingStatus) return std::nullopt;
  return JsonOk(200, api::SubmissionViewToJson(store::ToSubmissionView(*sub)));
}

HandlerResult ShowSubmission(ServerContext& ctx, const Request& req, const std::string& sid) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  if (!ids::IsSubmissionId(sid)) return ErrorResponse(404, "no such submission");
  auto wait = ParseWaitSeconds(req);
  if (!wait.ok()) return ErrorResponse(400, wait.status().message());
  if (auto r = ShowOnce(ctx, sid, *wait > 0)) return std::move(*r);
  LongPoll lp;
  lp.topic = dispatch::SubmissionTopic(sid);
  lp.deadline_ms = MonotonicMs() + *wait * 1000;
  lp.retry = [&ctx, sid] { return ShowOnce(ctx, sid, true); };
  lp.on_timeout = [&ctx, sid] { return *ShowOnce(ctx, sid, false); };
  return lp;
}

HandlerResult CaseOutput(ServerContext& ctx, const Request& req, const PathParams& p) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  auto task = ParseIntInRange(p[1], 0, 98);
  auto index = ParseIntInRange(p[2], 0, 98);
  if (!ids::IsSubmissionId(p[0]) || !task || !index) return ErrorResponse(404, "no such case");
  auto out = ctx.store.GetCaseOutput(p[0], static_cast<int>(*task), static_cast<int>(*index));
  if (!out.ok()) return ErrorResponse(out.status());
  return JsonOk(200, api::CaseOutputToJson(out->stdout_text, out->stderr_text));
}

HandlerResult Rejudge(ServerContext& ctx, const Request& req, const std::string& sid) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  if (!ids::IsSubmissionId(sid)) return ErrorResponse(404, "no such submission");
  int http_status = 400;
  auto body = ParseJsonBody(req, true, http_status);
  if (!body.ok()) return ErrorResponse(http_status, body.status().message());
  auto priority = api::RejudgePriorityFromJson(*body);
  if (!priority.ok()) return ErrorResponse(400, priority.status().message());
  auto job_id = ctx.dispatcher.Rejudge(sid, *priority);
  if (!job_id.ok()) return ErrorResponse(job_id.status());
  return JsonOk(202, api::RejudgeResponseToJson(*job_id));
}

HandlerResult List(ServerContext& ctx, const Request& req) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  store::SubmissionFilter f;
  if (const std::string* v = req.Query("problem_id"); v != nullptr && !v->empty()) {
    auto pid = ParseProblemId(*v);
    if (!pid) return ErrorResponse(400, "problem_id must be a positive integer");
    f.problem_id = *pid;
  }
  if (const std::string* v = req.Query("status"); v != nullptr && !v->empty()) {
    bool negative = (*v)[0] == '-';
    auto st = ParseIntInRange(negative ? v->substr(1) : *v, 0, 7);
    if (!st || (negative && *st > 2)) return ErrorResponse(400, "status must be from -2 to 7");
    f.status = static_cast<int>(negative ? -*st : *st);
  }
  if (const std::string* v = req.Query("limit"); v != nullptr && !v->empty()) {
    auto lim = ParseIntInRange(*v, 1, 1000);
    if (!lim) return ErrorResponse(400, "limit must be from 1 to 1000");
    f.limit = static_cast<int>(*lim);
  }
  if (const std::string* v = req.Query("before"); v != nullptr && !v->empty()) {
    if (!ids::IsSubmissionId(*v)) return ErrorResponse(400, "before must be a submission id");
    f.before = *v;
  }
  auto subs = ctx.store.ListSubmissions(f);
  if (!subs.ok()) return ErrorResponse(subs.status());
  std::vector<api::SubmissionView> page;
  for (const store::SubmissionRecord& s : *subs) page.push_back(store::ToSubmissionView(s));
  std::optional<std::string> next_before;
  if (static_cast<int>(subs->size()) == f.limit && !subs->empty())
    next_before = subs->back().submission_id;
  return JsonOk(200, api::SubmissionListToJson(page, next_before));
}

}  // namespace

void AddSubmissionRoutes(Router& router, ServerContext& ctx) {
  router.Add("POST", "/submissions",
             [&ctx](const Request& r, const PathParams&) { return Submit(ctx, r); });
  router.Add("GET", "/submissions",
             [&ctx](const Request& r, const PathParams&) { return List(ctx, r); });
  router.Add("GET", "/submissions/{sid}", [&ctx](const Request& r, const PathParams& p) {
    return ShowSubmission(ctx, r, p[0]);
  });
  router.Add("GET", "/submissions/{sid}/cases/{task}/{case}",
             [&ctx](const Request& r, const PathParams& p) { return CaseOutput(ctx, r, p); });
  router.Add("POST", "/submissions/{sid}/rejudge",
             [&ctx](const Request& r, const PathParams& p) { return Rejudge(ctx, r, p[0]); });
}

}  // namespace noj::server

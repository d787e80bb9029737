// Runner API (protocol.md §2.1–2.5): register, heartbeat, next-job (long-poll), complete, abort.
// Each handler decodes (api/ bodies), makes one Dispatcher call, and shapes the response. (The
// runner's own client of this API is src/runner/runner_api.cc.)

#include <boost/json.hpp>
#include <memory>
#include <utility>
#include <variant>

#include "api/capabilities_codec.h"
#include "api/codec.h"
#include "api/runner_bodies.h"
#include "common/crypto.h"
#include "common/logging.h"
#include "dispatch/topics.h"
#include "server/api/handler_util.h"
#include "server/api/routes.h"
#include "server/auth.h"
#include "server/code_link.h"
#include "server/http/respond.h"

namespace noj::server {
namespace {

namespace bj = boost::json;

constexpr size_t kMaxSandboxLine = 512;  // a protections line is ~120 characters

HandlerResult Register(ServerContext& ctx, const Request& req) {
  int http_status = 400;
  auto body = ParseJsonBody(req, true, http_status);
  if (!body.ok()) return ErrorResponse(http_status, body.status().message());
  // The token first: a wrong one is a 401 whatever else the body holds.
  auto token = api::RegistrationTokenFromJson(*body);
  if (!token.ok()) return ErrorResponse(400, token.status().message());
  if (ctx.secrets.registration_token.empty())
    return ErrorResponse(401, "invalid registration token (registration is disabled)");
  if (!crypto::ConstantTimeEquals(crypto::Sha256Hex(*token),
                                  crypto::Sha256Hex(ctx.secrets.registration_token)))
    return ErrorResponse(401, "invalid registration token");
  // The name, the sandbox line and (judging.md §5) what it can judge; absent capabilities are
  // Normal-OJ's runner (languages 0-2, no feature).
  auto request = api::RegisterRequestFromJson(*body);
  if (!request.ok()) return ErrorResponse(400, request.status().message());
  // Extension (docs/protocol.md): the runner's sandbox protections, shown on GET /runners. Another
  // runner may use the name for something else: a value we cannot show is ignored, as unknown
  // fields are (contract §1), rather than refusing the registration.
  std::string sandbox_line = std::move(request->sandbox);
  if (sandbox_line.size() > kMaxSandboxLine) {
    NOJ_LOG_WARN("event=runner_sandbox_ignored reason=too_long bytes={}", sandbox_line.size());
    sandbox_line.clear();
  }
  auto registered = ctx.dispatcher.Register(
      dispatch::Registration{std::move(request->name), std::move(sandbox_line),
                             std::move(request->capabilities), request->speed_score});
  if (!registered.ok()) return ErrorResponse(registered.status());

  api::RegisterResponse reply;
  reply.runner_id = registered->runner_id;
  reply.token = std::move(registered->token);
  reply.config.heartbeat_interval_sec = static_cast<int>(ctx.config.heartbeat_interval_s);
  reply.config.poll_interval_sec = static_cast<int>(ctx.config.poll_interval_s);
  reply.config.max_concurrent_jobs = static_cast<int>(ctx.config.max_concurrent_jobs);
  return RunnerOk(201, api::RegisterResponseToJson(reply));
}

HandlerResult Heartbeat(ServerContext& ctx, const Request& req, const std::string& rn) {
  if (Status s = AuthenticateRunner(ctx, req, rn); !s.ok()) return ErrorResponse(s);
  int http_status = 400;
  auto body = ParseJsonBody(req, true, http_status);
  if (!body.ok()) return ErrorResponse(http_status, body.status().message());
  auto beat = api::HeartbeatRequestFromJson(*body);
  if (!beat.ok()) return ErrorResponse(400, beat.status().message());
  auto out = ctx.dispatcher.Heartbeat(rn, beat->active_job_ids);
  if (!out.ok()) {
    if (out.status().code() == ErrorCode::kNotFound)
      return ErrorResponse(401, "invalid runner token");
    return ErrorResponse(out.status());
  }
  if (!beat->want_hints) return Empty(204);
  return RunnerOk(200, api::HeartbeatResponseToJson(api::HeartbeatResponse{out->cancel}));
}

// The job payload of a lease (protocol.md §2.3), with a signed code link.
Response JobResponse(const ServerContext& ctx, const dispatch::ClaimResult& claim) {
  const store::JobRecord& job = claim.job;
  api::JobPayload payload;
  payload.job_id = job.job_id;
  payload.submission_id = job.submission_id;
  payload.problem_id = job.problem_id;
  payload.language = static_cast<api::Language>(job.language);
  payload.attempt = job.attempts;
  payload.code_url = MakeCodeUrl(ctx.config.public_url, ctx.secrets.code_url_key, job.submission_id,
                                 ctx.clock.NowMs() / 1000 + ctx.config.code_url_ttl_s);
  payload.tasks = claim.problem->tasks;
  payload.checksum = claim.problem->checksum;
  payload.problem_version = claim.problem->version;
  return RunnerOk(200, api::JobPayloadToJson(payload));
}

// One claim: a response when a job was leased (or an error), nullopt when nothing to do.
std::optional<Response> TryClaim(ServerContext& ctx, const std::string& rn,
                                 const api::RunnerCapabilities& caps, bool arrival) {
  auto claim = ctx.dispatcher.Claim(rn, caps, arrival);
  if (!claim.ok()) return ErrorResponse(claim.status());
  if (claim->kind != dispatch::ClaimKind::kLeased) return std::nullopt;  // the usual "no job"
  return JobResponse(ctx, *claim);
}

HandlerResult NextJob(ServerContext& ctx, const Request& req, const std::string& rn) {
  api::RunnerCapabilities caps;
  if (Status s = AuthenticateRunner(ctx, req, rn, &caps); !s.ok()) return ErrorResponse(s);
  auto wait = ParseWaitSeconds(req);
  if (!wait.ok()) return ErrorResponse(400, wait.status().message());
  if (*wait == 0) {
    if (auto r = TryClaim(ctx, rn, caps, /*arrival=*/false)) return std::move(*r);
    return Empty(204);
  }
  // Parked first, then tried: the connection registers as a waiter before its first claim, so an
  // enqueue in between wakes it, and an idle poll costs one claim, not two. The first try is the
  // arrival (the dispatcher's gate may skip it); wake-ups and re-checks always claim.
  LongPoll lp;
  lp.topic = dispatch::kJobsTopic;
  lp.deadline_ms = MonotonicMs() + *wait * 1000;
  auto first = std::make_shared<bool>(true);
  lp.retry = [&ctx, rn, req, first, caps]() -> std::optional<Response> {
    // The runner may have been revoked while parked.
    if (Status s = AuthenticateRunner(ctx, req, rn); !s.ok()) return ErrorResponse(s);
    return TryClaim(ctx, rn, caps, std::exchange(*first, false));
  };
  lp.on_timeout = [] { return Empty(204); };
  // Woken by a new job only when it can take it ("jobs@<class>" notifications).
  lp.accepts = [caps](std::string_view detail) {
    std::optional<api::JobRequirements> r = api::RequirementsFromKey(detail);
    return !r || caps.CanTake(*r);
  };
  return lp;
}

// The attempt of X-Job-Attempt: nullopt when absent; kInvalidArgument when not a number.
Result<std::optional<int>> AttemptHeader(const Request& req) {
  const std::string* h = req.Header("x-job-attempt");
  if (h == nullptr) return std::optional<int>();
  auto v = ParseIntInRange(*h, 0, 1'000'000);
  if (!v) return InvalidArgumentError("X-Job-Attempt must be a non-negative integer");
  return std::optional<int>(static_cast<int>(*v));
}

// What complete and abort share, checked in the protocol's order: auth (401), X-Job-Attempt syntax
// (400), the job and its lease (404/409, the dispatcher's one check), the JSON body (400/415).
struct HeldRequest {
  dispatch::LeaseInfo lease;
  std::optional<int> attempt;
  bj::object body;
};

std::variant<Response, HeldRequest> CheckHeld(ServerContext& ctx, const Request& req,
                                              const std::string& rn, const std::string& jb,
                                              dispatch::Endpoint endpoint, bool allow_empty_body) {
  if (Status s = AuthenticateRunner(ctx, req, rn); !s.ok()) return ErrorResponse(s);
  auto attempt = AttemptHeader(req);
  if (!attempt.ok()) return ErrorResponse(400, attempt.status().message());
  auto lease = ctx.dispatcher.HeldLease(rn, jb, *attempt, endpoint);
  if (!lease.ok()) return ErrorResponse(lease.status());
  int http_status = 400;
  auto body = ParseJsonBody(req, allow_empty_body, http_status);
  if (!body.ok()) return ErrorResponse(http_status, body.status().message());
  return HeldRequest{std::move(*lease), *attempt, std::move(*body)};
}

HandlerResult Complete(ServerContext& ctx, const Request& req, const std::string& rn,
                       const std::string& jb) {
  auto checked =
      CheckHeld(ctx, req, rn, jb, dispatch::Endpoint::kComplete, /*allow_empty_body=*/false);
  if (auto* error = std::get_if<Response>(&checked)) return std::move(*error);
  auto& [lease, attempt, body] = std::get<HeldRequest>(checked);
  auto cases = api::ReportedCasesFromJson(body);
  if (!cases.ok()) return ErrorResponse(400, cases.status().message());
  auto out = ctx.dispatcher.Complete(lease, attempt, *cases);
  if (!out.ok()) return ErrorResponse(out.status());
  return Empty(204);  // landed, or dropped as stale: the runner is done either way
}

HandlerResult Abort(ServerContext& ctx, const Request& req, const std::string& rn,
                    const std::string& jb) {
  auto checked = CheckHeld(ctx, req, rn, jb, dispatch::Endpoint::kAbort, /*allow_empty_body=*/true);
  if (auto* error = std::get_if<Response>(&checked)) return std::move(*error);
  auto& [lease, attempt, body] = std::get<HeldRequest>(checked);
  auto request = api::AbortRequestFromJson(body);
  if (!request.ok()) return ErrorResponse(400, request.status().message());
  auto out = ctx.dispatcher.Abort(lease, attempt, request->reason);
  if (!out.ok()) return ErrorResponse(out.status());
  return Empty(202);
}

}  // namespace

void AddRunnerRoutes(Router& router, ServerContext& ctx) {
  router.Add("POST", "/runners/register",
             [&ctx](const Request& r, const PathParams&) { return Register(ctx, r); });
  router.Add("POST", "/runners/{rn}/heartbeat",
             [&ctx](const Request& r, const PathParams& p) { return Heartbeat(ctx, r, p[0]); });
  router.Add("GET", "/runners/{rn}/next-job",
             [&ctx](const Request& r, const PathParams& p) { return NextJob(ctx, r, p[0]); });
  router.Add(
      "PUT", "/runners/{rn}/jobs/{jb}/complete",
      [&ctx](const Request& r, const PathParams& p) { return Complete(ctx, r, p[0], p[1]); });
  router.Add("PUT", "/runners/{rn}/jobs/{jb}/abort",
             [&ctx](const Request& r, const PathParams& p) { return Abort(ctx, r, p[0], p[1]); });
}

}  // namespace noj::server

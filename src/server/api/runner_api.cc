// Runner API (protocol.md §2.1–2.5): register, heartbeat, next-job (long-poll), complete, abort.
// Handlers parse and validate, call one Store transition, shape the response.

#include <boost/json.hpp>
#include <memory>
#include <utility>
#include <variant>

#include "api/capabilities_codec.h"
#include "api/codec.h"
#include "api/limits.h"
#include "api/runner_bodies.h"
#include "common/crypto.h"
#include "common/ids.h"
#include "common/json_util.h"
#include "common/logging.h"
#include "judge/aggregate.h"
#include "server/api/handler_util.h"
#include "server/api/routes.h"
#include "server/auth.h"
#include "server/code_link.h"
#include "server/http/respond.h"

namespace noj::server {
namespace {

namespace bj = boost::json;

constexpr size_t kMaxSandboxLine = 512;  // a protections line is ~120 characters

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}
std::string LanguagesText(const api::RunnerCapabilities& caps) {
  std::vector<std::string> codes;
  for (int code : caps.languages) codes.push_back(std::to_string(code));
  return Joined(codes);
}

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

  int64_t now = ctx.clock.NowMs();
  store::RunnerRecord rec;
  rec.runner_id = ids::NewRunnerId(now);
  std::string runner_token = ids::NewRunnerToken();
  rec.name = std::move(request->name);
  rec.token_sha256 = crypto::Sha256Hex(runner_token);
  rec.registered_at = now;
  rec.last_seen = now;
  rec.expires_at = now + ctx.config.identity_ttl_s * 1000;
  rec.sandbox = std::move(sandbox_line);
  rec.capabilities = std::move(request->capabilities);
  if (Status s = ctx.store.RegisterRunner(rec); !s.ok()) return ErrorResponse(s);
  NOJ_LOG_INFO("event=runner_registered runner={} name={} sandbox={} languages={} features={}",
               rec.runner_id, logging::Quote(rec.name), json::PythonDumps(bj::string(rec.sandbox)),
               LanguagesText(rec.capabilities),
               Joined(api::FeatureNames(rec.capabilities.features)));

  api::RegisterResponse reply;
  reply.runner_id = rec.runner_id;
  reply.token = std::move(runner_token);
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
  int64_t now = ctx.clock.NowMs();
  auto out = ctx.store.Heartbeat(rn, beat->active_job_ids, now, ctx.config.lease_ttl_s * 1000,
                                 ctx.config.identity_ttl_s * 1000);
  if (!out.ok()) {
    if (out.status().code() == ErrorCode::kNotFound)
      return ErrorResponse(401, "invalid runner token");
    return ErrorResponse(out.status());
  }
  if (!beat->want_hints) return Empty(204);
  return RunnerOk(200, api::HeartbeatResponseToJson(api::HeartbeatResponse{out->cancel}));
}

// One claim attempt for a runner that can do `caps`: a response when a job was leased (or an
// error), nullopt when nothing to do. `at_limit` (when given) tells whether it was the claim bound.
std::optional<Response> TryClaim(ServerContext& ctx, const std::string& rn,
                                 const api::RunnerCapabilities& caps, bool* at_limit = nullptr) {
  int64_t now = ctx.clock.NowMs();
  auto claim = ctx.store.Claim(rn, caps, ctx.lease_policy(), now);
  if (!claim.ok()) return ErrorResponse(claim.status());
  // The claim bound: a runner holding as many leases as one heartbeat may list gets no job (the
  // usual "no job" answer), logged once each time it reaches the bound.
  if (at_limit != nullptr) *at_limit = claim->lease_limit_reached;
  if (claim->lease_limit_reached) {
    if (ctx.lease_limit_log.Reached(rn))
      NOJ_LOG_WARN("event=claim_bound_reached runner={} leases={}", rn,
                   ctx.lease_policy().max_leases_per_runner);
    return std::nullopt;
  }
  ctx.lease_limit_log.Below(rn);
  ctx.metrics.OnExhausted(claim->converged_to_je.size(), ctx.config.max_attempts);
  for (const std::string& sid : claim->converged_to_je) {
    NOJ_LOG_WARN("event=judge_error submission={} reason=max_attempts", sid);
    ctx.notify(SubmissionTopic(sid), -1);
  }
  for (const std::string& jb : claim->discarded_stale_jobs)
    NOJ_LOG_INFO("event=stale_job_discarded job={}", jb);
  if (!claim->job) return std::nullopt;
  const store::JobRecord& job = *claim->job;
  ctx.metrics.OnClaim(claim->reclaimed, job.attempts, now - job.enqueued_at);
  if (claim->reclaimed)
    NOJ_LOG_INFO("event=reclaimed job={} submission={} runner={} previous={} attempt={}",
                 job.job_id, job.submission_id, rn, claim->previous_runner.value_or(""),
                 job.attempts);
  else
    NOJ_LOG_INFO("event=claimed job={} submission={} runner={} attempt={}", job.job_id,
                 job.submission_id, rn, job.attempts);
  // The version the lease judges (judging.md §6): its tasks, its checksum.
  auto problem = ctx.problems.Version(job.problem_id, job.problem_version);
  if (!problem.ok()) return ErrorResponse(problem.status());
  ctx.leases.Put(job.job_id, LeaseInfo{job.problem_id, job.submission_id, rn, job.attempts,
                                       job.enqueued_at, job.requirements, job.problem_version});
  api::JobPayload payload;
  payload.job_id = job.job_id;
  payload.submission_id = job.submission_id;
  payload.problem_id = job.problem_id;
  payload.language = static_cast<api::Language>(job.language);
  payload.attempt = job.attempts;
  payload.code_url = MakeCodeUrl(ctx.config.public_url, ctx.secrets.code_url_key, job.submission_id,
                                 now / 1000 + ctx.config.code_url_ttl_s);
  payload.tasks = (*problem)->tasks;
  payload.checksum = (*problem)->checksum;
  payload.problem_version = (*problem)->version;
  return RunnerOk(200, api::JobPayloadToJson(payload));
}

HandlerResult NextJob(ServerContext& ctx, const Request& req, const std::string& rn) {
  api::RunnerCapabilities caps;
  if (Status s = AuthenticateRunner(ctx, req, rn, &caps); !s.ok()) return ErrorResponse(s);
  auto wait = ParseWaitSeconds(req);
  if (!wait.ok()) return ErrorResponse(400, wait.status().message());
  if (*wait == 0) {
    if (auto r = TryClaim(ctx, rn, caps)) return std::move(*r);
    return Empty(204);
  }
  // Parked first, then tried: the connection registers as a waiter before its first claim, so an
  // enqueue in between wakes it, and an idle poll costs one claim, not two.
  LongPoll lp;
  lp.topic = kJobsTopic;
  lp.deadline_ms = MonotonicMs() + *wait * 1000;
  auto first = std::make_shared<bool>(true);
  const std::string caps_key = api::RunnerCapabilitiesToText(caps);
  lp.retry = [&ctx, rn, req, first, caps, caps_key]() -> std::optional<Response> {
    // The runner may have been revoked while parked.
    if (Status s = AuthenticateRunner(ctx, req, rn); !s.ok()) return ErrorResponse(s);
    bool is_first = std::exchange(*first, false);
    // Nothing was enqueued (here or, with Redis, on any node) since a claim on this node by a
    // runner that can do the same came up empty: skip the arrival claim and just wait. Wake-ups
    // and the periodic re-check always claim (the re-check is what finds expired leases, which
    // announce nothing).
    uint64_t epoch = ctx.jobs_epoch.load();
    if (is_first && ctx.arrival_gate.FoundNothingAt(caps_key, epoch)) return std::nullopt;
    bool at_limit = false;
    auto r = TryClaim(ctx, rn, caps, &at_limit);
    // Empty: arrivals may skip until the next enqueue. A job (perhaps an orphan, and orphans come
    // in batches when a runner dies): the next arrival must claim, or each of a dead runner's
    // jobs would wait a re-check interval. A runner at the claim bound learnt nothing of the queue.
    if (!at_limit) ctx.arrival_gate.Record(caps_key, epoch, r.has_value());
    return r;
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

// Common checks of complete and abort (after auth): the job exists, this runner holds its lease.
// A lease this node handed to this runner is taken from the cache (the transition re-checks it).
Result<LeaseInfo> HeldJob(ServerContext& ctx, const std::string& rn, const std::string& jb,
                          std::optional<int> attempt) {
  if (!ids::IsJobId(jb)) return NotFoundError("no such job");
  if (auto cached = ctx.leases.Get(jb);
      cached && cached->runner_id == rn && (!attempt || *attempt == cached->attempt))
    return *cached;
  auto job = ctx.store.GetJob(jb);
  if (!job.ok()) {
    if (job.status().code() == ErrorCode::kNotFound) return NotFoundError("no such job");
    return job.status();
  }
  if (job->state != store::JobState::kLeased || job->runner_id != rn)
    return AbortedError("this runner does not hold the lease on the job");
  if (attempt && *attempt != job->attempts)
    return AbortedError("attempt " + std::to_string(*attempt) + " is not the current attempt " +
                        std::to_string(job->attempts));
  return LeaseInfo{job->problem_id,   job->submission_id,  rn, job->attempts, job->enqueued_at,
                   job->requirements, job->problem_version};
}

// What complete and abort share, checked in the protocol's order: auth (401), X-Job-Attempt syntax
// (400), the job and its lease (404/409), the JSON body (400/415).
struct HeldRequest {
  LeaseInfo job;
  std::optional<int> attempt;
  bj::object body;
};

// An error answer to complete/abort; a 409 (lease not held) is also counted.
Response Refused(ServerContext& ctx, std::string_view endpoint, const Status& status) {
  Response resp = ErrorResponse(status);
  if (resp.status == 409) ctx.metrics.OnLeaseConflict(endpoint);
  return resp;
}

std::variant<Response, HeldRequest> CheckHeld(ServerContext& ctx, const Request& req,
                                              const std::string& rn, const std::string& jb,
                                              std::string_view endpoint, bool allow_empty_body) {
  if (Status s = AuthenticateRunner(ctx, req, rn); !s.ok()) return ErrorResponse(s);
  auto attempt = AttemptHeader(req);
  if (!attempt.ok()) return ErrorResponse(400, attempt.status().message());
  auto job = HeldJob(ctx, rn, jb, *attempt);
  if (!job.ok()) return Refused(ctx, endpoint, job.status());
  int http_status = 400;
  auto body = ParseJsonBody(req, allow_empty_body, http_status);
  if (!body.ok()) return ErrorResponse(http_status, body.status().message());
  return HeldRequest{std::move(*job), *attempt, std::move(*body)};
}

HandlerResult Complete(ServerContext& ctx, const Request& req, const std::string& rn,
                       const std::string& jb) {
  auto checked = CheckHeld(ctx, req, rn, jb, "complete", /*allow_empty_body=*/false);
  if (auto* error = std::get_if<Response>(&checked)) return std::move(*error);
  auto& [job, attempt, body] = std::get<HeldRequest>(checked);
  auto cases = api::ReportedCasesFromJson(body);
  if (!cases.ok()) return ErrorResponse(400, cases.status().message());
  auto tasks = ctx.problems.Tasks(job.problem_id, job.problem_version);  // the lease's version
  if (!tasks.ok()) return ErrorResponse(tasks.status());
  if (Status s = judge::CheckShape(*tasks, *cases); !s.ok()) return ErrorResponse(400, s.message());

  store::CompletionRequest c;
  c.runner_id = rn;
  c.job_id = jb;
  c.attempt = attempt;
  c.result = judge::Aggregate(*tasks, *cases);
  c.outputs = judge::TruncatedOutputs(*cases, ctx.config.max_output_bytes);
  int64_t now = ctx.clock.NowMs();
  auto out = ctx.store.Complete(c, now);
  if (!out.ok()) {
    if (out.status().code() != ErrorCode::kUnavailable) ctx.leases.Erase(jb);
    return Refused(ctx, "complete", out.status());
  }
  ctx.leases.Erase(jb);
  if (*out == store::CompleteOutcome::kDroppedStale) {
    ctx.metrics.OnStaleDropped();
    NOJ_LOG_INFO("event=stale_result_dropped job={} submission={} runner={} attempt={}", jb,
                 job.submission_id, rn, job.attempt);
  } else {
    ctx.metrics.OnLanded(c.result.status, job.attempt,
                         job.enqueued_at > 0 ? now - job.enqueued_at : -1);
    NOJ_LOG_INFO("event=landed job={} submission={} runner={} attempt={} status={} score={}", jb,
                 job.submission_id, rn, job.attempt, api::VerdictCode(c.result.status),
                 c.result.score);
    ctx.notify(SubmissionTopic(job.submission_id), -1);
  }
  return Empty(204);
}

HandlerResult Abort(ServerContext& ctx, const Request& req, const std::string& rn,
                    const std::string& jb) {
  auto checked = CheckHeld(ctx, req, rn, jb, "abort", /*allow_empty_body=*/true);
  if (auto* error = std::get_if<Response>(&checked)) return std::move(*error);
  auto& [job, attempt, body] = std::get<HeldRequest>(checked);
  auto request = api::AbortRequestFromJson(body);
  if (!request.ok()) return ErrorResponse(400, request.status().message());
  const std::string& why = request->reason;
  bool refund = why == "drain";
  auto out = ctx.store.Abort(rn, jb, attempt, refund, ctx.config.max_attempts, ctx.clock.NowMs());
  ctx.leases.Erase(jb);
  if (!out.ok()) return Refused(ctx, "abort", out.status());
  switch (*out) {
    case store::AbortOutcome::kRequeued:
      NOJ_LOG_INFO("event=aborted job={} submission={} runner={} attempt={} reason={}", jb,
                   job.submission_id, rn, job.attempt, json::PythonDumps(bj::string(why)));
      ctx.notify(JobsTopicFor(job.requirements), 1);
      break;
    case store::AbortOutcome::kJudgeError:
      ctx.metrics.OnExhausted(1, job.attempt);
      NOJ_LOG_WARN(
          "event=judge_error job={} submission={} runner={} attempt={} "
          "reason=abort_at_max_attempts",
          jb, job.submission_id, rn, job.attempt);
      ctx.notify(SubmissionTopic(job.submission_id), -1);
      break;
    case store::AbortOutcome::kDroppedStale:
      NOJ_LOG_INFO("event=stale_job_discarded job={} submission={} runner={} attempt={}", jb,
                   job.submission_id, rn, job.attempt);
      break;
  }
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

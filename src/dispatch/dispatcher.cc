// Dispatcher: construction, runners, the reaper's pass, and the events shared by the transitions.

#include "dispatch/dispatcher.h"

#include <algorithm>

#include "api/capabilities_codec.h"
#include "common/crypto.h"
#include "common/ids.h"
#include "common/logging.h"

namespace noj::dispatch {
namespace {

// A reaper pass settles at most kReapRounds × kReapBatch jobs (each batch one short transaction).
constexpr int kReapBatch = 500;
constexpr int kReapRounds = 100;

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

}  // namespace

Dispatcher::Dispatcher(store::Store& store, const Clock& clock, DispatchConfig config,
                       ProblemCache& problems, LocalBroadcast& broadcast, EventSink& sink)
    : store_(store),
      clock_(clock),
      config_(config),
      problems_(problems),
      broadcast_(broadcast),
      sink_(sink) {
  broadcast_.Subscribe([this](const Message& m) {
    if (std::holds_alternative<JobsAvailable>(m)) jobs_epoch_.fetch_add(1);
  });
}

store::LeasePolicy Dispatcher::lease_policy() const {
  return store::LeasePolicy{config_.lease_ttl_ms, config_.max_attempts};
}

Result<Registered> Dispatcher::Register(Registration registration) {
  const int64_t now = clock_.NowMs();
  store::RunnerRecord rec;
  rec.runner_id = ids::NewRunnerId(now);
  Registered out{rec.runner_id, ids::NewRunnerToken()};
  rec.name = std::move(registration.name);
  rec.token_sha256 = crypto::Sha256Hex(out.token);
  rec.registered_at = now;
  rec.last_seen = now;
  rec.expires_at = now + config_.identity_ttl_ms;
  rec.sandbox = std::move(registration.sandbox);
  rec.capabilities = std::move(registration.capabilities);
  rec.speed_score = registration.speed_score;
  NOJ_RETURN_IF_ERROR(store_.RegisterRunner(rec));
  Event e{.kind = EventKind::kRunnerRegistered, .runner = rec.runner_id};
  e.name = rec.name;
  e.sandbox = rec.sandbox;
  std::vector<std::string> codes;
  for (int code : rec.capabilities.languages) codes.push_back(std::to_string(code));
  e.languages = Joined(codes);
  e.features = Joined(api::FeatureNames(rec.capabilities.features));
  Emit(sink_, e);
  return out;
}

Result<store::HeartbeatOutcome> Dispatcher::Heartbeat(const std::string& runner_id,
                                                      const std::vector<std::string>& job_ids) {
  return store_.Heartbeat(runner_id, job_ids, clock_.NowMs(), config_.lease_ttl_ms,
                          config_.identity_ttl_ms);
}

Status Dispatcher::Revoke(const std::string& runner_id) {
  NOJ_RETURN_IF_ERROR(store_.RevokeRunner(runner_id));
  Emit(sink_, Event{.kind = EventKind::kRunnerRevoked, .runner = runner_id});
  broadcast_.Publish(RunnerRevoked{runner_id});  // this node's auth cache and the others'
  return Status::Ok();
}

void Dispatcher::AnnounceJobs(int64_t count) {
  if (count > 0)
    broadcast_.Publish(
        JobsAvailable{std::nullopt, static_cast<int>(std::min<int64_t>(count, 1 << 20))});
}

void Dispatcher::EmitJudgeError(Event event) {
  event.kind = EventKind::kJudgeError;
  const std::string sid = event.submission;
  Emit(sink_, event);
  broadcast_.Publish(SubmissionFinal{sid});
}

void Dispatcher::EmitSettled(const std::vector<std::string>& converged,
                             const std::vector<std::string>& corrupt,
                             const std::vector<std::string>& problem_missing,
                             const std::vector<std::string>& discarded, const char* source) {
  auto in = [](const std::vector<std::string>& list, const std::string& sid) {
    return std::find(list.begin(), list.end(), sid) != list.end();
  };
  for (const std::string& sid : converged) {
    Event e{.submission = sid, .source = source};
    if (in(corrupt, sid)) {
      e.je_reason = JeReason::kCorrupt;
    } else if (in(problem_missing, sid)) {
      e.je_reason = JeReason::kProblemMissing;
    } else {
      e.je_reason = JeReason::kExhausted;
      e.attempt = config_.max_attempts;  // an exhausted lease had its last attempt
    }
    EmitJudgeError(std::move(e));
  }
  for (const std::string& jb : discarded)
    Emit(sink_, Event{.kind = EventKind::kStaleJobDiscarded, .job = jb, .source = source});
}

void Dispatcher::EmitConflict(const Status& status, Endpoint endpoint, const std::string& job_id,
                              const std::string& runner_id) {
  if (status.code() != ErrorCode::kAborted) return;
  Event e{.kind = EventKind::kLeaseConflict, .job = job_id, .runner = runner_id};
  e.endpoint = endpoint;
  Emit(sink_, e);
}

void Dispatcher::Reap() {
  MutexLock lock(&reap_mu_);
  const int64_t now = clock_.NowMs();
  for (int round = 0; round < kReapRounds; ++round) {
    auto out = store_.ReapExpired(config_.max_attempts, now, kReapBatch);
    if (!out.ok()) {
      NOJ_LOG_WARN("event=reap_failed error=\"{}\"", out.status().ToString());
      return;
    }
    EmitSettled(out->converged_to_je, out->corrupt_je, out->problem_missing_je,
                out->discarded_stale_jobs, "reaper");
    if (out->converged_to_je.size() + out->discarded_stale_jobs.size() < kReapBatch) break;
  }
  if (now - last_forget_ms_ >= config_.forget_runners_every_ms) {
    last_forget_ms_ = now;
    auto n = store_.ForgetExpiredRunners(now);
    if (n.ok() && *n > 0) {
      Event e{.kind = EventKind::kRunnersForgotten};
      e.count = *n;
      Emit(sink_, e);
    }
  }
}

}  // namespace noj::dispatch

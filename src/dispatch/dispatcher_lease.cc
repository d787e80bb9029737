// Dispatcher: the lease — claim (with the arrival gate), the lease-holding check, complete, abort.

#include "api/capabilities_codec.h"
#include "common/ids.h"
#include "dispatch/dispatcher.h"
#include "judge/aggregate.h"

namespace noj::dispatch {
namespace {

LeaseInfo LeaseOf(const store::JobRecord& job) {
  return LeaseInfo{job.job_id,   job.problem_id,  job.submission_id, job.runner_id,
                   job.attempts, job.enqueued_at, job.requirements,  job.problem_version};
}

}  // namespace

Result<ClaimResult> Dispatcher::Claim(const std::string& runner_id,
                                      const api::RunnerCapabilities& caps, bool arrival) {
  const std::string caps_key = api::RunnerCapabilitiesToText(caps);
  // Nothing was announced (here or, with Redis, on any node) since a claim on this node by a runner
  // that can do the same came up empty: an arriving long-poll skips its claim and just waits.
  // Wake-ups and the periodic re-check always claim (the re-check is what finds expired leases,
  // which announce nothing).
  const uint64_t epoch = jobs_epoch_.load();
  if (arrival && arrival_gate_.FoundNothingAt(caps_key, epoch))
    return ClaimResult{.kind = ClaimKind::kNothing, .gated = true};
  const int64_t now = clock_.NowMs();
  NOJ_ASSIGN_OR_RETURN(store::ClaimOutcome claim,
                       store_.Claim(runner_id, caps, lease_policy(), now));
  EmitSettled(claim.converged_to_je, claim.corrupt_je, claim.problem_missing_je,
              claim.discarded_stale_jobs, "");
  // The claim bound: a runner holding as many leases as one heartbeat may list gets no job,
  // reported once each time it reaches the bound. It learnt nothing of the queue: no gate record.
  if (claim.lease_limit_reached) {
    if (lease_limit_log_.Reached(runner_id)) {
      Event e{.kind = EventKind::kClaimBoundReached, .runner = runner_id};
      e.count = lease_policy().max_leases_per_runner;
      Emit(sink_, e);
    }
    return ClaimResult{.kind = ClaimKind::kAtBound};
  }
  lease_limit_log_.Below(runner_id);
  // Empty: arrivals may skip until the next JobsAvailable. A job (perhaps an orphan, and orphans
  // come in batches when a runner dies): the next arrival must claim, or each of a dead runner's
  // jobs would wait a re-check interval.
  arrival_gate_.Record(caps_key, epoch, claim.job.has_value());
  if (!claim.job) return ClaimResult{.kind = ClaimKind::kNothing};
  store::JobRecord& job = *claim.job;
  Event e{.kind = claim.reclaimed ? EventKind::kReclaimed : EventKind::kClaimed,
          .job = job.job_id,
          .submission = job.submission_id,
          .runner = runner_id,
          .previous = claim.previous_runner.value_or(""),
          .attempt = job.attempts};
  e.latency_ms = now - job.enqueued_at;
  Emit(sink_, e);
  // The version the lease judges (judging.md §6): its tasks, its checksum.
  auto problem = problems_.Version(job.problem_id, job.problem_version);
  if (!problem.ok()) {
    if (problem.status().code() != ErrorCode::kNotFound) return problem.status();
    ConvergeProblemMissing(job, runner_id);
    return ClaimResult{.kind = ClaimKind::kNothing};
  }
  job.runner_id = runner_id;
  leases_.Put(LeaseOf(job));
  return ClaimResult{.kind = ClaimKind::kLeased, .job = std::move(job), .problem = *problem};
}

void Dispatcher::ConvergeProblemMissing(const store::JobRecord& job, const std::string& runner_id) {
  // max_attempts 0: the abort lands JE whatever attempts remain.
  auto out = store_.Abort(runner_id, job.job_id, job.attempts, /*refund_attempt=*/false,
                          /*max_attempts=*/0, clock_.NowMs());
  if (!out.ok()) return;  // the lease stays; the reaper or the next claim settles it
  Event e{.job = job.job_id,
          .submission = job.submission_id,
          .runner = runner_id,
          .attempt = job.attempts};
  if (*out == store::AbortOutcome::kJudgeError) {
    e.je_reason = JeReason::kProblemMissing;
    EmitJudgeError(std::move(e));
  } else if (*out == store::AbortOutcome::kDroppedStale) {
    e.kind = EventKind::kStaleJobDiscarded;
    Emit(sink_, e);
  }
}

Result<LeaseInfo> Dispatcher::HeldLease(const std::string& runner_id, const std::string& job_id,
                                        std::optional<int> attempt, Endpoint endpoint) {
  if (!ids::IsJobId(job_id)) return NotFoundError("no such job");
  if (auto cached = leases_.Get(job_id);
      cached && cached->runner_id == runner_id && (!attempt || *attempt == cached->attempt))
    return *cached;
  auto job = store_.GetJob(job_id);
  if (!job.ok()) {
    if (job.status().code() == ErrorCode::kNotFound) return NotFoundError("no such job");
    return job.status();
  }
  Status refused;
  if (job->state != store::JobState::kLeased || job->runner_id != runner_id)
    refused = AbortedError("this runner does not hold the lease on the job");
  else if (attempt && *attempt != job->attempts)
    refused = AbortedError("attempt " + std::to_string(*attempt) + " is not the current attempt " +
                           std::to_string(job->attempts));
  if (!refused.ok()) {
    EmitConflict(refused, endpoint, job_id, runner_id);
    return refused;
  }
  return LeaseOf(*job);
}

Result<CompleteResult> Dispatcher::Complete(const LeaseInfo& lease, std::optional<int> attempt,
                                            const api::ReportedCases& cases) {
  // The tasks of the version the lease judges.
  NOJ_ASSIGN_OR_RETURN(api::TaskSpecs tasks,
                       problems_.Tasks(lease.problem_id, lease.problem_version));
  if (Status s = judge::CheckShape(tasks, cases); !s.ok()) return InvalidArgumentError(s.message());
  store::CompletionRequest c;
  c.runner_id = lease.runner_id;
  c.job_id = lease.job_id;
  c.attempt = attempt;
  c.result = judge::Aggregate(tasks, cases);
  c.outputs = judge::TruncatedOutputs(cases, config_.max_output_bytes);
  const int64_t now = clock_.NowMs();
  auto out = store_.Complete(c, now);
  if (!out.ok()) {
    // Unavailable: the runner retries and the lease is still ours to answer from the cache.
    if (out.status().code() != ErrorCode::kUnavailable) leases_.Erase(lease.job_id);
    EmitConflict(out.status(), Endpoint::kComplete, lease.job_id, lease.runner_id);
    return out.status();
  }
  leases_.Erase(lease.job_id);
  Event e{.job = lease.job_id,
          .submission = lease.submission_id,
          .runner = lease.runner_id,
          .attempt = lease.attempt};
  if (*out == store::CompleteOutcome::kDroppedStale) {
    e.kind = EventKind::kStaleResultDropped;
    Emit(sink_, e);
    return CompleteResult::kDroppedStale;
  }
  e.kind = EventKind::kLanded;
  e.verdict = c.result.status;
  e.score = c.result.score;
  e.latency_ms = lease.enqueued_at > 0 ? now - lease.enqueued_at : -1;
  Emit(sink_, e);
  broadcast_.Publish(SubmissionFinal{lease.submission_id});
  return CompleteResult::kLanded;
}

Result<AbortResult> Dispatcher::Abort(const LeaseInfo& lease, std::optional<int> attempt,
                                      const std::string& reason) {
  const bool refund = reason == "drain";
  auto out = store_.Abort(lease.runner_id, lease.job_id, attempt, refund, config_.max_attempts,
                          clock_.NowMs());
  leases_.Erase(lease.job_id);
  if (!out.ok()) {
    EmitConflict(out.status(), Endpoint::kAbort, lease.job_id, lease.runner_id);
    return out.status();
  }
  Event e{.job = lease.job_id,
          .submission = lease.submission_id,
          .runner = lease.runner_id,
          .attempt = lease.attempt};
  switch (*out) {
    case store::AbortOutcome::kRequeued:
      e.kind = EventKind::kAborted;
      e.reason = reason;
      Emit(sink_, e);
      broadcast_.Publish(JobsAvailable{lease.requirements, 1});
      return AbortResult::kRequeued;
    case store::AbortOutcome::kJudgeError:
      e.je_reason = JeReason::kAbortAtMaxAttempts;
      EmitJudgeError(std::move(e));
      return AbortResult::kJudgeError;
    case store::AbortOutcome::kDroppedStale:
      e.kind = EventKind::kStaleJobDiscarded;
      Emit(sink_, e);
      return AbortResult::kDroppedStale;
  }
  return AbortResult::kDroppedStale;
}

}  // namespace noj::dispatch

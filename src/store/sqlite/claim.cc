// Claim (orphans first, then pending by priority, FIFO; only jobs the runner can take) and the
// reaper's convergence to JE.

#include <utility>

#include "store/sqlite/job_steps.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/statements.h"
#include "store/sqlite/transitions.h"

namespace noj::store::sqlite {

namespace {

// Bounded work per claim: at most this many jobs are settled (JE / discarded) before one is
// leased. The rest is left for the next claim or the reaper; the transaction stays short.
constexpr int kMaxSettledPerClaim = 32;

// The requirement classes present among the jobs of one state (kNextPendingClass /
// kNextLeasedClass) that `caps` can take, in key order: one index seek per class present, so the
// cost follows the number of classes, not of jobs. A key that does not parse is kept: its jobs are
// corrupted, and the claim that meets them settles them.
Result<std::vector<std::string>> TakeableClasses(Db& db, const char* next_class,
                                                 const api::RunnerCapabilities& caps) {
  std::vector<std::string> out;
  std::string after;
  for (;;) {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(next_class));
    stmt.BindText(1, after);
    NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    after = stmt.Text(0);
    const std::optional<api::JobRequirements> r = api::RequirementsFromKey(after);
    if (!r || caps.CanTake(*r)) out.push_back(after);
  }
}

// The head of one class's queue, with its place in the order across classes.
struct Head {
  ScannedJob scanned;
  int64_t first = 0;  // lease_deadline (orphans) or priority (pending)
  int64_t seq = 0;
};

// The first job over `classes` of a per-class query (kFirstOrphanOfClass with `now`, or
// kFirstPendingOfClass), by (first, seq); nullopt when every class is empty.
Result<std::optional<Head>> FirstOf(Db& db, const char* query,
                                    const std::vector<std::string>& classes,
                                    std::optional<int64_t> now) {
  std::optional<Head> best;
  for (const std::string& req_class : classes) {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(query));
    stmt.BindText(1, req_class);
    if (now) stmt.BindInt(2, *now);
    NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) continue;
    Head head{ScanJob(stmt), now ? stmt.Int(8) : stmt.Int(4), stmt.Int(12)};
    if (!best || std::pair(head.first, head.seq) < std::pair(best->first, best->seq))
      best = std::move(head);
  }
  return best;
}

// The classes a claim may take from, listed once per claim.
struct Takeable {
  std::vector<std::string> leased;
  std::vector<std::string> pending;
};

// Settles the scanned job if it is corrupted or can never run again; true if it did.
Result<bool> Settle(Db& db, const ScannedJob& scanned, const LeasePolicy& policy, int64_t now,
                    const Settled& settled) {
  if (!scanned.corrupt_reason.empty()) {
    NOJ_RETURN_IF_ERROR(SettleCorrupt(db, scanned, now, settled));
    return true;
  }
  return SettleIfDead(db, scanned.job, policy.max_attempts, now, settled);
}

// Leases `job` to `runner_id` with attempts + 1 and mirrors the attempts on its submission.
Status Lease(Db& db, JobRecord& job, const std::string& runner_id, const LeasePolicy& policy,
             int64_t now) {
  job.state = JobState::kLeased;
  job.attempts += 1;
  job.runner_id = runner_id;
  job.lease_deadline = now + policy.lease_ttl_ms;
  // The lease judges the problem as it is now (judging.md §6), even a reclaimed orphan's.
  NOJ_ASSIGN_OR_RETURN(job.problem_version, CurrentProblemVersion(db, job.problem_id));
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kLeaseJob));
  stmt.BindText(1, job.job_id)
      .BindInt(2, job.attempts)
      .BindText(3, job.runner_id)
      .BindInt(4, job.lease_deadline)
      .BindInt(5, job.problem_version);
  NOJ_RETURN_IF_ERROR(stmt.Run());
  return SetSubmissionAttempts(db, job.submission_id, job.attempts);
}

// One step of the claim loop: settles or leases the first takeable orphan, else the first takeable
// pending job. Returns true when the claim is finished (leased, or nothing left).
Result<bool> ClaimStep(Db& db, const std::string& runner_id, const Takeable& takeable,
                       const LeasePolicy& policy, int64_t now, ClaimOutcome& out) {
  const Settled settled{&out.converged_to_je, &out.discarded_stale_jobs, &out.corrupt_je,
                        &out.problem_missing_je};
  NOJ_ASSIGN_OR_RETURN(std::optional<Head> orphan,
                       FirstOf(db, sql::kFirstOrphanOfClass, takeable.leased, now));
  if (orphan) {
    NOJ_ASSIGN_OR_RETURN(bool dead, Settle(db, orphan->scanned, policy, now, settled));
    if (dead) return false;
    JobRecord& job = orphan->scanned.job;
    std::string previous = job.runner_id;
    NOJ_RETURN_IF_ERROR(Lease(db, job, runner_id, policy, now));
    NOJ_RETURN_IF_ERROR(BumpCounter(db, "reclaimed_total"));
    out.reclaimed = true;
    out.previous_runner = std::move(previous);
    out.job = std::move(job);
    return true;
  }
  NOJ_ASSIGN_OR_RETURN(std::optional<Head> pending,
                       FirstOf(db, sql::kFirstPendingOfClass, takeable.pending, std::nullopt));
  if (!pending) return true;
  NOJ_ASSIGN_OR_RETURN(bool dead, Settle(db, pending->scanned, policy, now, settled));
  if (dead) return false;
  NOJ_RETURN_IF_ERROR(Lease(db, pending->scanned.job, runner_id, policy, now));
  out.job = std::move(pending->scanned.job);
  return true;
}

// True when the runner already holds policy.max_leases_per_runner leases.
Result<bool> AtLeaseLimit(Db& db, const std::string& runner_id, const LeasePolicy& policy) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kCountHeldBy));
  stmt.BindText(1, runner_id);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row && stmt.Int(0) >= policy.max_leases_per_runner;
}

}  // namespace

Result<ClaimOutcome> ClaimTx(Db& db, const std::string& runner_id,
                             const api::RunnerCapabilities& capabilities, const LeasePolicy& policy,
                             int64_t now) {
  ClaimOutcome out;
  NOJ_ASSIGN_OR_RETURN(out.lease_limit_reached, AtLeaseLimit(db, runner_id, policy));
  if (out.lease_limit_reached) return out;
  Takeable takeable;
  NOJ_ASSIGN_OR_RETURN(takeable.leased, TakeableClasses(db, sql::kNextLeasedClass, capabilities));
  NOJ_ASSIGN_OR_RETURN(takeable.pending, TakeableClasses(db, sql::kNextPendingClass, capabilities));
  for (int step = 0; step <= kMaxSettledPerClaim; ++step) {
    NOJ_ASSIGN_OR_RETURN(bool done, ClaimStep(db, runner_id, takeable, policy, now, out));
    if (done) return out;
  }
  return out;  // bounded: the rest is left for the next claim or the reaper
}

Result<ReapOutcome> ReapExpiredTx(Db& db, int max_attempts, int64_t now, int limit) {
  ReapOutcome out;
  if (limit <= 0) return out;
  std::vector<ScannedJob> candidates;
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kReapCandidates));
    stmt.BindInt(1, now).BindInt(2, max_attempts).BindInt(3, limit);
    while (true) {
      NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      candidates.push_back(ScanJob(stmt));
    }
  }
  // Settled after the scan: the statement is released before the rows it walked change.
  const Settled settled{&out.converged_to_je, &out.discarded_stale_jobs, &out.corrupt_je,
                        &out.problem_missing_je};
  const LeasePolicy policy{0, max_attempts};
  for (const ScannedJob& scanned : candidates) {
    NOJ_RETURN_IF_ERROR(Settle(db, scanned, policy, now, settled).status());
  }
  return out;
}

}  // namespace noj::store::sqlite

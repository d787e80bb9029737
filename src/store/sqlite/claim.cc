// Claim (orphans first, then pending by priority, FIFO) and the reaper's convergence to JE.

#include "common/logging.h"
#include "store/sqlite/job_steps.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/statements.h"
#include "store/sqlite/transitions.h"

namespace noj::store::sqlite {

namespace {

// Bounded work per claim: at most this many jobs are settled (JE / discarded) before one is
// leased. The rest is left for the next claim or the reaper; the transaction stays short.
constexpr int kMaxSettledPerClaim = 32;

// The first job of a scan query (kFirstOrphan / kFirstPending), or nullopt.
Result<std::optional<ScannedJob>> FirstJob(Db& db, const char* query, std::optional<int64_t> now) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(query));
  if (now) stmt.BindInt(1, *now);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<ScannedJob>();
  return std::optional<ScannedJob>(ScanJob(stmt));
}

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
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kLeaseJob));
  stmt.BindText(1, job.job_id)
      .BindInt(2, job.attempts)
      .BindText(3, job.runner_id)
      .BindInt(4, job.lease_deadline);
  NOJ_RETURN_IF_ERROR(stmt.Run());
  return SetSubmissionAttempts(db, job.submission_id, job.attempts);
}

// One step of the claim loop: settles or leases the head of the orphan queue, else of the pending
// queue. Returns true when the claim is finished (leased, or nothing left).
Result<bool> ClaimStep(Db& db, const std::string& runner_id, const LeasePolicy& policy, int64_t now,
                       ClaimOutcome& out) {
  const Settled settled{&out.converged_to_je, &out.discarded_stale_jobs};
  NOJ_ASSIGN_OR_RETURN(std::optional<ScannedJob> orphan, FirstJob(db, sql::kFirstOrphan, now));
  if (orphan) {
    NOJ_ASSIGN_OR_RETURN(bool dead, Settle(db, *orphan, policy, now, settled));
    if (dead) return false;
    JobRecord& job = orphan->job;
    std::string previous = job.runner_id;
    NOJ_RETURN_IF_ERROR(Lease(db, job, runner_id, policy, now));
    NOJ_RETURN_IF_ERROR(BumpCounter(db, "reclaimed_total"));
    out.reclaimed = true;
    out.previous_runner = std::move(previous);
    out.job = std::move(job);
    return true;
  }
  NOJ_ASSIGN_OR_RETURN(std::optional<ScannedJob> pending,
                       FirstJob(db, sql::kFirstPending, std::nullopt));
  if (!pending) return true;
  NOJ_ASSIGN_OR_RETURN(bool dead, Settle(db, *pending, policy, now, settled));
  if (dead) return false;
  NOJ_RETURN_IF_ERROR(Lease(db, pending->job, runner_id, policy, now));
  out.job = std::move(pending->job);
  return true;
}

}  // namespace

Result<ClaimOutcome> ClaimTx(Db& db, const std::string& runner_id, const LeasePolicy& policy,
                             int64_t now) {
  ClaimOutcome out;
  for (int step = 0; step <= kMaxSettledPerClaim; ++step) {
    NOJ_ASSIGN_OR_RETURN(bool done, ClaimStep(db, runner_id, policy, now, out));
    if (done) return out;
  }
  NOJ_LOG_INFO("event=claim_bounded runner={} settled={}", runner_id,
               out.converged_to_je.size() + out.discarded_stale_jobs.size());
  return out;
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
  const Settled settled{&out.converged_to_je, &out.discarded_stale_jobs};
  const LeasePolicy policy{0, max_attempts};
  for (const ScannedJob& scanned : candidates) {
    NOJ_RETURN_IF_ERROR(Settle(db, scanned, policy, now, settled).status());
  }
  return out;
}

}  // namespace noj::store::sqlite

// Complete and Abort: the holder of a lease lands a result or gives the job back.

#include "common/logging.h"
#include "store/sqlite/job_steps.h"
#include "store/sqlite/statements.h"
#include "store/sqlite/transitions.h"

namespace noj::store::sqlite {

namespace {

// The job, if `runner_id` holds its lease with `attempt` (when given): kNotFound if absent,
// kAborted otherwise (INV7). An expired lease not yet reclaimed is still held.
Result<JobRecord> HeldJob(Db& db, const std::string& runner_id, const std::string& job_id,
                          std::optional<int> attempt) {
  NOJ_ASSIGN_OR_RETURN(std::optional<JobRecord> job, LoadJob(db, job_id));
  if (!job) return NotFoundError("no such job: " + job_id);
  if (job->state != JobState::kLeased || job->runner_id != runner_id) {
    return AbortedError("runner " + runner_id + " does not hold the lease of " + job_id);
  }
  if (attempt && *attempt != job->attempts) {
    return AbortedError("attempt " + std::to_string(*attempt) + " of " + job_id +
                        " is not the current one (" + std::to_string(job->attempts) + ")");
  }
  return std::move(*job);
}

Status Requeue(Db& db, const JobRecord& job, int attempts) {
  NOJ_ASSIGN_OR_RETURN(int64_t seq, NextSeq(db));
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kRequeueJob));
  stmt.BindText(1, job.job_id).BindInt(2, attempts).BindInt(3, seq);
  NOJ_RETURN_IF_ERROR(stmt.Run());
  return SetSubmissionAttempts(db, job.submission_id, attempts);
}

}  // namespace

Result<CompleteOutcome> CompleteTx(Db& db, const CompletionRequest& completion, int64_t now) {
  NOJ_ASSIGN_OR_RETURN(JobRecord job,
                       HeldJob(db, completion.runner_id, completion.job_id, completion.attempt));
  NOJ_ASSIGN_OR_RETURN(bool current, IsCurrent(db, job));
  NOJ_RETURN_IF_ERROR(DeleteJob(db, job.job_id));
  // No log lines in here: this runs inside the transaction, before COMMIT. The handler logs the
  // outcome once the store has answered.
  if (!current) return CompleteOutcome::kDroppedStale;
  NOJ_RETURN_IF_ERROR(WriteResult(db, job.submission_id, job.job_id, completion.result,
                                  completion.outputs, job.attempts, now));
  return CompleteOutcome::kLanded;
}

Result<AbortOutcome> AbortTx(Db& db, const std::string& runner_id, const std::string& job_id,
                             std::optional<int> attempt, bool refund_attempt, int max_attempts,
                             int64_t now) {
  NOJ_ASSIGN_OR_RETURN(JobRecord job, HeldJob(db, runner_id, job_id, attempt));
  NOJ_ASSIGN_OR_RETURN(bool current, IsCurrent(db, job));
  if (!current) {
    NOJ_RETURN_IF_ERROR(DeleteJob(db, job.job_id));
    return AbortOutcome::kDroppedStale;
  }
  const int attempts = refund_attempt && job.attempts > 0 ? job.attempts - 1 : job.attempts;
  if (attempts >= max_attempts) {
    NOJ_RETURN_IF_ERROR(LandJudgeError(db, job, attempts, now));
    return AbortOutcome::kJudgeError;
  }
  NOJ_RETURN_IF_ERROR(Requeue(db, job, attempts));
  return AbortOutcome::kRequeued;
}

}  // namespace noj::store::sqlite

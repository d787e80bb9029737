#include "store/sqlite/job_steps.h"

#include "common/logging.h"
#include "judge/aggregate.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/statements.h"

namespace noj::store::sqlite {

Result<std::optional<JobRecord>> LoadJob(Db& db, const std::string& job_id) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSelectJob));
  stmt.BindText(1, job_id);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<JobRecord>();
  NOJ_ASSIGN_OR_RETURN(JobRecord job, ReadJob(stmt));
  return std::optional<JobRecord>(std::move(job));
}

Result<bool> IsCurrent(Db& db, const JobRecord& job) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kCurrentJobOf));
  stmt.BindText(1, job.submission_id);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row && stmt.Text(0) == job.job_id;
}

Result<int64_t> NextSeq(Db& db) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kNextSeq));
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return InternalError("sqlite: meta.job_seq is missing");
  const int64_t seq = stmt.Int(0);
  NOJ_RETURN_IF_ERROR(stmt.Run());  // finish the RETURNING statement
  return seq;
}

Status BumpCounter(Db& db, std::string_view key) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kBumpCounter));
  return stmt.BindText(1, key).Run();
}

Status DeleteJob(Db& db, const std::string& job_id) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kDeleteJob));
  return stmt.BindText(1, job_id).Run();
}

Status SetSubmissionAttempts(Db& db, const std::string& submission_id, int attempts) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSetSubmissionAttempts));
  return stmt.BindText(1, submission_id).BindInt(2, attempts).Run();
}

Status WriteResult(Db& db, const std::string& submission_id, const std::string& job_id,
                   const api::SubmissionResult& result, const std::vector<api::CaseOutput>& outputs,
                   int attempts, int64_t now) {
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kLandResult));
    stmt.BindText(1, submission_id)
        .BindInt(2, api::VerdictCode(result.status))
        .BindInt(3, result.score)
        .BindInt(4, result.exec_time_ms)
        .BindInt(5, result.memory_kib)
        .BindInt(6, attempts)
        .BindInt(7, now)
        .BindText(8, ResultToText(result));
    NOJ_RETURN_IF_ERROR(stmt.Run());
  }
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kDeleteOutputs));
    NOJ_RETURN_IF_ERROR(stmt.BindText(1, submission_id).Run());
  }
  NOJ_RETURN_IF_ERROR(BumpCounter(db, "results_total"));
  {
    // The outbox: the event of this landing, committed with it (store.h "result callbacks").
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kInsertDelivery));
    NOJ_RETURN_IF_ERROR(stmt.BindText(1, submission_id).BindText(2, job_id).BindInt(3, now).Run());
  }
  for (const api::CaseOutput& out : outputs) {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kInsertOutput));
    stmt.BindText(1, submission_id)
        .BindInt(2, out.task)
        .BindInt(3, out.case_index)
        .BindBlob(4, out.stdout_text)
        .BindBlob(5, out.stderr_text);
    NOJ_RETURN_IF_ERROR(stmt.Run());
  }
  return Status::Ok();
}

Status LandJudgeError(Db& db, const JobRecord& job, int attempts, int64_t now) {
  NOJ_RETURN_IF_ERROR(
      WriteResult(db, job.submission_id, job.job_id, judge::JudgeErrorResult(), {}, attempts, now));
  NOJ_RETURN_IF_ERROR(DeleteJob(db, job.job_id));
  return BumpCounter(db, "judge_error_total");
}

namespace {

Result<bool> ProblemExists(Db& db, int64_t problem_id) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kProblemExists));
  stmt.BindInt(1, problem_id);
  return stmt.Step();
}

}  // namespace

ScannedJob ScanJob(const Stmt& row) {
  auto job = ReadJob(row);
  if (job.ok()) return ScannedJob{std::move(job).value(), ""};
  ScannedJob scanned;
  scanned.job.job_id = row.Text(0);
  scanned.job.submission_id = row.Text(1);
  scanned.job.problem_id = row.Int(2);
  scanned.job.attempts = static_cast<int>(row.Int(6));
  scanned.corrupt_reason = job.status().message();
  return scanned;
}

Status SettleCorrupt(Db& db, const ScannedJob& scanned, int64_t now, const Settled& out) {
  NOJ_LOG_WARN("event=corrupted_job job={} error=\"{}\"", scanned.job.job_id,
               scanned.corrupt_reason);
  NOJ_ASSIGN_OR_RETURN(bool current, IsCurrent(db, scanned.job));
  if (!current) {
    NOJ_RETURN_IF_ERROR(DeleteJob(db, scanned.job.job_id));
    out.discarded_stale->push_back(scanned.job.job_id);
    return Status::Ok();
  }
  NOJ_RETURN_IF_ERROR(LandJudgeError(db, scanned.job, scanned.job.attempts, now));
  out.converged_to_je->push_back(scanned.job.submission_id);
  out.corrupt_je->push_back(scanned.job.submission_id);
  return Status::Ok();
}

Result<bool> SettleIfDead(Db& db, const JobRecord& job, int max_attempts, int64_t now,
                          const Settled& out) {
  NOJ_ASSIGN_OR_RETURN(bool current, IsCurrent(db, job));
  if (!current) {
    NOJ_RETURN_IF_ERROR(DeleteJob(db, job.job_id));
    out.discarded_stale->push_back(job.job_id);
    return true;
  }
  if (job.attempts >= max_attempts) {
    NOJ_RETURN_IF_ERROR(LandJudgeError(db, job, job.attempts, now));
    out.converged_to_je->push_back(job.submission_id);
    return true;
  }
  NOJ_ASSIGN_OR_RETURN(bool problem, ProblemExists(db, job.problem_id));
  if (!problem) {
    NOJ_RETURN_IF_ERROR(LandJudgeError(db, job, job.attempts, now));
    out.converged_to_je->push_back(job.submission_id);
    out.problem_missing_je->push_back(job.submission_id);
    return true;
  }
  return false;
}

}  // namespace noj::store::sqlite

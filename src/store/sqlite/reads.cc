// Reads: jobs, submissions (point, listing, code, outputs) and queue statistics.

#include <algorithm>

#include "common/logging.h"
#include "store/sqlite/job_steps.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/statements.h"
#include "store/sqlite/transitions.h"

namespace noj::store::sqlite {

namespace {

constexpr int kMaxListLimit = 1000;

// One statement text per filter shape, so each shape is prepared once and uses its index:
// (problem_id, submission_id), (status, submission_id) or the primary key, newest first.
std::string ListQuery(const SubmissionFilter& filter) {
  std::string q = sql::kListSubmissionsPrefix;
  if (filter.problem_id) q += " AND s.problem_id = ?1";
  if (filter.status) q += " AND s.status = ?2";
  if (filter.before) q += " AND s.submission_id < ?3";
  q += " ORDER BY s.submission_id DESC";
  return q;
}

}  // namespace

Result<JobRecord> GetJobTx(Db& db, const std::string& job_id) {
  NOJ_ASSIGN_OR_RETURN(std::optional<JobRecord> job, LoadJob(db, job_id));
  if (!job) return NotFoundError("no such job: " + job_id);
  return std::move(*job);
}

Result<SubmissionRecord> GetSubmissionTx(Db& db, const std::string& submission_id) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSelectSubmission));
  stmt.BindText(1, submission_id);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFoundError("no such submission: " + submission_id);
  return ReadSubmission(stmt);
}

Result<std::pair<std::string, int>> GetSubmissionCodeTx(Db& db, const std::string& submission_id) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSelectCode));
  stmt.BindText(1, submission_id);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFoundError("no code for submission: " + submission_id);
  return std::make_pair(stmt.Blob(1), static_cast<int>(stmt.Int(0)));
}

Result<std::vector<SubmissionRecord>> ListSubmissionsTx(Db& db, const SubmissionFilter& filter) {
  const size_t limit = static_cast<size_t>(std::clamp(filter.limit, 1, kMaxListLimit));
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(ListQuery(filter)));
  if (filter.problem_id) stmt.BindInt(1, *filter.problem_id);
  if (filter.status) stmt.BindInt(2, *filter.status);
  if (filter.before) stmt.BindText(3, *filter.before);
  std::vector<SubmissionRecord> out;
  while (out.size() < limit) {
    NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    auto record = ReadSubmission(stmt);
    if (!record.ok()) {
      NOJ_LOG_WARN("event=skipped_corrupted_submission error=\"{}\"", record.status().message());
      continue;
    }
    out.push_back(std::move(record).value());
  }
  return out;
}

Result<api::CaseOutput> GetCaseOutputTx(Db& db, const std::string& submission_id, int task,
                                        int case_index) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSelectOutput));
  stmt.BindText(1, submission_id).BindInt(2, task).BindInt(3, case_index);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) {
    return NotFoundError("no output for " + submission_id + " task " + std::to_string(task) +
                         " case " + std::to_string(case_index));
  }
  return api::CaseOutput{task, case_index, stmt.Blob(0), stmt.Blob(1)};
}

Result<QueueStats> GetQueueStatsTx(Db& db, int64_t /*now*/) {
  QueueStats stats;
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kPendingByPriority));
    while (true) {
      NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      const int64_t priority = stmt.Int(0);
      if (priority < 0 || priority > 2) continue;  // excluded by the schema's CHECK
      stats.pending[priority] = stmt.Int(1);
      const int64_t oldest = stmt.Int(2);
      if (stats.oldest_pending_enqueued_at == 0 || oldest < stats.oldest_pending_enqueued_at) {
        stats.oldest_pending_enqueued_at = oldest;
      }
    }
  }
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kLeasedCount));
    NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    stats.leased = row ? stmt.Int(0) : 0;
  }
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kPendingByClass));
    while (true) {
      NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      const std::optional<api::JobRequirements> r = api::RequirementsFromKey(stmt.Text(0));
      if (!r) continue;  // corrupted rows: settled by the claim that meets them
      stats.classes.push_back(ClassQueueStats{*r, stmt.Int(1), stmt.Int(2)});
    }
  }
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kReadCounters));
  while (true) {
    NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    const std::string key = stmt.Text(0);
    if (key == "reclaimed_total") stats.reclaimed_total = stmt.Int(1);
    if (key == "judge_error_total") stats.judge_error_total = stmt.Int(1);
    if (key == "results_total") stats.results_total = stmt.Int(1);
  }
  return stats;
}

}  // namespace noj::store::sqlite

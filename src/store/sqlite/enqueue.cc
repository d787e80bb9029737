// Enqueue (submission + first job, INV6), Rejudge (a new current job, INV4) and its batches by
// problem.

#include "store/job_class.h"
#include "store/sqlite/job_steps.h"
#include "store/sqlite/statements.h"
#include "store/sqlite/transitions.h"

namespace noj::store::sqlite {

namespace {

Status InsertPendingJob(Db& db, const std::string& job_id, const std::string& submission_id,
                        int64_t problem_id, int language, int priority,
                        const std::string& req_class, int64_t now) {
  NOJ_ASSIGN_OR_RETURN(int64_t seq, NextSeq(db));
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kInsertJob));
  stmt.BindText(1, job_id)
      .BindText(2, submission_id)
      .BindInt(3, problem_id)
      .BindInt(4, language)
      .BindInt(5, priority)
      .BindInt(6, now)
      .BindInt(7, seq)
      .BindText(8, req_class);
  return stmt.Run();
}

}  // namespace

// The body of a rejudge once the submission is known: a new current pending job, the submission
// reset to pending, its outputs dropped.
Status ReplaceJob(Db& db, const std::string& submission_id, const std::string& new_job_id,
                  int64_t problem_id, int language, int priority, const std::string& req_class,
                  int64_t now);

Status EnqueueTx(Db& db, const NewSubmission& s, int64_t now) {
  NOJ_ASSIGN_OR_RETURN(const std::string req_class, JobClassKey(s.language, s.requirements));
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kInsertSubmission));
    stmt.BindText(1, s.submission_id)
        .BindInt(2, s.problem_id)
        .BindInt(3, s.language)
        .BindInt(4, s.priority)
        .BindInt(5, now)
        .BindText(6, s.job_id)
        .BindText(7, req_class)
        .BindText(8, s.callback_url);
    NOJ_RETURN_IF_ERROR(stmt.Run());
  }
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kInsertCode));
    NOJ_RETURN_IF_ERROR(stmt.BindText(1, s.submission_id).BindBlob(2, s.code).Run());
  }
  NOJ_RETURN_IF_ERROR(InsertPendingJob(db, s.job_id, s.submission_id, s.problem_id, s.language,
                                       s.priority, req_class, now));
  return Status::Ok();
}

Status RejudgeTx(Db& db, const std::string& submission_id, const std::string& new_job_id,
                 int priority, const std::optional<api::JobRequirements>& requirements,
                 int64_t now) {
  int64_t problem_id = 0;
  int language = 0;
  std::string req_class;
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSubmissionBasics));
    stmt.BindText(1, submission_id);
    NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return NotFoundError("no such submission: " + submission_id);
    problem_id = stmt.Int(0);
    language = static_cast<int>(stmt.Int(1));
    req_class = stmt.Text(2);
  }
  if (requirements) {
    NOJ_ASSIGN_OR_RETURN(req_class, JobClassKey(language, *requirements));
  } else if (!api::RequirementsFromKey(req_class)) {
    req_class = api::RequirementsKey({language, 0});  // unreadable: what a plain problem needs
  }
  return ReplaceJob(db, submission_id, new_job_id, problem_id, language, priority, req_class, now);
}

Status ReplaceJob(Db& db, const std::string& submission_id, const std::string& new_job_id,
                  int64_t problem_id, int language, int priority, const std::string& req_class,
                  int64_t now) {
  NOJ_RETURN_IF_ERROR(InsertPendingJob(db, new_job_id, submission_id, problem_id, language,
                                       priority, req_class, now));
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kResetSubmission));
    stmt.BindText(1, submission_id)
        .BindText(2, new_job_id)
        .BindInt(3, priority)
        .BindText(4, req_class);
    NOJ_RETURN_IF_ERROR(stmt.Run());
  }
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kDeleteOutputs));
    NOJ_RETURN_IF_ERROR(stmt.BindText(1, submission_id).Run());
  }
  return Status::Ok();
}

Result<ProblemRejudgeOutcome> RejudgeProblemTx(Db& db, int64_t problem_id,
                                               const ProblemRejudge& batch, int64_t now) {
  if (!api::IsValidPriority(batch.priority))
    return InvalidArgumentError("priority must be 0, 1 or 2");
  NOJ_ASSIGN_OR_RETURN(int64_t version, CurrentProblemVersion(db, problem_id));
  if (version == 0) return NotFoundError("no such problem: " + std::to_string(problem_id));
  if (version != batch.expected_version) {
    return AbortedError("problem " + std::to_string(problem_id) + " changed meanwhile");
  }
  ProblemRejudgeOutcome out;
  const int64_t limit = static_cast<int64_t>(batch.new_job_ids.size());
  std::vector<std::pair<std::string, int>> picked;  // submission, language
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kRejudgeBatch));
    // Ids are ASCII: DEL sorts after every one of them.
    stmt.BindInt(1, problem_id).BindText(2, batch.before.value_or("\x7f")).BindInt(4, limit);
    if (batch.status) {
      stmt.BindInt(3, *batch.status);
    } else {
      stmt.BindNull(3);
    }
    while (true) {
      NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      picked.emplace_back(stmt.Text(0), static_cast<int>(stmt.Int(1)));
    }
  }
  // Rejudged after the scan: the statement is released before the rows it walked change.
  for (size_t i = 0; i < picked.size(); ++i) {
    const auto& [submission_id, language] = picked[i];
    NOJ_ASSIGN_OR_RETURN(const std::string req_class,
                         JobClassKey(language, api::JobRequirements{language, batch.features}));
    NOJ_RETURN_IF_ERROR(ReplaceJob(db, submission_id, batch.new_job_ids[i], problem_id, language,
                                   batch.priority, req_class, now));
    out.submission_ids.push_back(submission_id);
  }
  out.done = limit == 0 || static_cast<int64_t>(picked.size()) < limit;
  return out;
}

}  // namespace noj::store::sqlite

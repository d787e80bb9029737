// Runner identities and the heartbeat (identity TTL + lease renewal).

#include <unordered_set>

#include "store/sqlite/job_steps.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/statements.h"
#include "store/sqlite/transitions.h"

namespace noj::store::sqlite {

namespace {

// Renews `job_id` if `runner_id` holds its lease and it is still current; false otherwise.
// A superseded job (rejudged) is not renewed: its runner should stop (listed in cancel).
Result<bool> RenewIfHeld(Db& db, const std::string& runner_id, const std::string& job_id,
                         int64_t deadline) {
  NOJ_ASSIGN_OR_RETURN(std::optional<JobRecord> job, LoadJob(db, job_id));
  if (!job || job->state != JobState::kLeased || job->runner_id != runner_id) return false;
  NOJ_ASSIGN_OR_RETURN(bool current, IsCurrent(db, *job));
  if (!current) return false;
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kRenewLease));
  NOJ_RETURN_IF_ERROR(stmt.BindText(1, job_id).BindInt(2, deadline).Run());
  return true;
}

}  // namespace

Status RegisterRunnerTx(Db& db, const RunnerRecord& r) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kInsertRunner));
  stmt.BindText(1, r.runner_id)
      .BindText(2, r.name)
      .BindText(3, r.token_sha256)
      .BindInt(4, r.registered_at)
      .BindInt(5, r.last_seen)
      .BindInt(6, r.expires_at)
      .BindText(7, r.sandbox)
      .BindText(8, api::RunnerCapabilitiesToText(r.capabilities));
  if (r.speed_score)
    stmt.BindDouble(9, *r.speed_score);
  else
    stmt.BindNull(9);
  return stmt.Run();
}

Result<RunnerRecord> GetRunnerTx(Db& db, const std::string& runner_id, int64_t now) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSelectRunner));
  stmt.BindText(1, runner_id);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFoundError("no such runner: " + runner_id);
  RunnerRecord r = ReadRunner(stmt);
  if (r.expires_at <= now) return NotFoundError("runner expired: " + runner_id);
  return r;
}

Result<RunnerRecord> GetRunnerByTokenHashTx(Db& db, const std::string& token_sha256, int64_t now) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSelectRunnerByToken));
  stmt.BindText(1, token_sha256).BindInt(2, now);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFoundError("no runner with that token");
  return ReadRunner(stmt);
}

Result<HeartbeatOutcome> HeartbeatTx(Db& db, const std::string& runner_id,
                                     const std::vector<std::string>& job_ids, int64_t now,
                                     int64_t lease_ttl_ms, int64_t identity_ttl_ms) {
  NOJ_RETURN_IF_ERROR(GetRunnerTx(db, runner_id, now).status());
  HeartbeatOutcome out;
  std::unordered_set<std::string> seen;
  for (const std::string& job_id : job_ids) {
    if (!seen.insert(job_id).second) continue;
    NOJ_ASSIGN_OR_RETURN(bool renewed, RenewIfHeld(db, runner_id, job_id, now + lease_ttl_ms));
    (renewed ? out.renewed : out.cancel).push_back(job_id);
  }
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kTouchRunner));
  NOJ_RETURN_IF_ERROR(
      stmt.BindText(1, runner_id).BindInt(2, now).BindInt(3, now + identity_ttl_ms).Run());
  return out;
}

Status RevokeRunnerTx(Db& db, const std::string& runner_id) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kDeleteRunner));
  NOJ_RETURN_IF_ERROR(stmt.BindText(1, runner_id).Run());
  if (db.Changes() == 0) return NotFoundError("no such runner: " + runner_id);
  return Status::Ok();
}

Result<std::vector<RunnerInfo>> ListRunnersTx(Db& db, int64_t now) {
  std::vector<RunnerInfo> runners;
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kListRunners));
    stmt.BindInt(1, now);
    while (true) {
      NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      runners.push_back(RunnerInfo{ReadRunner(stmt), {}});
    }
  }
  for (RunnerInfo& info : runners) {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kJobsHeldBy));
    stmt.BindText(1, info.runner.runner_id);
    while (true) {
      NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      info.active_jobs.push_back(stmt.Text(0));
    }
  }
  return runners;
}

Result<int> ForgetExpiredRunnersTx(Db& db, int64_t now) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kForgetRunners));
  NOJ_RETURN_IF_ERROR(stmt.BindInt(1, now).Run());
  return static_cast<int>(db.Changes());
}

}  // namespace noj::store::sqlite

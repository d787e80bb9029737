// Problems (tasks, the judging.md §2 meta as JSON text) and their testdata zips.

#include "api/problem_meta.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/statements.h"
#include "store/sqlite/transitions.h"

namespace noj::store::sqlite {

Result<int64_t> CreateProblemTx(Db& db, const NewProblem& problem, int64_t now) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kInsertProblem));
  stmt.BindText(1, problem.title)
      .BindText(2, TaskSpecsToText(problem.tasks))
      .BindInt(3, now)
      .BindText(4, api::ProblemMetaToText(problem.meta));
  NOJ_RETURN_IF_ERROR(stmt.Run());
  return db.LastInsertRowid();
}

Result<ProblemRecord> GetProblemTx(Db& db, int64_t problem_id) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSelectProblem));
  stmt.BindInt(1, problem_id);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFoundError("no such problem: " + std::to_string(problem_id));
  ProblemRecord p;
  p.problem_id = stmt.Int(0);
  p.title = stmt.Text(1);
  auto tasks = TaskSpecsFromText(stmt.Text(2));
  if (!tasks.ok()) {
    return InternalError("corrupted problem " + std::to_string(problem_id) + ": " +
                         tasks.status().message());
  }
  p.tasks = std::move(tasks).value();
  p.has_testdata = stmt.Int(3) != 0;
  p.checksum = stmt.Text(4);
  p.created_at = stmt.Int(5);
  auto meta = api::ProblemMetaFromText(stmt.Text(6));
  if (!meta.ok()) {
    return InternalError("corrupted problem " + std::to_string(problem_id) +
                         " meta: " + meta.status().message());
  }
  p.meta = std::move(meta).value();
  p.context_io = stmt.Int(7) != 0;
  return p;
}

Status PutTestdataTx(Db& db, int64_t problem_id, const std::string& zip,
                     const std::string& checksum, bool context_io, int64_t now) {
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSetChecksum));
    NOJ_RETURN_IF_ERROR(
        stmt.BindInt(1, problem_id).BindText(2, checksum).BindInt(3, context_io ? 1 : 0).Run());
  }
  if (db.Changes() == 0) return NotFoundError("no such problem: " + std::to_string(problem_id));
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kUpsertTestdata));
  return stmt.BindInt(1, problem_id).BindBlob(2, zip).BindInt(3, now).Run();
}

Result<std::string> GetTestdataTx(Db& db, int64_t problem_id) {
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSelectTestdata));
    stmt.BindInt(1, problem_id);
    NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row) return stmt.Blob(0);
  }
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kProblemExists));
  stmt.BindInt(1, problem_id);
  NOJ_ASSIGN_OR_RETURN(bool exists, stmt.Step());
  if (!exists) return NotFoundError("no such problem: " + std::to_string(problem_id));
  return FailedPreconditionError("problem " + std::to_string(problem_id) + " has no testdata");
}

}  // namespace noj::store::sqlite

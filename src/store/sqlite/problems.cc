// Problems (tasks, the judging.md §2 meta as JSON text), their versions (judging.md §6) and their
// testdata zips, one row per zip revision.

#include "api/problem_meta.h"
#include "store/sqlite/rows.h"
#include "store/sqlite/statements.h"
#include "store/sqlite/transitions.h"

namespace noj::store::sqlite {

namespace {

// A problem row (NOJ_SQLITE_PROBLEM_COLUMNS) and the testdata revision of its version.
struct ProblemRow {
  ProblemRecord record;
  int64_t testdata_rev = 0;
};

Result<ProblemRow> ReadProblem(const Stmt& stmt) {
  ProblemRow row;
  ProblemRecord& p = row.record;
  p.problem_id = stmt.Int(0);
  p.title = stmt.Text(1);
  const std::string where = "corrupted problem " + std::to_string(p.problem_id);
  auto tasks = TaskSpecsFromText(stmt.Text(2));
  if (!tasks.ok()) return InternalError(where + ": " + tasks.status().message());
  p.tasks = std::move(tasks).value();
  p.has_testdata = stmt.Int(3) != 0;
  p.checksum = stmt.Text(4);
  p.created_at = stmt.Int(5);
  auto meta = api::ProblemMetaFromText(stmt.Text(6));
  if (!meta.ok()) return InternalError(where + " meta: " + meta.status().message());
  p.meta = std::move(meta).value();
  p.context_io = stmt.Int(7) != 0;
  p.version = stmt.Int(8);
  row.testdata_rev = stmt.Int(9);
  return row;
}

// The current version (kSelectProblem) or a kept one (kSelectProblemVersion). kNotFound if absent.
Result<ProblemRow> LoadProblem(Db& db, int64_t problem_id, std::optional<int64_t> version) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt,
                       db.Prepare(version ? sql::kSelectProblemVersion : sql::kSelectProblem));
  stmt.BindInt(1, problem_id);
  if (version) stmt.BindInt(2, *version);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) {
    if (!version) return NotFoundError("no such problem: " + std::to_string(problem_id));
    return NotFoundError("problem " + std::to_string(problem_id) + " has no version " +
                         std::to_string(*version) + " (any more)");
  }
  return ReadProblem(stmt);
}

// A version, current or kept.
Result<ProblemRow> LoadVersion(Db& db, int64_t problem_id, int64_t version) {
  NOJ_ASSIGN_OR_RETURN(ProblemRow current, LoadProblem(db, problem_id, std::nullopt));
  if (current.record.version == version) return current;
  return LoadProblem(db, problem_id, version);
}

// The first half of a version write: checks the compare-and-set and keeps the outgoing version if
// a lease judges it. Returns the outgoing version.
Result<ProblemRow> BeginVersion(Db& db, int64_t problem_id, std::optional<int64_t> expected) {
  NOJ_ASSIGN_OR_RETURN(ProblemRow current, LoadProblem(db, problem_id, std::nullopt));
  if (expected && *expected != current.record.version) {
    return AbortedError("problem " + std::to_string(problem_id) + " is at version " +
                        std::to_string(current.record.version) + ", not " +
                        std::to_string(*expected) + ": it changed meanwhile");
  }
  NOJ_ASSIGN_OR_RETURN(Stmt leased, db.Prepare(sql::kLeasesOfVersion));
  leased.BindInt(1, problem_id).BindInt(2, current.record.version);
  NOJ_ASSIGN_OR_RETURN(bool judged, leased.Step());
  if (judged) {
    NOJ_ASSIGN_OR_RETURN(Stmt keep, db.Prepare(sql::kKeepVersion));
    NOJ_RETURN_IF_ERROR(keep.BindInt(1, problem_id).Run());
  }
  return current;
}

// The second half: drops what no lease needs any more, re-classes pending jobs.
Result<VersionOutcome> EndVersion(Db& db, int64_t problem_id, int64_t version,
                                  std::optional<uint32_t> features) {
  VersionOutcome out;
  out.version = version;
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kDropUnusedVersions));
    NOJ_RETURN_IF_ERROR(stmt.BindInt(1, problem_id).Run());
  }
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kDropUnusedTestdata));
    NOJ_RETURN_IF_ERROR(stmt.BindInt(1, problem_id).Run());
  }
  if (!features) return out;
  const std::string bits = std::to_string(*features);
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kReclassPendingSubmissions));
    NOJ_RETURN_IF_ERROR(stmt.BindInt(1, problem_id).BindText(2, bits).Run());
  }
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kReclassPendingJobs));
  NOJ_RETURN_IF_ERROR(stmt.BindInt(1, problem_id).BindText(2, bits).Run());
  out.reclassed = db.Changes();
  return out;
}

Result<std::string> ReadTestdata(Db& db, const ProblemRow& p) {
  if (!p.record.has_testdata || p.testdata_rev == 0) {
    return FailedPreconditionError("problem " + std::to_string(p.record.problem_id) +
                                   " has no testdata");
  }
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSelectTestdata));
  stmt.BindInt(1, p.record.problem_id).BindInt(2, p.testdata_rev);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) {
    return InternalError("corrupted problem " + std::to_string(p.record.problem_id) +
                         ": testdata revision " + std::to_string(p.testdata_rev) + " is missing");
  }
  return stmt.Blob(0);
}

}  // namespace

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
  NOJ_ASSIGN_OR_RETURN(ProblemRow p, LoadProblem(db, problem_id, std::nullopt));
  return std::move(p.record);
}

Result<ProblemRecord> GetProblemVersionTx(Db& db, int64_t problem_id, int64_t version) {
  NOJ_ASSIGN_OR_RETURN(ProblemRow p, LoadVersion(db, problem_id, version));
  return std::move(p.record);
}

Result<VersionOutcome> UpdateProblemTx(Db& db, int64_t problem_id, const ProblemUpdate& update,
                                       int64_t /*now*/) {
  NOJ_ASSIGN_OR_RETURN(ProblemRow old, BeginVersion(db, problem_id, update.expected_version));
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kUpdateProblemMeta));
    stmt.BindInt(1, problem_id)
        .BindText(2, update.title)
        .BindText(3, TaskSpecsToText(update.tasks))
        .BindText(4, api::ProblemMetaToText(update.meta))
        .BindText(5, old.record.has_testdata ? update.checksum : std::string());
    NOJ_RETURN_IF_ERROR(stmt.Run());
  }
  return EndVersion(db, problem_id, old.record.version + 1, update.features);
}

Result<VersionOutcome> WriteTestdataTx(Db& db, int64_t problem_id, const TestdataWrite& write,
                                       int64_t now) {
  NOJ_ASSIGN_OR_RETURN(ProblemRow old, BeginVersion(db, problem_id, write.expected_version));
  int64_t rev = 0;
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kNextTestdataRev));
    stmt.BindInt(1, problem_id);
    NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return InternalError("sqlite: no next testdata revision");
    rev = stmt.Int(0);
  }
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kInsertTestdata));
    NOJ_RETURN_IF_ERROR(
        stmt.BindInt(1, problem_id).BindInt(2, rev).BindBlob(3, write.zip).BindInt(4, now).Run());
  }
  {
    NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kSetTestdata));
    stmt.BindInt(1, problem_id)
        .BindText(2, write.checksum)
        .BindInt(3, write.context_io ? 1 : 0)
        .BindInt(4, rev);
    NOJ_RETURN_IF_ERROR(stmt.Run());
  }
  return EndVersion(db, problem_id, old.record.version + 1, write.features);
}

Result<std::string> GetTestdataTx(Db& db, int64_t problem_id) {
  NOJ_ASSIGN_OR_RETURN(ProblemRow p, LoadProblem(db, problem_id, std::nullopt));
  return ReadTestdata(db, p);
}

Result<std::string> GetTestdataVersionTx(Db& db, int64_t problem_id, int64_t version) {
  NOJ_ASSIGN_OR_RETURN(ProblemRow p, LoadVersion(db, problem_id, version));
  return ReadTestdata(db, p);
}

Result<int64_t> CurrentProblemVersion(Db& db, int64_t problem_id) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, db.Prepare(sql::kProblemVersionOf));
  stmt.BindInt(1, problem_id);
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : int64_t{0};
}

}  // namespace noj::store::sqlite

#include "sqlite_harness.h"

#include <cstdio>
#include <utility>

#include "store/sqlite/statements.h"

namespace noj::store::contract {

namespace {

// Tests do not need power-loss durability: NORMAL keeps the suite fast.
sqlite::SqliteOptions TestOptions() {
  sqlite::SqliteOptions options;
  options.synchronous_full = false;
  return options;
}

std::string Quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace

Result<std::unique_ptr<StoreHarness>> SqliteHarness::Make(bool on_file) {
  std::unique_ptr<SqliteHarness> h(new SqliteHarness());
  if (on_file) {
    h->dir_ = std::make_unique<testing::TempDir>();
    h->path_ = h->dir_->File("nojd.sqlite3");
  } else {
    h->path_ = ":memory:";
  }
  NOJ_ASSIGN_OR_RETURN(h->store_, sqlite::OpenSqliteStore(h->path_, TestOptions()));
  return std::unique_ptr<StoreHarness>(std::move(h));
}

bool SqliteHarness::Reopen() {
  if (!dir_) return false;
  store_.reset();
  auto reopened = sqlite::OpenSqliteStore(path_, TestOptions());
  if (!reopened.ok()) {
    std::fprintf(stderr, "reopen failed: %s\n", reopened.status().ToString().c_str());
    return false;
  }
  store_ = std::move(reopened).value();
  return true;
}

bool SqliteHarness::RawExec(const std::string& sql) {
  if (!dir_) return false;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
  char* err = nullptr;
  if (rc == SQLITE_OK) rc = sqlite3_busy_timeout(db, 5000);
  if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::fprintf(stderr, "raw sql failed (%s): %s\n", sql.c_str(), err ? err : sqlite3_errstr(rc));
  }
  sqlite3_free(err);
  sqlite3_close_v2(db);
  return rc == SQLITE_OK;
}

bool SqliteHarness::CorruptResult(const std::string& submission_id) {
  return RawExec(
      "UPDATE submissions SET result_json = '{\"status\": \"nonsense' "
      "WHERE submission_id = " +
      Quoted(submission_id));
}

bool SqliteHarness::DropSubmissionRecord(const std::string& submission_id) {
  return RawExec("DELETE FROM submission_code WHERE submission_id = " + Quoted(submission_id) +
                 "; DELETE FROM submissions WHERE submission_id = " + Quoted(submission_id));
}

std::vector<std::string> SqliteHarness::ClaimQueryPlans() {
  if (!dir_) return {};
  sqlite3* db = nullptr;
  std::vector<std::string> plans;
  if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    for (const char* query :
         {sqlite::sql::kCountHeldBy, sqlite::sql::kNextLeasedClass, sqlite::sql::kNextPendingClass,
          sqlite::sql::kFirstOrphanOfClass, sqlite::sql::kFirstPendingOfClass}) {
      sqlite3_stmt* stmt = nullptr;
      std::string plan;
      const std::string explain = std::string("EXPLAIN QUERY PLAN ") + query;
      if (sqlite3_prepare_v2(db, explain.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
        while (sqlite3_step(stmt) == SQLITE_ROW)  // column 3: the plan line
          plan += std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3))) + "\n";
      }
      sqlite3_finalize(stmt);
      plans.push_back(std::string(query) + "\n" + plan);
    }
  }
  sqlite3_close_v2(db);
  return plans;
}

bool SqliteHarness::DropProblemRecord(int64_t problem_id) {
  return RawExec("DELETE FROM testdata WHERE problem_id = " + std::to_string(problem_id) +
                 "; DELETE FROM problems WHERE problem_id = " + std::to_string(problem_id));
}

}  // namespace noj::store::contract

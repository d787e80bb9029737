#include "store/sqlite/db.h"

#include <string>

namespace noj::store::sqlite {

namespace {

bool IsUnavailable(int primary) {
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_NOMEM:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
    case SQLITE_NOLFS:
      return true;
    default:
      return false;
  }
}

}  // namespace

Status SqliteError(int rc, std::string_view what, sqlite3* db) {
  std::string msg = "sqlite: " + std::string(what) + ": ";
  // The connection's message describes the last failure on it; fall back to the code's text.
  const char* detail =
      db != nullptr && sqlite3_extended_errcode(db) == rc ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  msg += detail != nullptr ? detail : "unknown error";
  const int primary = rc & 0xff;
  if (IsUnavailable(primary)) return UnavailableError(std::move(msg));
  if (primary == SQLITE_CONSTRAINT) {
    switch (rc) {
      case SQLITE_CONSTRAINT_PRIMARYKEY:
      case SQLITE_CONSTRAINT_UNIQUE:
      case SQLITE_CONSTRAINT_ROWID:
        return AlreadyExistsError(std::move(msg));
      case SQLITE_CONSTRAINT_CHECK:
      case SQLITE_CONSTRAINT_NOTNULL:
        return InvalidArgumentError(std::move(msg));
      default:
        return InternalError(std::move(msg));
    }
  }
  return InternalError(std::move(msg));
}

// ---- Stmt ----

Stmt::~Stmt() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

Stmt& Stmt::BindInt(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Stmt& Stmt::BindDouble(int index, double value) {
  int rc = sqlite3_bind_double(stmt_, index, value);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Stmt& Stmt::BindText(int index, std::string_view value) {
  int rc =
      sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Stmt& Stmt::BindBlob(int index, std::string_view bytes) {
  // A zero-length blob must not be bound as NULL: give SQLite a valid pointer.
  static const char kEmpty = 0;
  const void* data = bytes.empty() ? &kEmpty : bytes.data();
  int rc = sqlite3_bind_blob64(stmt_, index, data, bytes.size(), SQLITE_TRANSIENT);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Stmt& Stmt::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  return *this;
}

Result<bool> Stmt::Step() {
  if (bind_rc_ != SQLITE_OK) return SqliteError(bind_rc_, "bind", db_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(rc, sqlite3_sql(stmt_), db_);
}

Status Stmt::Run() {
  while (true) {
    NOJ_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

int64_t Stmt::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

double Stmt::Double(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Stmt::Text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Stmt::Blob(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  if (p == nullptr) return {};
  return std::string(static_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Stmt::IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

// ---- Db ----

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, int busy_timeout_ms) {
  sqlite3* raw = nullptr;
  // NOMUTEX: the caller serialises access (one mutex per store), so SQLite's own is redundant.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  ConnectionHandle handle(raw);  // sqlite3_open_v2 may return a handle even on failure
  if (rc != SQLITE_OK) return SqliteError(rc, "open " + path, raw);
  sqlite3_extended_result_codes(raw, 1);
  rc = sqlite3_busy_timeout(raw, busy_timeout_ms);
  if (rc != SQLITE_OK) return SqliteError(rc, "busy_timeout", raw);
  return std::unique_ptr<Db>(new Db(std::move(handle)));
}

Db::~Db() = default;

Result<Stmt> Db::Prepare(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v3(db_.get(), sql.data(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
    StatementHandle handle(raw);
    if (rc != SQLITE_OK) return SqliteError(rc, "prepare", db_.get());
    if (raw == nullptr) return InternalError("sqlite: empty statement");
    it = cache_.emplace(std::string(sql), Cached{std::move(handle), false}).first;
  }
  if (it->second.in_use) return InternalError("sqlite: statement borrowed twice: " + it->first);
  return Stmt(db_.get(), it->second.stmt.get(), &it->second.in_use);
}

Status Db::ExecScript(const char* sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_.get(), sql, nullptr, nullptr, &err);
  std::string detail = err != nullptr ? err : "";
  sqlite3_free(err);
  if (rc != SQLITE_OK) return SqliteError(rc, "exec: " + detail, nullptr);
  return Status::Ok();
}

Result<std::string> Db::QueryText(const char* sql) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, Prepare(sql));
  NOJ_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::string();
  return stmt.Text(0);
}

Status Db::Begin(TxKind kind) {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt,
                       Prepare(kind == TxKind::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN"));
  return stmt.Run();
}

Status Db::Commit() {
  NOJ_ASSIGN_OR_RETURN(Stmt stmt, Prepare("COMMIT"));
  return stmt.Run();
}

void Db::Rollback() {
  if (sqlite3_get_autocommit(db_.get()) != 0) return;  // already rolled back by SQLite
  auto stmt = Prepare("ROLLBACK");
  if (!stmt.ok()) return;
  stmt->Run().IgnoreError();  // best effort: nothing more can be done here
}

}  // namespace noj::store::sqlite

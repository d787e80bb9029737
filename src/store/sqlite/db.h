#pragma once
// A thin RAII layer over libsqlite3: one connection, cached prepared statements, the mapping of
// SQLite result codes to Status, and transactions that never let an exception out.
//
// Thread safety: none. GroupCommit (group_commit.h) serialises every use of a Db behind its
// connection mutex.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/status.h"

namespace noj::store::sqlite {

// Maps a (extended) SQLite result code to the Status a caller can act on:
// BUSY/LOCKED/IOERR/CANTOPEN/FULL/NOMEM/READONLY -> kUnavailable (retry later),
// CONSTRAINT_PRIMARYKEY/UNIQUE -> kAlreadyExists, CONSTRAINT_CHECK/NOTNULL -> kInvalidArgument,
// CORRUPT/NOTADB and anything else -> kInternal. `what` names the operation for the message.
Status SqliteError(int rc, std::string_view what, sqlite3* db);

struct ConnectionCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using ConnectionHandle = std::unique_ptr<sqlite3, ConnectionCloser>;

struct StatementFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

// A cached prepared statement borrowed for one use. Binding errors are remembered and reported
// by the next Step()/Run(). On destruction the statement is reset and its bindings cleared, so a
// read never holds its snapshot longer than the borrow.
class Stmt {
 public:
  // `in_use` (the cache's flag for this statement) is set while borrowed, cleared on release.
  Stmt(sqlite3* db, sqlite3_stmt* stmt, bool* in_use) : db_(db), stmt_(stmt), in_use_(in_use) {
    *in_use_ = true;
  }
  Stmt(Stmt&& other) noexcept
      : db_(other.db_),
        stmt_(std::exchange(other.stmt_, nullptr)),
        in_use_(std::exchange(other.in_use_, nullptr)),
        bind_rc_(other.bind_rc_) {}
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& operator=(Stmt&&) = delete;
  ~Stmt();

  // Parameters are 1-based, as in SQL (?1, ?2, …). Values are copied.
  Stmt& BindInt(int index, int64_t value);
  Stmt& BindText(int index, std::string_view value);
  Stmt& BindBlob(int index, std::string_view bytes);
  Stmt& BindNull(int index);
  Stmt& BindDouble(int index, double value);

  // true: a row is ready to read; false: done.
  Result<bool> Step();
  // Steps to completion, ignoring rows (INSERT/UPDATE/DELETE).
  Status Run();

  // Columns are 0-based. NULL reads as 0 / "".
  int64_t Int(int column) const;
  double Double(int column) const;
  std::string Text(int column) const;
  std::string Blob(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;
  int bind_rc_ = SQLITE_OK;
};

enum class TxKind { kDeferred, kImmediate };

class Db {
 public:
  // Opens (creating if needed) the database at `path` (":memory:" for a private in-memory one).
  static Result<std::unique_ptr<Db>> Open(const std::string& path, int busy_timeout_ms);

  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  // A prepared statement for `sql`, compiled once and cached by its text. kInternal if the same
  // statement is already borrowed (a nested use would reset the outer one's cursor).
  Result<Stmt> Prepare(std::string_view sql);
  // Runs one or more statements without caching (schema, pragmas).
  Status ExecScript(const char* sql);
  // Runs a single pragma or query and returns the first column of its first row as text.
  Result<std::string> QueryText(const char* sql);

  Status Begin(TxKind kind);
  Status Commit();
  // Best effort: a failed statement may already have rolled the transaction back.
  void Rollback();

  int64_t Changes() const { return sqlite3_changes64(db_.get()); }
  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_.get()); }
  sqlite3* raw() const { return db_.get(); }

 private:
  explicit Db(ConnectionHandle db) : db_(std::move(db)) {}

  struct Cached {
    StatementHandle stmt;
    bool in_use = false;
  };

  ConnectionHandle db_;
  // Declared after db_: destroyed first, so statements are finalised before the connection closes.
  std::unordered_map<std::string, Cached> cache_;
};

// Runs `body` (returning Status or Result<T>) inside one transaction: BEGIN [IMMEDIATE], body,
// COMMIT; ROLLBACK when the body fails, throws, or the commit fails. Never throws.
template <typename Body>
auto InTransaction(Db& db, TxKind kind, Body&& body) -> decltype(body()) {
  using R = decltype(body());
  if (Status begun = db.Begin(kind); !begun.ok()) return R(std::move(begun));
  R result = [&]() -> R {
    try {
      return body();
    } catch (const std::exception& e) {
      return R(InternalError(std::string("sqlite store: unexpected exception: ") + e.what()));
    } catch (...) {
      return R(InternalError("sqlite store: unexpected exception"));
    }
  }();
  if (!result.ok()) {
    db.Rollback();
    return result;
  }
  if (Status committed = db.Commit(); !committed.ok()) {
    db.Rollback();
    return R(std::move(committed));
  }
  return result;
}

}  // namespace noj::store::sqlite

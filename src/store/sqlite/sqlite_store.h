#pragma once
// The embedded Store: one SQLite database file (WAL) holding the queue and every record.
//
// Each transition is one `BEGIN IMMEDIATE … COMMIT` transaction (rolled back on any error), so a
// crash leaves the state before or after it. synchronous=FULL: a transition reported done
// survives a power loss too. Errors: kUnavailable for BUSY/IO/FULL/CANTOPEN (retry later),
// kAlreadyExists for taken ids, kInternal for corruption; never an exception.
//
// Thread safety: safe from many threads. One connection serialised by one mutex (transitions are
// short and bounded; SQLite admits one writer at a time anyway). Several processes may open the
// same file: BEGIN IMMEDIATE and busy_timeout serialise their writers.

#include <memory>
#include <string>

#include "common/status.h"
#include "store/store.h"

namespace noj::store::sqlite {

struct SqliteOptions {
  // How long a transition waits for another process's write lock before kUnavailable.
  int busy_timeout_ms = 5000;
  // false: synchronous=NORMAL (faster; the last commits may be lost on power loss). Tests only.
  bool synchronous_full = true;
};

// Opens or creates the store at `path` (":memory:" for a private in-memory store, e.g. tests).
// kUnavailable if the file cannot be opened; kFailedPrecondition if it holds another schema.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options);
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

}  // namespace noj::store::sqlite

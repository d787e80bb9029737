#pragma once
// The embedded Store: one SQLite database file (WAL) holding the queue and every record.
//
// Transitions are group-committed (group_commit.h): those that arrive together run in one
// `BEGIN IMMEDIATE … COMMIT`, each in its own SAVEPOINT, so a transition that fails is rolled
// back alone and a crash leaves each transition before or after it. A transition is answered only
// once the COMMIT that holds it returned: with synchronous=FULL a transition reported done
// survives a power loss too. Errors: kUnavailable for BUSY/IO/FULL/CANTOPEN and a failed commit
// (retry later), kAlreadyExists for taken ids, kInternal for corruption; never an exception.
//
// Thread safety: safe from many threads. One connection: the writers queue for it (the head of
// the queue commits for the batch), reads take it between batches. Several processes may open
// the same file: BEGIN IMMEDIATE and busy_timeout serialise their writers.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "store/store.h"

struct sqlite3;

namespace noj::store::sqlite {

struct SqliteOptions {
  // How long a transition waits for another process's write lock before kUnavailable.
  int busy_timeout_ms = 5000;
  // false: synchronous=NORMAL (faster; the last commits may be lost on power loss). Tests only.
  bool synchronous_full = true;
  // Group commit: at most this many queued transitions share one transaction (one fsync).
  // 1: a transaction per transition, as before group commit.
  int max_batch = 128;

  // Tests only: empty in production.
  struct TestHooks {
    // Called by a batch's leader, under the queue's lock, with the queue's length (the leader
    // included) before it takes its batch, and again at each arrival while it returns true: lets
    // a test hold the leader until N writers are queued.
    std::function<bool(size_t queued)> hold_leader;
    // Called after each transition of a batch, inside its transaction: e.g. a raw "ROLLBACK" to do
    // what SQLite does on IOERR/FULL/NOMEM.
    std::function<void(sqlite3*)> after_transition;
    // Called at each COMMIT (sqlite3_commit_hook); true makes the COMMIT fail.
    std::function<bool()> fail_commit;
  };
  TestHooks test_hooks;
};

// Opens or creates the store at `path` (":memory:" for a private in-memory store, e.g. tests).
// kUnavailable if the file cannot be opened; kFailedPrecondition if it holds another schema.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options);
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

}  // namespace noj::store::sqlite

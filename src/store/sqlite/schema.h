#pragma once
// The SQLite schema of the store (docs/store.md explains each table and index) and the
// connection settings applied at open.

#include "common/status.h"
#include "store/sqlite/db.h"

namespace noj::store::sqlite {

// PRAGMA user_version of the schema this code reads and writes.
inline constexpr int kSchemaVersion = 6;

struct ConnectionSettings {
  int busy_timeout_ms = 5000;
  // FULL: a transition reported committed survives power loss, not only a process crash (INV6).
  // NORMAL in WAL mode may lose the last commits on power loss; use it only for throwaway data.
  bool synchronous_full = true;
};

// Sets WAL, synchronous, foreign keys; then creates the schema on an empty database or checks the
// version of an existing one (kFailedPrecondition if it was written by a newer nojd).
Status PrepareDatabase(Db& db, const ConnectionSettings& settings);

}  // namespace noj::store::sqlite

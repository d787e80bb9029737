#pragma once
// StoreHarness for the SQLite store: in memory, or on a file in a fresh temp dir (which also
// supports Reopen() and raw-SQL damage through a second connection).

#include <sqlite3.h>

#include <memory>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_store.h"
#include "store_factories.h"
#include "support/temp_dir.h"

namespace noj::store::contract {

class SqliteHarness final : public StoreHarness {
 public:
  // on_file=false: ":memory:".
  static Result<std::unique_ptr<StoreHarness>> Make(bool on_file);

  Store& store() override { return *store_; }
  bool Reopen() override;
  bool CorruptResult(const std::string& submission_id) override;
  bool DropSubmissionRecord(const std::string& submission_id) override;
  bool DropProblemRecord(int64_t problem_id) override;
  std::vector<std::string> ClaimQueryPlans() override;

  // Runs `sql` on a second raw connection (foreign keys off). false on error (printed).
  bool RawExec(const std::string& sql);
  const std::string& path() const { return path_; }

 private:
  SqliteHarness() = default;

  std::unique_ptr<testing::TempDir> dir_;  // null in memory
  std::string path_;
  std::unique_ptr<Store> store_;
};

}  // namespace noj::store::contract

// SQLite-only behaviour: open errors, schema versions, pragmas, lock contention, query plans, and
// damage that only raw SQL can do. The shared behaviour is in store_contract_*_test.cc.

#include "store/sqlite/sqlite_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <string>

#include "sqlite_harness.h"
#include "store/sqlite/statements.h"
#include "support/fake_clock.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::store::sqlite {
namespace {

using noj::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

// A raw connection for inspecting or damaging a database file behind the store's back.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(
        sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr),
        SQLITE_OK);
  }
  ~RawDb() { sqlite3_close_v2(db_); }
  int Exec(const std::string& sql) {
    return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
  }
  // Rows of the first column, joined by '\n'.
  std::string Query(const std::string& sql, int column = 0) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, column);
      out += text ? reinterpret_cast<const char*>(text) : "NULL";
      out += "\n";
    }
    sqlite3_finalize(stmt);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

TEST(SqliteStore, MemoryStoreOpens) {
  auto store = OpenSqliteStore(":memory:");
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_OK((*store)->Ping());
}

TEST(SqliteStore, OpeningInAMissingDirectoryIsUnavailable) {
  noj::testing::TempDir dir;
  EXPECT_THAT(OpenSqliteStore(dir.File("missing/nojd.sqlite3")), StatusIs(ErrorCode::kUnavailable));
}

TEST(SqliteStore, FileStoreUsesWalForeignKeysAndSchemaVersion) {
  noj::testing::TempDir dir;
  const std::string path = dir.File("nojd.sqlite3");
  ASSERT_OK(OpenSqliteStore(path).status());
  RawDb raw(path);
  EXPECT_EQ(raw.Query("PRAGMA journal_mode"), "wal\n");
  EXPECT_EQ(raw.Query("PRAGMA user_version"), "6\n");
}

// Turns a version 6 database back into what version 5 looked like (no callback outbox).
const std::string kDropVersion6 =
    "DROP TABLE deliveries; ALTER TABLE submissions DROP COLUMN callback_url; "
    "DELETE FROM meta WHERE key IN ('delivered_total', 'superseded_total'); ";

// Turns a version 5 database back into what version 4 looked like (no runner speed).
const std::string kDropVersion5 = kDropVersion6 + "ALTER TABLE runners DROP COLUMN speed_score; ";

// Turns a version 4 database back into what version 3 looked like (one zip per problem).
const std::string kDropVersion4 =
    kDropVersion5 +
    "DROP INDEX jobs_by_problem; ALTER TABLE jobs DROP COLUMN problem_version; "
    "DROP TABLE problem_versions; "
    "CREATE TABLE testdata_v3 (problem_id INTEGER PRIMARY KEY REFERENCES problems (problem_id)"
    " ON DELETE CASCADE, zip BLOB NOT NULL, updated_at INTEGER NOT NULL); "
    "INSERT INTO testdata_v3 SELECT problem_id, zip, updated_at FROM testdata; "
    "DROP TABLE testdata; ALTER TABLE testdata_v3 RENAME TO testdata; "
    "ALTER TABLE problems DROP COLUMN version; ALTER TABLE problems DROP COLUMN testdata_rev; ";

TEST(SqliteStore, UpgradesAVersion3DatabaseToProblemVersions) {
  noj::testing::TempDir dir;
  const std::string path = dir.File("nojd.sqlite3");
  int64_t pid = 0;
  const int64_t now = 1'000'000;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
    NewProblem p;
    p.title = "old";
    p.tasks = {{100, 1, 65536, 1000}};
    ASSERT_OK_AND_ASSIGN(pid, store->CreateProblem(p, now));
    ASSERT_OK(store->PutTestdata(pid, "old zip", "old sum", false, now));
    NewSubmission s{"sn_01", "jb_01", pid, 1, "code", 1, {1, 0}};
    ASSERT_OK(store->Enqueue(s, now));
    ASSERT_OK(store->Claim("rn_1", api::RunnerCapabilities{}, LeasePolicy{}, now).status());
  }
  {
    RawDb raw(path);
    ASSERT_EQ(raw.Exec(kDropVersion4 + "PRAGMA user_version = 3"), SQLITE_OK);
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
  EXPECT_EQ(RawDb(path).Query("PRAGMA user_version"), "6\n");
  ASSERT_OK_AND_ASSIGN(ProblemRecord p, store->GetProblem(pid));
  EXPECT_EQ(p.version, 1);
  ASSERT_OK_AND_ASSIGN(std::string zip, store->GetTestdata(pid));
  EXPECT_EQ(zip, "old zip");
  ASSERT_OK_AND_ASSIGN(JobRecord job, store->GetJob("jb_01"));
  EXPECT_EQ(job.problem_version, 1);  // the lease of before the upgrade judges version 1
  // A new zip is version 2; the leased job keeps version 1 and its zip.
  ASSERT_OK(store->PutTestdata(pid, "new zip", "new sum", false, now));
  ASSERT_OK_AND_ASSIGN(zip, store->GetTestdataVersion(pid, 1));
  EXPECT_EQ(zip, "old zip");
  ASSERT_OK_AND_ASSIGN(zip, store->GetTestdataVersion(pid, 2));
  EXPECT_EQ(zip, "new zip");
}

// Turns a version 3 database back into what version 2 looked like.
const std::string kDropVersion3 =
    "DROP INDEX jobs_by_class; DROP INDEX jobs_by_class_deadline; "
    "ALTER TABLE problems DROP COLUMN meta_json; ALTER TABLE problems DROP COLUMN context_io; "
    "ALTER TABLE runners DROP COLUMN capabilities; ALTER TABLE submissions DROP COLUMN req_class; "
    "ALTER TABLE jobs DROP COLUMN req_class; ";

TEST(SqliteStore, UpgradesAVersion1DatabaseInPlace) {
  noj::testing::TempDir dir;
  const std::string path = dir.File("nojd.sqlite3");
  RunnerRecord old_runner{"rn_old", "old", std::string(64, 'a'), 1000, 1000, 9000, ""};
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
    ASSERT_OK(store->RegisterRunner(old_runner));
  }
  {  // what version 1 looked like: no runners.sandbox, nothing of version 3
    RawDb raw(path);
    ASSERT_EQ(raw.Exec(kDropVersion4 + kDropVersion3 +
                       "ALTER TABLE runners DROP COLUMN sandbox; "
                       "PRAGMA user_version = 1"),
              SQLITE_OK);
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
  EXPECT_EQ(RawDb(path).Query("PRAGMA user_version"), "6\n");
  ASSERT_OK_AND_ASSIGN(RunnerRecord got, store->GetRunner("rn_old", 2000));
  EXPECT_EQ(got.name, "old");
  EXPECT_EQ(got.sandbox, "");
  RunnerRecord tiered{"rn_new", "new", std::string(64, 'b'), 1000, 1000, 9000, "ns=none"};
  ASSERT_OK(store->RegisterRunner(tiered));
  ASSERT_OK_AND_ASSIGN(got, store->GetRunner("rn_new", 2000));
  EXPECT_EQ(got.sandbox, "ns=none");
}

TEST(SqliteStore, UpgradesAVersion4DatabaseToRunnerSpeeds) {
  noj::testing::TempDir dir;
  const std::string path = dir.File("nojd.sqlite3");
  RunnerRecord old_runner{"rn_old", "old", std::string(64, 'a'), 1000, 1000, 9000, ""};
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
    ASSERT_OK(store->RegisterRunner(old_runner));
  }
  {
    RawDb raw(path);
    ASSERT_EQ(raw.Exec(kDropVersion5 + "PRAGMA user_version = 4"), SQLITE_OK);
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
  EXPECT_EQ(RawDb(path).Query("PRAGMA user_version"), "6\n");
  ASSERT_OK_AND_ASSIGN(RunnerRecord got, store->GetRunner("rn_old", 2000));
  EXPECT_EQ(got.speed_score, std::nullopt);  // registered before runners reported it
  RunnerRecord measured{"rn_new", "new", std::string(64, 'b'), 1000, 1000, 9000, ""};
  measured.speed_score = 0.75;
  ASSERT_OK(store->RegisterRunner(measured));
  ASSERT_OK_AND_ASSIGN(got, store->GetRunner("rn_new", 2000));
  EXPECT_EQ(got.speed_score, 0.75);
}

TEST(SqliteStore, UpgradesAVersion5DatabaseToTheCallbackOutbox) {
  noj::testing::TempDir dir;
  const std::string path = dir.File("nojd.sqlite3");
  const int64_t now = 1'000'000;
  int64_t pid = 0;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
    NewProblem p;
    p.title = "old";
    p.tasks = {{100, 1, 65536, 1000}};
    ASSERT_OK_AND_ASSIGN(pid, store->CreateProblem(p, now));
    NewSubmission s{"sn_01", "jb_01", pid, 1, "code", 1, {1, 0}, ""};
    ASSERT_OK(store->Enqueue(s, now));
  }
  {
    RawDb raw(path);
    ASSERT_EQ(raw.Exec(kDropVersion6 + "PRAGMA user_version = 5"), SQLITE_OK);
    ASSERT_EQ(raw.Query("SELECT count(*) FROM sqlite_schema WHERE name = 'deliveries'"), "0\n");
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path));
  EXPECT_EQ(RawDb(path).Query("PRAGMA user_version"), "6\n");
  // The submission of before has no callback url: its landing writes no delivery.
  ASSERT_OK_AND_ASSIGN(SubmissionRecord old, store->GetSubmission("sn_01"));
  EXPECT_EQ(old.callback_url, "");
  ASSERT_OK_AND_ASSIGN(ClaimOutcome c,
                       store->Claim("rn_1", api::RunnerCapabilities{}, LeasePolicy{}, now));
  ASSERT_TRUE(c.job.has_value());
  CompletionRequest done;
  done.runner_id = "rn_1";
  done.job_id = "jb_01";
  done.result.status = api::Verdict::kAC;
  ASSERT_OK(store->Complete(done, now).status());
  // A new one with a url does, and the counters start at 0.
  NewSubmission s{"sn_02", "jb_02", pid, 1, "code", 1, {1, 0}, "https://oj.example/cb"};
  ASSERT_OK(store->Enqueue(s, now));
  ASSERT_OK(store->Claim("rn_1", api::RunnerCapabilities{}, LeasePolicy{}, now).status());
  done.job_id = "jb_02";
  ASSERT_OK(store->Complete(done, now).status());
  ASSERT_OK_AND_ASSIGN(std::vector<DeliveryRecord> all, store->ListDeliveries(DeliveryFilter{}));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].event_id, "msg_jb_02");
  EXPECT_EQ(all[0].url, "https://oj.example/cb");
  ASSERT_OK_AND_ASSIGN(std::vector<LeasedDelivery> leased,
                       store->LeaseDeliveries("node", 1, 1000, now));
  ASSERT_EQ(leased.size(), 1u);
  DeliveryAttempt delivered;
  ASSERT_OK(store->FinishDelivery("msg_jb_02", "node", delivered, now));
  ASSERT_OK_AND_ASSIGN(DeliveryStats stats, store->GetDeliveryStats(now));
  EXPECT_EQ(stats.delivered_total, 1);
  EXPECT_EQ(stats.superseded_total, 0);
}

TEST(SqliteStore, RefusesADatabaseFromANewerVersion) {
  noj::testing::TempDir dir;
  const std::string path = dir.File("nojd.sqlite3");
  ASSERT_OK(OpenSqliteStore(path).status());
  ASSERT_EQ(RawDb(path).Exec("PRAGMA user_version = 99"), SQLITE_OK);
  EXPECT_THAT(OpenSqliteStore(path), StatusIs(ErrorCode::kFailedPrecondition));
}

TEST(SqliteStore, RefusesAForeignDatabase) {
  noj::testing::TempDir dir;
  const std::string path = dir.File("other.sqlite3");
  ASSERT_EQ(RawDb(path).Exec("CREATE TABLE t (x)"), SQLITE_OK);
  EXPECT_THAT(OpenSqliteStore(path), StatusIs(ErrorCode::kFailedPrecondition));
}

TEST(SqliteStore, RefusesAFileThatIsNotADatabase) {
  noj::testing::TempDir dir;
  const std::string path = dir.File("garbage.sqlite3");
  std::ofstream(path) << std::string(4096, 'x');
  EXPECT_FALSE(OpenSqliteStore(path).ok());
}

TEST(SqliteStore, WriterBlockedByAnotherProcessIsUnavailableAndChangesNothing) {
  noj::testing::TempDir dir;
  const std::string path = dir.File("nojd.sqlite3");
  SqliteOptions options;
  options.busy_timeout_ms = 0;  // fail at once instead of waiting
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, OpenSqliteStore(path, options));
  RawDb other(path);
  ASSERT_EQ(other.Exec("BEGIN IMMEDIATE"), SQLITE_OK);
  NewProblem p{"A+B", {{100, 1, 65536, 1000}}};
  EXPECT_THAT(store->CreateProblem(p, 1), StatusIs(ErrorCode::kUnavailable));
  EXPECT_OK(store->Ping());  // readers are not blocked in WAL mode
  ASSERT_EQ(other.Exec("COMMIT"), SQLITE_OK);
  ASSERT_OK_AND_ASSIGN(int64_t id, store->CreateProblem(p, 1));
  EXPECT_EQ(id, 1);  // the failed attempt left nothing behind
}

// The hot paths are single index seeks, whatever the number of pending or leased jobs.
TEST(SqliteStore, HotQueriesUseIndexesWithoutSortingOrScanning) {
  noj::testing::TempDir dir;
  const std::string path = dir.File("nojd.sqlite3");
  ASSERT_OK(OpenSqliteStore(path).status());
  RawDb raw(path);
  ASSERT_EQ(raw.Exec("ANALYZE"), SQLITE_OK);
  const std::pair<const char*, const char*> cases[] = {
      {sql::kNextPendingClass, "jobs_by_class"},
      {sql::kNextLeasedClass, "jobs_by_class_deadline"},
      {sql::kFirstOrphanOfClass, "jobs_by_class_deadline"},
      {sql::kFirstPendingOfClass, "jobs_by_class"},
      {sql::kCountHeldBy, "jobs_by_runner"},
      {sql::kSelectJob, "sqlite_autoindex_jobs_1"},
      {sql::kRenewLease, "sqlite_autoindex_jobs_1"},
      {sql::kJobsHeldBy, "jobs_by_runner"},
      {sql::kCurrentJobOf, "sqlite_autoindex_submissions_1"},
      {sql::kSelectRunnerByToken, "runners_by_token"},
      {sql::kDueDeliveries, "deliveries_due"},
      {sql::kLeasedDeliveries, "deliveries_due"},
      {sql::kDeliveriesOfState, "deliveries_by_age"},
      {sql::kSelectDelivery, "sqlite_autoindex_deliveries_1"},
  };
  for (const auto& [query, index] : cases) {
    const std::string plan = raw.Query(std::string("EXPLAIN QUERY PLAN ") + query, 3);
    EXPECT_THAT(plan, HasSubstr(index)) << query;
    EXPECT_THAT(plan, Not(HasSubstr("TEMP B-TREE"))) << query << "\n" << plan;
    EXPECT_THAT(plan, Not(HasSubstr("SCAN "))) << query << "\n" << plan;
  }
}

// A job row that cannot be decoded (here: leased without a holder, written by raw SQL)
// is settled by the claim that meets it — JE for its current submission — and blocks nothing.
TEST(SqliteStore, CorruptedJobRowIsSettledByClaim) {
  ASSERT_OK_AND_ASSIGN(auto harness, contract::SqliteHarness::Make(/*on_file=*/true));
  auto* h = static_cast<contract::SqliteHarness*>(harness.get());
  Store& store = h->store();
  const int64_t now = noj::testing::FakeClock::kStartMs;
  ASSERT_OK_AND_ASSIGN(int64_t pid, store.CreateProblem({"A+B", {{100, 1, 65536, 1000}}}, now));
  ASSERT_OK(store.Enqueue({"sn_01", "jb_01", pid, 1, "x", 1, {1, 0}}, now));
  ASSERT_OK(store.Enqueue({"sn_02", "jb_02", pid, 1, "y", 1, {1, 0}}, now));
  ASSERT_TRUE(
      h->RawExec("UPDATE jobs SET state = 1, runner_id = NULL, lease_deadline = 0 "
                 "WHERE job_id = 'jb_01'"));
  ASSERT_OK_AND_ASSIGN(ClaimOutcome c,
                       store.Claim("rn_x", api::RunnerCapabilities{}, LeasePolicy{30'000, 3}, now));
  EXPECT_THAT(c.converged_to_je, ::testing::ElementsAre("sn_01"));
  EXPECT_THAT(c.corrupt_je, ::testing::ElementsAre("sn_01"));  // logged reason=corrupt
  ASSERT_TRUE(c.job.has_value());
  EXPECT_EQ(c.job->job_id, "jb_02");
  EXPECT_THAT(store.GetJob("jb_01"), StatusIs(ErrorCode::kNotFound));
}

}  // namespace
}  // namespace noj::store::sqlite

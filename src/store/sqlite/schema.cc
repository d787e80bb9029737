#include "store/sqlite/schema.h"

#include <string>

#include "common/logging.h"

namespace noj::store::sqlite {

namespace {

// Version 6 (5 + the result-callback outbox: submissions.callback_url and `deliveries`; 5 was 4 +
// runners.speed_score; 4 was 3 + problem versions, judging.md §6). Times are epoch milliseconds.
// Byte strings (code, outputs, zips) are BLOBs so that non-UTF-8 bytes round-trip exactly.
// req_class is api::RequirementsKey ("<language>:<feature bits>"). The current version of a problem
// lives in `problems`; problem_versions keeps the older ones a leased job still judges; testdata
// holds one row per zip revision (a meta-only version shares its zip with the one before).
// kSchemaV6 is followed by kDeliveriesV6 in the same transaction.
constexpr const char* kSchemaV6 = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO meta (key, value) VALUES
  ('job_seq', 0), ('reclaimed_total', 0), ('judge_error_total', 0),
  ('delivered_total', 0), ('superseded_total', 0);

CREATE TABLE problems (
  problem_id   INTEGER PRIMARY KEY AUTOINCREMENT,
  title        TEXT NOT NULL,
  tasks_json   TEXT NOT NULL,
  has_testdata INTEGER NOT NULL DEFAULT 0,
  checksum     TEXT NOT NULL DEFAULT '',
  created_at   INTEGER NOT NULL,
  meta_json    TEXT NOT NULL DEFAULT '{}',
  context_io   INTEGER NOT NULL DEFAULT 0,
  version      INTEGER NOT NULL DEFAULT 1,
  testdata_rev INTEGER NOT NULL DEFAULT 0  -- the testdata row of this version; 0: none
);

CREATE TABLE problem_versions (
  problem_id   INTEGER NOT NULL REFERENCES problems (problem_id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  title        TEXT NOT NULL,
  tasks_json   TEXT NOT NULL,
  has_testdata INTEGER NOT NULL,
  checksum     TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  meta_json    TEXT NOT NULL,
  context_io   INTEGER NOT NULL,
  testdata_rev INTEGER NOT NULL,
  PRIMARY KEY (problem_id, version)
);

CREATE TABLE testdata (
  problem_id INTEGER NOT NULL REFERENCES problems (problem_id) ON DELETE CASCADE,
  rev        INTEGER NOT NULL,
  zip        BLOB NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (problem_id, rev)
);

CREATE TABLE runners (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  runner_id     TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  token_sha256  TEXT NOT NULL,
  registered_at INTEGER NOT NULL,
  last_seen     INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  sandbox       TEXT NOT NULL DEFAULT '',
  capabilities  TEXT NOT NULL DEFAULT '',
  speed_score   REAL
);
CREATE INDEX runners_by_expiry ON runners (expires_at);
CREATE INDEX runners_by_token ON runners (token_sha256);

CREATE TABLE submissions (
  submission_id  TEXT PRIMARY KEY,
  problem_id     INTEGER NOT NULL,
  language       INTEGER NOT NULL,
  priority       INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 2),
  status         INTEGER NOT NULL DEFAULT -1,
  score          INTEGER NOT NULL DEFAULT 0,
  exec_time_ms   INTEGER NOT NULL DEFAULT 0,
  memory_kib     INTEGER NOT NULL DEFAULT 0,
  attempts       INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  judged_at      INTEGER NOT NULL DEFAULT 0,
  current_job_id TEXT NOT NULL,
  result_json    TEXT,
  req_class      TEXT NOT NULL DEFAULT '',
  callback_url   TEXT NOT NULL DEFAULT ''  -- where its final results are POSTed; '': nowhere
);
CREATE INDEX submissions_by_problem ON submissions (problem_id, submission_id);
CREATE INDEX submissions_by_status ON submissions (status, submission_id);

CREATE TABLE submission_code (
  submission_id TEXT PRIMARY KEY REFERENCES submissions (submission_id),
  code          BLOB NOT NULL
);

CREATE TABLE jobs (
  job_id         TEXT PRIMARY KEY,
  submission_id  TEXT NOT NULL REFERENCES submissions (submission_id),
  problem_id     INTEGER NOT NULL,
  language       INTEGER NOT NULL,
  priority       INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 2),
  state          INTEGER NOT NULL CHECK (state IN (0, 1)),  -- 0 pending, 1 leased
  attempts       INTEGER NOT NULL DEFAULT 0,
  runner_id      TEXT,     -- holder while leased
  lease_deadline INTEGER,  -- while leased
  enqueued_at    INTEGER NOT NULL,
  seq            INTEGER NOT NULL,  -- queue position: meta.job_seq at enqueue / requeue
  req_class      TEXT NOT NULL DEFAULT '',
  problem_version INTEGER NOT NULL DEFAULT 0  -- set by the claim: the version its lease judges
);
CREATE INDEX jobs_pending ON jobs (state, priority, seq);
CREATE INDEX jobs_by_class ON jobs (state, req_class, priority, seq);
CREATE INDEX jobs_by_class_deadline ON jobs (state, req_class, lease_deadline, seq);
CREATE INDEX jobs_by_deadline ON jobs (state, lease_deadline, seq);
CREATE INDEX jobs_by_runner ON jobs (runner_id, job_id);
CREATE INDEX jobs_by_submission ON jobs (submission_id);
CREATE INDEX jobs_by_problem ON jobs (problem_id, state, problem_version);

CREATE TABLE case_outputs (
  submission_id TEXT NOT NULL REFERENCES submissions (submission_id),
  task          INTEGER NOT NULL,
  case_index    INTEGER NOT NULL,
  stdout        BLOB NOT NULL,
  stderr        BLOB NOT NULL,
  PRIMARY KEY (submission_id, task, case_index)
);
)sql";

// The outbox (store.h "result callbacks"), new in version 6: one row per event still to deliver
// (state 0, pending) or given up (state 1, dead); a delivered or superseded one is deleted and only
// counted in meta. A lease sets next_attempt_at = lease_until, so "due" is one range of
// deliveries_due whether the delivery waits for a retry or for a dead holder's lease to run out.
// deliveries_by_age serves the listings (oldest first, per state) and the oldest pending one.
constexpr const char* kDeliveriesV6 = R"sql(
CREATE TABLE deliveries (
  event_id        TEXT PRIMARY KEY,  -- 'msg_' || job_id
  submission_id   TEXT NOT NULL,
  job_id          TEXT NOT NULL,
  url             TEXT NOT NULL,
  state           INTEGER NOT NULL CHECK (state IN (0, 1)),  -- 0 pending, 1 dead
  attempts        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  lease_owner     TEXT NOT NULL DEFAULT '',
  lease_until     INTEGER NOT NULL DEFAULT 0,
  last_attempt_at INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
CREATE INDEX deliveries_by_age ON deliveries (state, created_at, event_id);
PRAGMA user_version = 6;
)sql";

// Version 5 → 6: the result-callback outbox (then kDeliveriesV6). Submissions enqueued before
// have no callback url.
constexpr const char* kUpgradeV5ToV6 = R"sql(
ALTER TABLE submissions ADD COLUMN callback_url TEXT NOT NULL DEFAULT '';
INSERT OR IGNORE INTO meta (key, value) VALUES ('delivered_total', 0), ('superseded_total', 0);
)sql";

// Version 4 → 5: the speed a runner measures at start (NULL: not reported).
constexpr const char* kUpgradeV4ToV5 = R"sql(
ALTER TABLE runners ADD COLUMN speed_score REAL;
PRAGMA user_version = 5;
)sql";

// Version 3 → 4: problem versions (judging.md §6). Every problem is at version 1 and its zip is
// revision 1; the jobs leased at the upgrade judge version 1.
constexpr const char* kUpgradeV3ToV4 = R"sql(
ALTER TABLE problems ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE problems ADD COLUMN testdata_rev INTEGER NOT NULL DEFAULT 0;
UPDATE problems SET testdata_rev = 1 WHERE problem_id IN (SELECT problem_id FROM testdata);
CREATE TABLE problem_versions (
  problem_id   INTEGER NOT NULL REFERENCES problems (problem_id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  title        TEXT NOT NULL,
  tasks_json   TEXT NOT NULL,
  has_testdata INTEGER NOT NULL,
  checksum     TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  meta_json    TEXT NOT NULL,
  context_io   INTEGER NOT NULL,
  testdata_rev INTEGER NOT NULL,
  PRIMARY KEY (problem_id, version)
);
CREATE TABLE testdata_v4 (
  problem_id INTEGER NOT NULL REFERENCES problems (problem_id) ON DELETE CASCADE,
  rev        INTEGER NOT NULL,
  zip        BLOB NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (problem_id, rev)
);
INSERT INTO testdata_v4 (problem_id, rev, zip, updated_at)
  SELECT problem_id, 1, zip, updated_at FROM testdata;
DROP TABLE testdata;
ALTER TABLE testdata_v4 RENAME TO testdata;
ALTER TABLE jobs ADD COLUMN problem_version INTEGER NOT NULL DEFAULT 0;
UPDATE jobs SET problem_version = 1 WHERE state = 1;
CREATE INDEX jobs_by_problem ON jobs (problem_id, state, problem_version);
PRAGMA user_version = 4;
)sql";

// Version 2 → 3: problem meta extensions, runner capabilities, job requirement classes (a job of
// an older store needs its language and nothing else).
constexpr const char* kUpgradeV2ToV3 = R"sql(
ALTER TABLE problems ADD COLUMN meta_json TEXT NOT NULL DEFAULT '{}';
ALTER TABLE problems ADD COLUMN context_io INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runners ADD COLUMN capabilities TEXT NOT NULL DEFAULT '';
ALTER TABLE submissions ADD COLUMN req_class TEXT NOT NULL DEFAULT '';
UPDATE submissions SET req_class = language || ':0';
ALTER TABLE jobs ADD COLUMN req_class TEXT NOT NULL DEFAULT '';
UPDATE jobs SET req_class = language || ':0';
CREATE INDEX jobs_by_class ON jobs (state, req_class, priority, seq);
CREATE INDEX jobs_by_class_deadline ON jobs (state, req_class, lease_deadline, seq);
PRAGMA user_version = 3;
)sql";

// Version 1 → 2: the protections a runner reports at registration.
constexpr const char* kUpgradeV1ToV2 = R"sql(
ALTER TABLE runners ADD COLUMN sandbox TEXT NOT NULL DEFAULT '';
PRAGMA user_version = 2;
)sql";

Status ApplyPragmas(Db& db, const ConnectionSettings& settings) {
  NOJ_ASSIGN_OR_RETURN(std::string mode, db.QueryText("PRAGMA journal_mode = WAL"));
  if (mode != "wal" && mode != "memory") {
    NOJ_LOG_WARN("event=sqlite_journal_mode mode={} wanted=wal", mode);
  }
  NOJ_RETURN_IF_ERROR(db.ExecScript(settings.synchronous_full ? "PRAGMA synchronous = FULL"
                                                              : "PRAGMA synchronous = NORMAL"));
  NOJ_RETURN_IF_ERROR(db.ExecScript("PRAGMA foreign_keys = ON"));
  // Statement journals (each transition's SAVEPOINT in a group commit) in memory: as temp files
  // they cost an open, an unlink and a close per transition that needs one (measured: about one
  // in two jobs of a drain, and most of the deliverer's leases).
  NOJ_RETURN_IF_ERROR(db.ExecScript("PRAGMA temp_store = MEMORY"));
  NOJ_ASSIGN_OR_RETURN(std::string fk, db.QueryText("PRAGMA foreign_keys"));
  if (fk != "1") return InternalError("sqlite: foreign keys unsupported by this libsqlite3");
  return Status::Ok();
}

Status CreateOrCheckSchema(Db& db) {
  return InTransaction(db, TxKind::kImmediate, [&]() -> Status {
    NOJ_ASSIGN_OR_RETURN(std::string version, db.QueryText("PRAGMA user_version"));
    const int v = std::stoi(version.empty() ? "0" : version);
    if (v == kSchemaVersion) return Status::Ok();
    if (v >= 1 && v < kSchemaVersion) {
      NOJ_LOG_INFO("event=sqlite_schema_upgraded from={} to={}", v, kSchemaVersion);
      if (v == 1) NOJ_RETURN_IF_ERROR(db.ExecScript(kUpgradeV1ToV2));
      if (v <= 2) NOJ_RETURN_IF_ERROR(db.ExecScript(kUpgradeV2ToV3));
      if (v <= 3) NOJ_RETURN_IF_ERROR(db.ExecScript(kUpgradeV3ToV4));
      if (v <= 4) NOJ_RETURN_IF_ERROR(db.ExecScript(kUpgradeV4ToV5));
      NOJ_RETURN_IF_ERROR(db.ExecScript(kUpgradeV5ToV6));
      return db.ExecScript(kDeliveriesV6);
    }
    if (v > kSchemaVersion) {
      return FailedPreconditionError("sqlite: schema version " + version +
                                     " is newer than this nojd understands (" +
                                     std::to_string(kSchemaVersion) + ")");
    }
    NOJ_ASSIGN_OR_RETURN(std::string tables,
                         db.QueryText("SELECT count(*) FROM sqlite_schema WHERE type = 'table'"));
    if (tables != "0") return FailedPreconditionError("sqlite: not a noj-dispatch database");
    NOJ_RETURN_IF_ERROR(db.ExecScript(kSchemaV6));
    return db.ExecScript(kDeliveriesV6);
  });
}

}  // namespace

Status PrepareDatabase(Db& db, const ConnectionSettings& settings) {
  NOJ_RETURN_IF_ERROR(ApplyPragmas(db, settings));
  return CreateOrCheckSchema(db);
}

}  // namespace noj::store::sqlite

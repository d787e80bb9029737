#pragma once
// Every SQL statement of the store, in one place. Each is prepared once and cached by its text
// (Db::Prepare). The queries on the hot paths (claim, reclaim, renew) are each answered by one
// index seek; test/store/sqlite_store_test.cc checks their query plans.

namespace noj::store::sqlite::sql {

// ---- jobs ----
// Column order read by ReadJob() (rows.h).
#define NOJ_SQLITE_JOB_COLUMNS                                                             \
  "j.job_id, j.submission_id, j.problem_id, j.language, j.priority, j.state, j.attempts, " \
  "j.runner_id, j.lease_deadline, j.enqueued_at, j.req_class, j.problem_version"

inline constexpr const char* kSelectJob =
    "SELECT " NOJ_SQLITE_JOB_COLUMNS " FROM jobs j WHERE j.job_id = ?1";
// The claim works per requirement class (judging.md §5). The classes present among pending (state
// 0) or leased (state 1) jobs are listed one index seek each: the next class after ?1.
inline constexpr const char* kNextPendingClass =
    "SELECT req_class FROM jobs WHERE state = 0 AND req_class > ?1 ORDER BY req_class LIMIT 1";
inline constexpr const char* kNextLeasedClass =
    "SELECT req_class FROM jobs WHERE state = 1 AND req_class > ?1 ORDER BY req_class LIMIT 1";
// The first orphan of a class (leased with an expired deadline, oldest deadline first) and the
// first pending job of a class (by priority, 0 first, FIFO within a priority); seq follows the job
// columns so heads of different classes can be compared.
inline constexpr const char* kFirstOrphanOfClass =
    "SELECT " NOJ_SQLITE_JOB_COLUMNS
    ", j.seq FROM jobs j WHERE j.state = 1 AND j.req_class = ?1 AND j.lease_deadline <= ?2"
    " ORDER BY j.lease_deadline, j.seq LIMIT 1";
inline constexpr const char* kFirstPendingOfClass =
    "SELECT " NOJ_SQLITE_JOB_COLUMNS
    ", j.seq FROM jobs j WHERE j.state = 0 AND j.req_class = ?1 ORDER BY j.priority, j.seq LIMIT 1";
// The leases a runner holds (at most the claim bound, so a short index range; without the hint
// the planner may walk every lease by state instead).
inline constexpr const char* kCountHeldBy =
    "SELECT count(*) FROM jobs INDEXED BY jobs_by_runner WHERE runner_id = ?1 AND state = 1";
// Expired leases the reaper settles: exhausted, or not current for their submission.
inline constexpr const char* kReapCandidates =
    "SELECT " NOJ_SQLITE_JOB_COLUMNS
    " FROM jobs j LEFT JOIN submissions s ON s.submission_id = j.submission_id"
    " WHERE j.state = 1 AND j.lease_deadline <= ?1"
    " AND (j.attempts >= ?2 OR s.current_job_id IS NOT j.job_id)"
    " ORDER BY j.lease_deadline, j.seq LIMIT ?3";
inline constexpr const char* kInsertJob =
    "INSERT INTO jobs (job_id, submission_id, problem_id, language, priority, state, attempts,"
    " enqueued_at, seq, req_class) VALUES (?1, ?2, ?3, ?4, ?5, 0, 0, ?6, ?7, ?8)";
inline constexpr const char* kLeaseJob =
    "UPDATE jobs SET state = 1, attempts = ?2, runner_id = ?3, lease_deadline = ?4,"
    " problem_version = ?5 WHERE job_id = ?1";
inline constexpr const char* kRequeueJob =
    "UPDATE jobs SET state = 0, attempts = ?2, runner_id = NULL, lease_deadline = NULL, seq = ?3"
    " WHERE job_id = ?1";
inline constexpr const char* kRenewLease = "UPDATE jobs SET lease_deadline = ?2 WHERE job_id = ?1";
inline constexpr const char* kDeleteJob = "DELETE FROM jobs WHERE job_id = ?1";
inline constexpr const char* kJobsHeldBy =
    "SELECT job_id FROM jobs WHERE runner_id = ?1 AND state = 1 ORDER BY job_id";

// ---- meta: queue sequence and counters ----
inline constexpr const char* kNextSeq =
    "UPDATE meta SET value = value + 1 WHERE key = 'job_seq' RETURNING value";
// An upsert: a counter added after a store was created starts at 0 there.
inline constexpr const char* kBumpCounter =
    "INSERT INTO meta (key, value) VALUES (?1, 1) "
    "ON CONFLICT (key) DO UPDATE SET value = value + 1";
inline constexpr const char* kReadCounters = "SELECT key, value FROM meta";

// ---- submissions ----
#define NOJ_SQLITE_SUBMISSION_COLUMNS                                                          \
  "s.submission_id, s.problem_id, s.language, s.priority, s.status, s.score, s.exec_time_ms, " \
  "s.memory_kib, s.attempts, s.created_at, s.judged_at, s.current_job_id, s.result_json, "     \
  "j.state, j.runner_id, s.callback_url"
#define NOJ_SQLITE_SUBMISSION_FROM \
  " FROM submissions s LEFT JOIN jobs j ON j.job_id = s.current_job_id"

inline constexpr const char* kInsertSubmission =
    "INSERT INTO submissions (submission_id, problem_id, language, priority, created_at,"
    " current_job_id, req_class, callback_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
inline constexpr const char* kInsertCode =
    "INSERT INTO submission_code (submission_id, code) VALUES (?1, ?2)";
inline constexpr const char* kCurrentJobOf =
    "SELECT current_job_id FROM submissions WHERE submission_id = ?1";
inline constexpr const char* kSubmissionBasics =
    "SELECT problem_id, language, req_class FROM submissions WHERE submission_id = ?1";
inline constexpr const char* kSetSubmissionAttempts =
    "UPDATE submissions SET attempts = ?2 WHERE submission_id = ?1";
inline constexpr const char* kLandResult =
    "UPDATE submissions SET status = ?2, score = ?3, exec_time_ms = ?4, memory_kib = ?5,"
    " attempts = ?6, judged_at = ?7, result_json = ?8 WHERE submission_id = ?1";
inline constexpr const char* kResetSubmission =
    "UPDATE submissions SET current_job_id = ?2, priority = ?3, status = -1, score = 0,"
    " exec_time_ms = 0, memory_kib = 0, attempts = 0, judged_at = 0, result_json = NULL,"
    " req_class = ?4 WHERE submission_id = ?1";
inline constexpr const char* kSelectSubmission =
    "SELECT " NOJ_SQLITE_SUBMISSION_COLUMNS NOJ_SQLITE_SUBMISSION_FROM
    " WHERE s.submission_id = ?1";
// ListSubmissions builds its query from these pieces (one cached statement per filter shape).
inline constexpr const char* kListSubmissionsPrefix =
    "SELECT " NOJ_SQLITE_SUBMISSION_COLUMNS NOJ_SQLITE_SUBMISSION_FROM " WHERE 1";
inline constexpr const char* kSelectCode =
    "SELECT s.language, c.code FROM submissions s"
    " JOIN submission_code c ON c.submission_id = s.submission_id WHERE s.submission_id = ?1";
inline constexpr const char* kDeleteOutputs = "DELETE FROM case_outputs WHERE submission_id = ?1";
inline constexpr const char* kInsertOutput =
    "INSERT OR REPLACE INTO case_outputs (submission_id, task, case_index, stdout, stderr)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
inline constexpr const char* kSelectOutput =
    "SELECT stdout, stderr FROM case_outputs"
    " WHERE submission_id = ?1 AND task = ?2 AND case_index = ?3";

// ---- the callback outbox (store.h "result callbacks") ----
// Column order read by ReadDelivery() (rows.h).
#define NOJ_SQLITE_DELIVERY_COLUMNS                                                      \
  "event_id, submission_id, job_id, url, state, attempts, created_at, next_attempt_at, " \
  "lease_owner, lease_until, last_attempt_at, last_error"

// A landing's delivery (?1 submission, ?2 job, ?3 now), in the landing's transaction; nothing
// when the submission has no callback url. One statement: the url is not read back first.
inline constexpr const char* kInsertDelivery =
    "INSERT INTO deliveries (event_id, submission_id, job_id, url, state, attempts, created_at,"
    " next_attempt_at) SELECT 'msg_' || ?2, submission_id, ?2, callback_url, 0, 0, ?3, ?3"
    " FROM submissions WHERE submission_id = ?1 AND callback_url != ''";
inline constexpr const char* kSelectDelivery =
    "SELECT " NOJ_SQLITE_DELIVERY_COLUMNS " FROM deliveries WHERE event_id = ?1";
// Due ones (a run-out lease included: its next_attempt_at is its lease_until), one range of
// deliveries_due.
inline constexpr const char* kDueDeliveries =
    "SELECT " NOJ_SQLITE_DELIVERY_COLUMNS
    " FROM deliveries WHERE state = 0 AND next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?2";
inline constexpr const char* kLeaseDelivery =
    "UPDATE deliveries SET lease_owner = ?2, lease_until = ?3, next_attempt_at = ?3"
    " WHERE event_id = ?1";
inline constexpr const char* kDeleteDelivery = "DELETE FROM deliveries WHERE event_id = ?1";
inline constexpr const char* kRetryDelivery =
    "UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = ?2, last_error = ?3,"
    " next_attempt_at = ?4, lease_owner = '', lease_until = 0 WHERE event_id = ?1";
inline constexpr const char* kKillDelivery =
    "UPDATE deliveries SET state = 1, attempts = attempts + 1, last_attempt_at = ?2,"
    " last_error = ?3, lease_owner = '', lease_until = 0 WHERE event_id = ?1";
inline constexpr const char* kPostponeDelivery =
    "UPDATE deliveries SET next_attempt_at = ?2, lease_owner = '', lease_until = 0"
    " WHERE event_id = ?1";
inline constexpr const char* kRedeliver =
    "UPDATE deliveries SET state = 0, attempts = 0, created_at = ?2, next_attempt_at = ?2,"
    " lease_owner = '', lease_until = 0 WHERE event_id = ?1";
// The oldest of one state (deliveries_by_age); ListDeliveries merges both states' for "all".
inline constexpr const char* kDeliveriesOfState =
    "SELECT " NOJ_SQLITE_DELIVERY_COLUMNS
    " FROM deliveries WHERE state = ?1 ORDER BY created_at, event_id LIMIT ?2";
// Per url and state: a scan of the outbox, which holds only pending and dead deliveries
// (delivered ones are deleted), so it is bounded by what is still owed, not by history.
inline constexpr const char* kDeliveriesByUrl =
    "SELECT url, state, count(*), min(created_at) FROM deliveries GROUP BY url, state"
    " ORDER BY url";
// Leased: pending with a lease still running; such a lease is its next_attempt_at, so the range
// next_attempt_at > now of deliveries_due holds every one of them.
inline constexpr const char* kLeasedDeliveries =
    "SELECT count(*) FROM deliveries WHERE state = 0 AND next_attempt_at > ?1"
    " AND lease_owner != '' AND lease_until > ?1";

// ---- queue stats ----
inline constexpr const char* kPendingByPriority =
    "SELECT priority, count(*), min(enqueued_at) FROM jobs WHERE state = 0 GROUP BY priority";
inline constexpr const char* kLeasedCount = "SELECT count(*) FROM jobs WHERE state = 1";
inline constexpr const char* kPendingByClass =
    "SELECT req_class, count(*), min(enqueued_at) FROM jobs WHERE state = 0"
    " GROUP BY req_class ORDER BY req_class";

// ---- runners ----
#define NOJ_SQLITE_RUNNER_COLUMNS                                                                \
  "runner_id, name, token_sha256, registered_at, last_seen, expires_at, sandbox, capabilities, " \
  "speed_score"

inline constexpr const char* kInsertRunner = "INSERT INTO runners (" NOJ_SQLITE_RUNNER_COLUMNS
                                             ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
inline constexpr const char* kSelectRunner =
    "SELECT " NOJ_SQLITE_RUNNER_COLUMNS " FROM runners WHERE runner_id = ?1";
inline constexpr const char* kSelectRunnerByToken =
    "SELECT " NOJ_SQLITE_RUNNER_COLUMNS
    " FROM runners WHERE token_sha256 = ?1 AND expires_at > ?2"
    " ORDER BY seq LIMIT 1";
inline constexpr const char* kTouchRunner =
    "UPDATE runners SET last_seen = ?2, expires_at = ?3 WHERE runner_id = ?1";
inline constexpr const char* kDeleteRunner = "DELETE FROM runners WHERE runner_id = ?1";
inline constexpr const char* kListRunners =
    "SELECT " NOJ_SQLITE_RUNNER_COLUMNS " FROM runners WHERE expires_at > ?1 ORDER BY seq";
inline constexpr const char* kForgetRunners = "DELETE FROM runners WHERE expires_at <= ?1";

// ---- problems ----
inline constexpr const char* kProblemExists = "SELECT 1 FROM problems WHERE problem_id = ?1";
inline constexpr const char* kInsertProblem =
    "INSERT INTO problems (title, tasks_json, created_at, meta_json) VALUES (?1, ?2, ?3, ?4)";
// Column order read by ReadProblem() (problems.cc), for the current and the kept versions.
#define NOJ_SQLITE_PROBLEM_COLUMNS                                                             \
  "problem_id, title, tasks_json, has_testdata, checksum, created_at, meta_json, context_io, " \
  "version, testdata_rev"
inline constexpr const char* kSelectProblem =
    "SELECT " NOJ_SQLITE_PROBLEM_COLUMNS " FROM problems WHERE problem_id = ?1";
inline constexpr const char* kSelectProblemVersion =
    "SELECT " NOJ_SQLITE_PROBLEM_COLUMNS
    " FROM problem_versions WHERE problem_id = ?1 AND version = ?2";
inline constexpr const char* kProblemVersionOf =
    "SELECT version FROM problems WHERE problem_id = ?1";
// A version write: the outgoing version is copied to problem_versions when a lease judges it,
// the new one replaces it in problems, then the versions and zips nothing needs are dropped.
inline constexpr const char* kLeasesOfVersion =
    "SELECT 1 FROM jobs WHERE problem_id = ?1 AND state = 1 AND problem_version = ?2 LIMIT 1";
inline constexpr const char* kKeepVersion =
    "INSERT OR REPLACE INTO problem_versions (" NOJ_SQLITE_PROBLEM_COLUMNS
    ") SELECT " NOJ_SQLITE_PROBLEM_COLUMNS " FROM problems WHERE problem_id = ?1";
inline constexpr const char* kUpdateProblemMeta =
    "UPDATE problems SET title = ?2, tasks_json = ?3, meta_json = ?4, checksum = ?5,"
    " version = version + 1 WHERE problem_id = ?1";
inline constexpr const char* kSetTestdata =
    "UPDATE problems SET has_testdata = 1, checksum = ?2, context_io = ?3, testdata_rev = ?4,"
    " version = version + 1 WHERE problem_id = ?1";
inline constexpr const char* kDropUnusedVersions =
    "DELETE FROM problem_versions WHERE problem_id = ?1 AND version NOT IN"
    " (SELECT problem_version FROM jobs WHERE problem_id = ?1 AND state = 1)";
inline constexpr const char* kDropUnusedTestdata =
    "DELETE FROM testdata WHERE problem_id = ?1 AND rev != (SELECT testdata_rev FROM problems"
    " WHERE problem_id = ?1) AND rev NOT IN"
    " (SELECT testdata_rev FROM problem_versions WHERE problem_id = ?1)";
inline constexpr const char* kNextTestdataRev =
    "SELECT coalesce(max(rev), 0) + 1 FROM testdata WHERE problem_id = ?1";
inline constexpr const char* kInsertTestdata =
    "INSERT INTO testdata (problem_id, rev, zip, updated_at) VALUES (?1, ?2, ?3, ?4)";
inline constexpr const char* kSelectTestdata =
    "SELECT zip FROM testdata WHERE problem_id = ?1 AND rev = ?2";
// Re-classing (judging.md §5) of a problem's pending current jobs and of their submissions: the
// class is "<language>:<features>" (api::RequirementsKey). A stale pending job keeps its class: it
// is discarded when popped.
inline constexpr const char* kReclassPendingSubmissions =
    "UPDATE submissions SET req_class = language || ':' || ?2 WHERE submission_id IN"
    " (SELECT submission_id FROM jobs WHERE problem_id = ?1 AND state = 0)";
inline constexpr const char* kReclassPendingJobs =
    "UPDATE jobs SET req_class = language || ':' || ?2"
    " WHERE problem_id = ?1 AND state = 0 AND req_class != language || ':' || ?2"
    " AND job_id = (SELECT current_job_id FROM submissions s"
    " WHERE s.submission_id = jobs.submission_id)";
// One batch of RejudgeProblem, newest first; ListSubmissions' index (problem_id, submission_id).
inline constexpr const char* kRejudgeBatch =
    "SELECT submission_id, language FROM submissions WHERE problem_id = ?1 AND submission_id < ?2"
    " AND (?3 IS NULL OR status = ?3) ORDER BY submission_id DESC LIMIT ?4";

inline constexpr const char* kPing = "SELECT 1";

}  // namespace noj::store::sqlite::sql

#pragma once
// Building blocks shared by the transitions. Each is one or two statements; none opens a
// transaction. REQUIRES: called inside the caller's transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/results.h"
#include "common/status.h"
#include "store/records.h"
#include "store/sqlite/db.h"

namespace noj::store::sqlite {

// The job, or nullopt if absent. kInternal if its row cannot be decoded.
Result<std::optional<JobRecord>> LoadJob(Db& db, const std::string& job_id);

// True when the job's submission exists and points at this job (INV4).
Result<bool> IsCurrent(Db& db, const JobRecord& job);

// The next queue position: later than every job enqueued or requeued before.
Result<int64_t> NextSeq(Db& db);

// meta counters: "reclaimed_total", "judge_error_total", "results_total".
Status BumpCounter(Db& db, std::string_view key);

Status DeleteJob(Db& db, const std::string& job_id);
Status SetSubmissionAttempts(Db& db, const std::string& submission_id, int attempts);

// Writes the final result of a submission judged by `job_id`, replaces its case outputs and, when
// the submission has a callback url, writes the pending delivery of this landing (INV1 with the
// caller's DeleteJob in the same transaction). Every landing — Complete and each JE — comes here.
Status WriteResult(Db& db, const std::string& submission_id, const std::string& job_id,
                   const api::SubmissionResult& result, const std::vector<api::CaseOutput>& outputs,
                   int attempts, int64_t now);

// Lands Judge Error for the job's submission, deletes the job, counts it. The caller reports why
// (Settled), and the dispatcher logs it once the transaction committed.
Status LandJudgeError(Db& db, const JobRecord& job, int attempts, int64_t now);

// The fate of a job met by a scan (claim or reaper) before it would be leased.
struct Settled {
  std::vector<std::string>* converged_to_je;  // submission ids given JE
  std::vector<std::string>* discarded_stale;  // job ids dropped as non-current
  // Subsets of converged_to_je naming why (the rest were exhausted).
  std::vector<std::string>* corrupt_je;
  std::vector<std::string>* problem_missing_je;
};

// A job row met by a scan. When the row cannot be decoded, `job` holds what could be read (ids)
// and `corrupt_reason` says why.
struct ScannedJob {
  JobRecord job;
  std::string corrupt_reason;  // empty when the row is sound
};
// Reads the current row of a scan query (NOJ_SQLITE_JOB_COLUMNS).
ScannedJob ScanJob(const Stmt& row);

// Settles a corrupted job row so it never blocks a queue: JE for its submission if the job is
// current, else discarded. The skipped row is logged (an operational line, not an event).
Status SettleCorrupt(Db& db, const ScannedJob& scanned, int64_t now, const Settled& out);

// Removes the job if it can never run again: not current (discarded), attempts >= max_attempts or
// problem gone (JE landed). Returns true if it removed it, false if the job may be leased.
Result<bool> SettleIfDead(Db& db, const JobRecord& job, int max_attempts, int64_t now,
                          const Settled& out);

}  // namespace noj::store::sqlite

#pragma once
// Decoding of result rows into records, and the JSON forms stored in TEXT columns.
// A row that cannot be decoded gives kInternal ("corrupted …"); scans skip such rows and log.

#include <string>

#include "api/results.h"
#include "api/task_spec.h"
#include "common/status.h"
#include "store/records.h"
#include "store/sqlite/db.h"

namespace noj::store::sqlite {

// Columns in NOJ_SQLITE_JOB_COLUMNS order.
Result<JobRecord> ReadJob(const Stmt& row);
// Columns in NOJ_SQLITE_SUBMISSION_COLUMNS order.
Result<SubmissionRecord> ReadSubmission(const Stmt& row);
// Columns in NOJ_SQLITE_RUNNER_COLUMNS order.
RunnerRecord ReadRunner(const Stmt& row);

std::string TaskSpecsToText(const api::TaskSpecs& tasks);
// Per-task decoding only: what CreateProblem stored is read back even if it would fail a newer
// problem-level rule.
Result<api::TaskSpecs> TaskSpecsFromText(const std::string& text);

std::string ResultToText(const api::SubmissionResult& result);
Result<api::SubmissionResult> ResultFromText(const std::string& text);

}  // namespace noj::store::sqlite

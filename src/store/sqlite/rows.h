#pragma once
// Decoding of result rows into records, and the JSON forms stored in TEXT columns.
// A row that cannot be decoded gives kInternal ("corrupted …"); scans skip such rows and log.

#include <string>

#include "api/codec.h"
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
// Columns in NOJ_SQLITE_DELIVERY_COLUMNS order. kInternal ("corrupted …") for an unknown state.
Result<DeliveryRecord> ReadDelivery(const Stmt& row);
// Columns in NOJ_SQLITE_RUNNER_COLUMNS order. Capabilities that cannot be decoded (a damaged row)
// read as none at all, and are logged.
RunnerRecord ReadRunner(const Stmt& row);

// The stored text forms are shared with the Redis store (api/codec.h).
using api::TaskSpecsFromText;
using api::TaskSpecsToText;
inline std::string ResultToText(const api::SubmissionResult& r) {
  return api::SubmissionResultToText(r);
}
inline Result<api::SubmissionResult> ResultFromText(const std::string& t) {
  return api::SubmissionResultFromText(t);
}

}  // namespace noj::store::sqlite

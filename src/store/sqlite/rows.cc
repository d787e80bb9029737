#include "store/sqlite/rows.h"

#include <boost/json.hpp>

#include "api/codec.h"
#include "common/json_util.h"
#include "common/logging.h"

namespace noj::store::sqlite {

namespace bj = boost::json;

Result<JobRecord> ReadJob(const Stmt& row) {
  JobRecord job;
  job.job_id = row.Text(0);
  job.submission_id = row.Text(1);
  job.problem_id = row.Int(2);
  job.language = static_cast<int>(row.Int(3));
  job.priority = static_cast<int>(row.Int(4));
  const int64_t state = row.Int(5);
  job.attempts = static_cast<int>(row.Int(6));
  job.runner_id = row.Text(7);
  job.lease_deadline = row.Int(8);
  job.enqueued_at = row.Int(9);
  const std::optional<api::JobRequirements> requirements = api::RequirementsFromKey(row.Text(10));
  if (!requirements) {
    return InternalError("corrupted job " + job.job_id + ": requirement class '" + row.Text(10) +
                         "'");
  }
  job.requirements = *requirements;
  job.problem_version = row.Int(11);
  if (state == 0) {
    job.state = JobState::kPending;
  } else if (state == 1 && !row.IsNull(7) && !row.IsNull(8)) {
    job.state = JobState::kLeased;
  } else {
    return InternalError("corrupted job " + job.job_id + ": state " + std::to_string(state));
  }
  return job;
}

Result<SubmissionRecord> ReadSubmission(const Stmt& row) {
  SubmissionRecord s;
  s.submission_id = row.Text(0);
  s.problem_id = row.Int(1);
  s.language = static_cast<int>(row.Int(2));
  s.priority = static_cast<int>(row.Int(3));
  s.status = static_cast<int>(row.Int(4));
  s.score = static_cast<int>(row.Int(5));
  s.exec_time_ms = row.Int(6);
  s.memory_kib = row.Int(7);
  s.attempts = static_cast<int>(row.Int(8));
  s.created_at = row.Int(9);
  s.judged_at = row.Int(10);
  s.current_job_id = row.Text(11);
  if (!row.IsNull(12)) {
    auto result = ResultFromText(row.Text(12));
    if (!result.ok()) {
      return InternalError("corrupted result of " + s.submission_id + ": " +
                           result.status().message());
    }
    s.result = std::move(result).value();
  }
  if (!row.IsNull(13)) {
    const bool leased = row.Int(13) == 1;
    s.job_state = leased ? "leased" : "pending";
    if (leased) s.runner_id = row.Text(14);
  }
  s.callback_url = row.Text(15);
  return s;
}

Result<DeliveryRecord> ReadDelivery(const Stmt& row) {
  DeliveryRecord d;
  d.event_id = row.Text(0);
  d.submission_id = row.Text(1);
  d.job_id = row.Text(2);
  d.url = row.Text(3);
  const int64_t state = row.Int(4);
  if (state != 0 && state != 1) {
    return InternalError("corrupted delivery " + d.event_id + ": state " + std::to_string(state));
  }
  d.state = state == 0 ? DeliveryState::kPending : DeliveryState::kDead;
  d.attempts = static_cast<int>(row.Int(5));
  d.created_at = row.Int(6);
  d.next_attempt_at = row.Int(7);
  d.lease_owner = row.Text(8);
  d.lease_until = row.Int(9);
  d.last_attempt_at = row.Int(10);
  d.last_error = row.Text(11);
  return d;
}

RunnerRecord ReadRunner(const Stmt& row) {
  RunnerRecord r;
  r.runner_id = row.Text(0);
  r.name = row.Text(1);
  r.token_sha256 = row.Text(2);
  r.registered_at = row.Int(3);
  r.last_seen = row.Int(4);
  r.expires_at = row.Int(5);
  r.sandbox = row.Text(6);
  auto capabilities = api::RunnerCapabilitiesFromText(row.Text(7));
  if (capabilities.ok()) {
    r.capabilities = std::move(capabilities).value();
  } else {
    // Written by RegisterRunnerTx, so only a damaged row gets here: such a runner may take nothing.
    NOJ_LOG_WARN("event=corrupted_runner_capabilities runner={} error=\"{}\"", r.runner_id,
                 capabilities.status().message());
    r.capabilities = api::RunnerCapabilities{{}, 0};
  }
  if (!row.IsNull(8)) r.speed_score = row.Double(8);
  return r;
}

}  // namespace noj::store::sqlite

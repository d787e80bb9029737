#pragma once
// The bodies of the Store methods, as free functions over a Db.
// REQUIRES (every function): called inside one transaction opened by SqliteStore — IMMEDIATE for
// the transitions, deferred for the reads — which commits on success and rolls back on error.
// Semantics: exactly those documented in store/store.h.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "store/records.h"
#include "store/sqlite/db.h"

namespace noj::store::sqlite {

// ---- problems (problems.cc) ----
Result<int64_t> CreateProblemTx(Db& db, const NewProblem& problem, int64_t now);
Result<ProblemRecord> GetProblemTx(Db& db, int64_t problem_id);
Result<ProblemRecord> GetProblemVersionTx(Db& db, int64_t problem_id, int64_t version);
Result<VersionOutcome> UpdateProblemTx(Db& db, int64_t problem_id, const ProblemUpdate& update,
                                       int64_t now);
Result<VersionOutcome> WriteTestdataTx(Db& db, int64_t problem_id, const TestdataWrite& write,
                                       int64_t now);
Result<std::string> GetTestdataTx(Db& db, int64_t problem_id);
Result<std::string> GetTestdataVersionTx(Db& db, int64_t problem_id, int64_t version);
// The problem's current version, 0 if it is absent (a building block of the claim).
Result<int64_t> CurrentProblemVersion(Db& db, int64_t problem_id);

// ---- runners (runners.cc) ----
Status RegisterRunnerTx(Db& db, const RunnerRecord& runner);
Result<RunnerRecord> GetRunnerTx(Db& db, const std::string& runner_id, int64_t now);
Result<RunnerRecord> GetRunnerByTokenHashTx(Db& db, const std::string& token_sha256, int64_t now);
Result<HeartbeatOutcome> HeartbeatTx(Db& db, const std::string& runner_id,
                                     const std::vector<std::string>& job_ids, int64_t now,
                                     int64_t lease_ttl_ms, int64_t identity_ttl_ms);
Status RevokeRunnerTx(Db& db, const std::string& runner_id);
Result<std::vector<RunnerInfo>> ListRunnersTx(Db& db, int64_t now);
Result<int> ForgetExpiredRunnersTx(Db& db, int64_t now);

// ---- queue entry (enqueue.cc) ----
Status EnqueueTx(Db& db, const NewSubmission& submission, int64_t now);
Status RejudgeTx(Db& db, const std::string& submission_id, const std::string& new_job_id,
                 int priority, const std::optional<api::JobRequirements>& requirements,
                 int64_t now);
Result<ProblemRejudgeOutcome> RejudgeProblemTx(Db& db, int64_t problem_id,
                                               const ProblemRejudge& batch, int64_t now);

// ---- claim and reaping (claim.cc) ----
Result<ClaimOutcome> ClaimTx(Db& db, const std::string& runner_id,
                             const api::RunnerCapabilities& capabilities, const LeasePolicy& policy,
                             int64_t now);
Result<ReapOutcome> ReapExpiredTx(Db& db, int max_attempts, int64_t now, int limit);

// ---- landing (landing.cc) ----
Result<CompleteOutcome> CompleteTx(Db& db, const CompletionRequest& completion, int64_t now);
Result<AbortOutcome> AbortTx(Db& db, const std::string& runner_id, const std::string& job_id,
                             std::optional<int> attempt, bool refund_attempt, int max_attempts,
                             int64_t now);

// ---- reads (reads.cc) ----
Result<JobRecord> GetJobTx(Db& db, const std::string& job_id);
Result<SubmissionRecord> GetSubmissionTx(Db& db, const std::string& submission_id);
Result<std::pair<std::string, int>> GetSubmissionCodeTx(Db& db, const std::string& submission_id);
Result<std::vector<SubmissionRecord>> ListSubmissionsTx(Db& db, const SubmissionFilter& filter);
Result<api::CaseOutput> GetCaseOutputTx(Db& db, const std::string& submission_id, int task,
                                        int case_index);
Result<QueueStats> GetQueueStatsTx(Db& db, int64_t now);

// deliveries.cc: the callback outbox (store.h "result callbacks").
Result<std::vector<LeasedDelivery>> LeaseDeliveriesTx(Db& db, const std::string& owner, int limit,
                                                      int64_t lease_ms, int64_t now);
Result<std::vector<Status>> FinishDeliveriesTx(Db& db, const std::string& owner,
                                               const std::vector<DeliveryOutcome>& outcomes,
                                               int64_t now);
Status RedeliverTx(Db& db, const std::string& event_id, int64_t now);
Result<DeliveryRecord> GetDeliveryTx(Db& db, const std::string& event_id);
Result<std::vector<DeliveryRecord>> ListDeliveriesTx(Db& db, const DeliveryFilter& filter);
Result<DeliveryStats> GetDeliveryStatsTx(Db& db, int64_t now);

}  // namespace noj::store::sqlite

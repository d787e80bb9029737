#include "store/sqlite/sqlite_store.h"

#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "store/sqlite/db.h"
#include "store/sqlite/group_commit.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/statements.h"
#include "store/sqlite/transitions.h"

namespace noj::store::sqlite {

namespace {

// Every transition runs its body (transitions.h) through the group commit; every read runs it in
// its own deferred transaction between batches.
class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Db> db, GroupCommitOptions options)
      : commit_(std::move(db), std::move(options)) {}

  StoreCounters Counters() const override {
    StoreCounters c;
    c.transitions = commit_.transitions();
    c.commits = commit_.commits();
    return c;
  }

  Status Ping() override {
    return Read([&](Db& db) -> Status { return db.QueryText(sql::kPing).status(); });
  }

  // ---- problems ----
  Result<int64_t> CreateProblem(const NewProblem& problem, int64_t now) override {
    return Write([&](Db& db) { return CreateProblemTx(db, problem, now); });
  }
  Result<ProblemRecord> GetProblem(int64_t problem_id) override {
    return Read([&](Db& db) { return GetProblemTx(db, problem_id); });
  }
  Result<ProblemRecord> GetProblemVersion(int64_t problem_id, int64_t version) override {
    return Read([&](Db& db) { return GetProblemVersionTx(db, problem_id, version); });
  }
  Result<VersionOutcome> UpdateProblem(int64_t problem_id, const ProblemUpdate& update,
                                       int64_t now) override {
    return Write([&](Db& db) { return UpdateProblemTx(db, problem_id, update, now); });
  }
  Result<VersionOutcome> WriteTestdata(int64_t problem_id, const TestdataWrite& write,
                                       int64_t now) override {
    return Write([&](Db& db) { return WriteTestdataTx(db, problem_id, write, now); });
  }
  Result<std::string> GetTestdata(int64_t problem_id) override {
    return Read([&](Db& db) { return GetTestdataTx(db, problem_id); });
  }
  Result<std::string> GetTestdataVersion(int64_t problem_id, int64_t version) override {
    return Read([&](Db& db) { return GetTestdataVersionTx(db, problem_id, version); });
  }
  Result<ProblemRejudgeOutcome> RejudgeProblem(int64_t problem_id, const ProblemRejudge& batch,
                                               int64_t now) override {
    return Write([&](Db& db) { return RejudgeProblemTx(db, problem_id, batch, now); });
  }

  // ---- runners ----
  Status RegisterRunner(const RunnerRecord& runner) override {
    return Write([&](Db& db) { return RegisterRunnerTx(db, runner); });
  }
  Result<RunnerRecord> GetRunner(const std::string& runner_id, int64_t now) override {
    return Read([&](Db& db) { return GetRunnerTx(db, runner_id, now); });
  }
  Result<RunnerRecord> GetRunnerByTokenHash(const std::string& token_sha256, int64_t now) override {
    return Read([&](Db& db) { return GetRunnerByTokenHashTx(db, token_sha256, now); });
  }
  Result<HeartbeatOutcome> Heartbeat(const std::string& runner_id,
                                     const std::vector<std::string>& job_ids, int64_t now,
                                     int64_t lease_ttl_ms, int64_t identity_ttl_ms) override {
    return Write([&](Db& db) {
      return HeartbeatTx(db, runner_id, job_ids, now, lease_ttl_ms, identity_ttl_ms);
    });
  }
  Status RevokeRunner(const std::string& runner_id) override {
    return Write([&](Db& db) { return RevokeRunnerTx(db, runner_id); });
  }
  Result<std::vector<RunnerInfo>> ListRunners(int64_t now) override {
    return Read([&](Db& db) { return ListRunnersTx(db, now); });
  }
  Result<int> ForgetExpiredRunners(int64_t now) override {
    return Write([&](Db& db) { return ForgetExpiredRunnersTx(db, now); });
  }

  // ---- jobs ----
  Status Enqueue(const NewSubmission& submission, int64_t now) override {
    return Write([&](Db& db) { return EnqueueTx(db, submission, now); });
  }
  Result<ClaimOutcome> Claim(const std::string& runner_id,
                             const api::RunnerCapabilities& capabilities, const LeasePolicy& policy,
                             int64_t now) override {
    return Write([&](Db& db) { return ClaimTx(db, runner_id, capabilities, policy, now); });
  }
  Result<JobRecord> GetJob(const std::string& job_id) override {
    return Read([&](Db& db) { return GetJobTx(db, job_id); });
  }
  Result<CompleteOutcome> Complete(const CompletionRequest& completion, int64_t now) override {
    return Write([&](Db& db) { return CompleteTx(db, completion, now); });
  }
  Result<AbortOutcome> Abort(const std::string& runner_id, const std::string& job_id,
                             std::optional<int> attempt, bool refund_attempt, int max_attempts,
                             int64_t now) override {
    return Write([&](Db& db) {
      return AbortTx(db, runner_id, job_id, attempt, refund_attempt, max_attempts, now);
    });
  }
  Result<ReapOutcome> ReapExpired(int max_attempts, int64_t now, int limit) override {
    return Write([&](Db& db) { return ReapExpiredTx(db, max_attempts, now, limit); });
  }
  using Store::Rejudge;
  Status Rejudge(const std::string& submission_id, const std::string& new_job_id, int priority,
                 const std::optional<api::JobRequirements>& requirements, int64_t now) override {
    return Write([&](Db& db) {
      return RejudgeTx(db, submission_id, new_job_id, priority, requirements, now);
    });
  }

  // ---- reads ----
  Result<SubmissionRecord> GetSubmission(const std::string& submission_id) override {
    return Read([&](Db& db) { return GetSubmissionTx(db, submission_id); });
  }
  Result<std::pair<std::string, int>> GetSubmissionCode(const std::string& submission_id) override {
    return Read([&](Db& db) { return GetSubmissionCodeTx(db, submission_id); });
  }
  Result<std::vector<SubmissionRecord>> ListSubmissions(const SubmissionFilter& filter) override {
    return Read([&](Db& db) { return ListSubmissionsTx(db, filter); });
  }
  Result<api::CaseOutput> GetCaseOutput(const std::string& submission_id, int task,
                                        int case_index) override {
    return Read([&](Db& db) { return GetCaseOutputTx(db, submission_id, task, case_index); });
  }
  Result<QueueStats> GetQueueStats(int64_t now) override {
    return Read([&](Db& db) { return GetQueueStatsTx(db, now); });
  }

  // ---- result callbacks ----
  Result<std::vector<LeasedDelivery>> LeaseDeliveries(const std::string& owner, int limit,
                                                      int64_t lease_ms, int64_t now) override {
    return Write([&](Db& db) { return LeaseDeliveriesTx(db, owner, limit, lease_ms, now); });
  }
  Result<std::vector<Status>> FinishDeliveries(const std::string& owner,
                                               const std::vector<DeliveryOutcome>& outcomes,
                                               int64_t now) override {
    return Write([&](Db& db) { return FinishDeliveriesTx(db, owner, outcomes, now); });
  }
  Status Redeliver(const std::string& event_id, int64_t now) override {
    return Write([&](Db& db) { return RedeliverTx(db, event_id, now); });
  }
  Result<DeliveryRecord> GetDelivery(const std::string& event_id) override {
    return Read([&](Db& db) { return GetDeliveryTx(db, event_id); });
  }
  Result<std::vector<DeliveryRecord>> ListDeliveries(const DeliveryFilter& filter) override {
    return Read([&](Db& db) { return ListDeliveriesTx(db, filter); });
  }
  Result<DeliveryStats> GetDeliveryStats(int64_t now) override {
    return Read([&](Db& db) { return GetDeliveryStatsTx(db, now); });
  }

 private:
  // A transition: queued for the next group commit (group_commit.h), answered once durable.
  template <typename Body>
  auto Write(Body&& body) -> decltype(body(std::declval<Db&>())) {
    using R = decltype(body(std::declval<Db&>()));
    try {
      std::optional<R> result;
      auto run = [&](Db& db) -> Status {
        try {
          result.emplace(body(db));
          return StatusOf(*result);
        } catch (const std::exception& e) {
          return InternalError(std::string("sqlite store: unexpected exception: ") + e.what());
        } catch (...) {
          return InternalError("sqlite store: unexpected exception");
        }
      };
      Status status = commit_.Commit(TransitionRef(run));
      if (result && !result->ok()) return std::move(*result);  // its own error, rolled back alone
      if (!status.ok()) return R(std::move(status));  // not run, or its batch not committed
      if (!result) return R(InternalError("sqlite store: transition did not run"));
      return std::move(*result);
    } catch (const std::exception& e) {  // bad_alloc or system_error before it was queued
      return R(InternalError(std::string("sqlite store: ") + e.what()));
    }
  }
  // Reads run between batches in a deferred transaction: one consistent snapshot across their
  // statements.
  template <typename Body>
  auto Read(Body&& body) -> decltype(body(std::declval<Db&>())) {
    using R = decltype(body(std::declval<Db&>()));
    try {
      return commit_.WithDb(
          [&](Db& db) { return InTransaction(db, TxKind::kDeferred, [&] { return body(db); }); });
    } catch (const std::exception& e) {  // std::system_error from the mutex, bad_alloc
      return R(InternalError(std::string("sqlite store: ") + e.what()));
    }
  }

  static Status StatusOf(const Status& s) { return s; }
  template <typename T>
  static Status StatusOf(const Result<T>& r) {
    return r.status();
  }

  GroupCommit commit_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  try {
    NOJ_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(path, options.busy_timeout_ms));
    ConnectionSettings settings{options.busy_timeout_ms, options.synchronous_full};
    NOJ_RETURN_IF_ERROR(PrepareDatabase(*db, settings));
    GroupCommitOptions group;
    group.max_batch = options.max_batch < 1 ? 1 : static_cast<size_t>(options.max_batch);
    group.hold_leader = options.test_hooks.hold_leader;
    group.after_transition = options.test_hooks.after_transition;
    group.fail_commit = options.test_hooks.fail_commit;
    return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(db), std::move(group)));
  } catch (const std::exception& e) {
    return InternalError(std::string("sqlite store: open: ") + e.what());
  }
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  return OpenSqliteStore(path, SqliteOptions{});
}

}  // namespace noj::store::sqlite

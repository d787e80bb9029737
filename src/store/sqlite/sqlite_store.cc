#include "store/sqlite/sqlite_store.h"

#include <atomic>
#include <mutex>
#include <utility>

#include "store/sqlite/db.h"
#include "store/sqlite/schema.h"
#include "store/sqlite/statements.h"
#include "store/sqlite/transitions.h"

namespace noj::store::sqlite {

namespace {

// Every method: take the mutex, run its body (transitions.h) in one transaction.
class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<Db> db) : db_(std::move(db)) {}

  StoreCounters Counters() const override {
    StoreCounters c;
    c.transitions = transitions_.load(std::memory_order_relaxed);
    c.commits = commits_.load(std::memory_order_relaxed);
    return c;
  }

  Status Ping() override {
    return Read([&]() -> Status { return db_->QueryText(sql::kPing).status(); });
  }

  // ---- problems ----
  Result<int64_t> CreateProblem(const NewProblem& problem, int64_t now) override {
    return Write([&] { return CreateProblemTx(*db_, problem, now); });
  }
  Result<ProblemRecord> GetProblem(int64_t problem_id) override {
    return Read([&] { return GetProblemTx(*db_, problem_id); });
  }
  Result<ProblemRecord> GetProblemVersion(int64_t problem_id, int64_t version) override {
    return Read([&] { return GetProblemVersionTx(*db_, problem_id, version); });
  }
  Result<VersionOutcome> UpdateProblem(int64_t problem_id, const ProblemUpdate& update,
                                       int64_t now) override {
    return Write([&] { return UpdateProblemTx(*db_, problem_id, update, now); });
  }
  Result<VersionOutcome> WriteTestdata(int64_t problem_id, const TestdataWrite& write,
                                       int64_t now) override {
    return Write([&] { return WriteTestdataTx(*db_, problem_id, write, now); });
  }
  Result<std::string> GetTestdata(int64_t problem_id) override {
    return Read([&] { return GetTestdataTx(*db_, problem_id); });
  }
  Result<std::string> GetTestdataVersion(int64_t problem_id, int64_t version) override {
    return Read([&] { return GetTestdataVersionTx(*db_, problem_id, version); });
  }
  Result<ProblemRejudgeOutcome> RejudgeProblem(int64_t problem_id, const ProblemRejudge& batch,
                                               int64_t now) override {
    return Write([&] { return RejudgeProblemTx(*db_, problem_id, batch, now); });
  }

  // ---- runners ----
  Status RegisterRunner(const RunnerRecord& runner) override {
    return Write([&] { return RegisterRunnerTx(*db_, runner); });
  }
  Result<RunnerRecord> GetRunner(const std::string& runner_id, int64_t now) override {
    return Read([&] { return GetRunnerTx(*db_, runner_id, now); });
  }
  Result<RunnerRecord> GetRunnerByTokenHash(const std::string& token_sha256, int64_t now) override {
    return Read([&] { return GetRunnerByTokenHashTx(*db_, token_sha256, now); });
  }
  Result<HeartbeatOutcome> Heartbeat(const std::string& runner_id,
                                     const std::vector<std::string>& job_ids, int64_t now,
                                     int64_t lease_ttl_ms, int64_t identity_ttl_ms) override {
    return Write(
        [&] { return HeartbeatTx(*db_, runner_id, job_ids, now, lease_ttl_ms, identity_ttl_ms); });
  }
  Status RevokeRunner(const std::string& runner_id) override {
    return Write([&] { return RevokeRunnerTx(*db_, runner_id); });
  }
  Result<std::vector<RunnerInfo>> ListRunners(int64_t now) override {
    return Read([&] { return ListRunnersTx(*db_, now); });
  }
  Result<int> ForgetExpiredRunners(int64_t now) override {
    return Write([&] { return ForgetExpiredRunnersTx(*db_, now); });
  }

  // ---- jobs ----
  Status Enqueue(const NewSubmission& submission, int64_t now) override {
    return Write([&] { return EnqueueTx(*db_, submission, now); });
  }
  Result<ClaimOutcome> Claim(const std::string& runner_id,
                             const api::RunnerCapabilities& capabilities, const LeasePolicy& policy,
                             int64_t now) override {
    return Write([&] { return ClaimTx(*db_, runner_id, capabilities, policy, now); });
  }
  Result<JobRecord> GetJob(const std::string& job_id) override {
    return Read([&] { return GetJobTx(*db_, job_id); });
  }
  Result<CompleteOutcome> Complete(const CompletionRequest& completion, int64_t now) override {
    return Write([&] { return CompleteTx(*db_, completion, now); });
  }
  Result<AbortOutcome> Abort(const std::string& runner_id, const std::string& job_id,
                             std::optional<int> attempt, bool refund_attempt, int max_attempts,
                             int64_t now) override {
    return Write([&] {
      return AbortTx(*db_, runner_id, job_id, attempt, refund_attempt, max_attempts, now);
    });
  }
  Result<ReapOutcome> ReapExpired(int max_attempts, int64_t now, int limit) override {
    return Write([&] { return ReapExpiredTx(*db_, max_attempts, now, limit); });
  }
  using Store::Rejudge;
  Status Rejudge(const std::string& submission_id, const std::string& new_job_id, int priority,
                 const std::optional<api::JobRequirements>& requirements, int64_t now) override {
    return Write(
        [&] { return RejudgeTx(*db_, submission_id, new_job_id, priority, requirements, now); });
  }

  // ---- reads ----
  Result<SubmissionRecord> GetSubmission(const std::string& submission_id) override {
    return Read([&] { return GetSubmissionTx(*db_, submission_id); });
  }
  Result<std::pair<std::string, int>> GetSubmissionCode(const std::string& submission_id) override {
    return Read([&] { return GetSubmissionCodeTx(*db_, submission_id); });
  }
  Result<std::vector<SubmissionRecord>> ListSubmissions(const SubmissionFilter& filter) override {
    return Read([&] { return ListSubmissionsTx(*db_, filter); });
  }
  Result<api::CaseOutput> GetCaseOutput(const std::string& submission_id, int task,
                                        int case_index) override {
    return Read([&] { return GetCaseOutputTx(*db_, submission_id, task, case_index); });
  }
  Result<QueueStats> GetQueueStats(int64_t now) override {
    return Read([&] { return GetQueueStatsTx(*db_, now); });
  }

 private:
  template <typename Body>
  auto Write(Body&& body) -> decltype(body()) {
    transitions_.fetch_add(1, std::memory_order_relaxed);
    commits_.fetch_add(1, std::memory_order_relaxed);
    return Locked(TxKind::kImmediate, std::forward<Body>(body));
  }
  // Reads run in a deferred transaction: one consistent snapshot across their statements.
  template <typename Body>
  auto Read(Body&& body) -> decltype(body()) {
    return Locked(TxKind::kDeferred, std::forward<Body>(body));
  }
  template <typename Body>
  auto Locked(TxKind kind, Body&& body) -> decltype(body()) {
    using R = decltype(body());
    try {
      std::lock_guard<std::mutex> lock(mu_);
      return InTransaction(*db_, kind, body);
    } catch (const std::exception& e) {  // std::system_error from the mutex, bad_alloc
      return R(InternalError(std::string("sqlite store: ") + e.what()));
    }
  }

  std::atomic<int64_t> transitions_{0};
  std::atomic<int64_t> commits_{0};
  std::mutex mu_;
  std::unique_ptr<Db> db_;  // GUARDED_BY(mu_)
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  try {
    NOJ_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(path, options.busy_timeout_ms));
    ConnectionSettings settings{options.busy_timeout_ms, options.synchronous_full};
    NOJ_RETURN_IF_ERROR(PrepareDatabase(*db, settings));
    return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(db)));
  } catch (const std::exception& e) {
    return InternalError(std::string("sqlite store: open: ") + e.what());
  }
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  return OpenSqliteStore(path, SqliteOptions{});
}

}  // namespace noj::store::sqlite

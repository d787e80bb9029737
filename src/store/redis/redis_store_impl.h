#pragma once
#include <atomic>
// RedisStore: the Store on Redis. Internal header shared by redis_store*.cc; users include
// redis_store.h and call OpenRedisStore().
//
// Every transition is one EVALSHA of its script (one round trip); reads are one command or one
// read-only script. Semantics: exactly store/store.h (and the SQLite store's behaviour).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "store/redis/connection_pool.h"
#include "store/redis/redis_store.h"

namespace noj::store::redis {

// An integer as a script argument.
inline std::string Int(int64_t v) { return std::to_string(v); }

class RedisStore final : public Store {
 public:
  RedisStore(RedisOptions options, std::unique_ptr<ConnectionPool> pool);

  Status Ping() override;
  StoreCounters Counters() const override {
    StoreCounters c;
    c.transitions = transitions_.load(std::memory_order_relaxed);
    c.round_trips = pool_->round_trips();
    c.commands = pool_->commands();
    return c;
  }

  Result<int64_t> CreateProblem(const NewProblem& problem, int64_t now) override;
  Result<ProblemRecord> GetProblem(int64_t problem_id) override;
  Result<ProblemRecord> GetProblemVersion(int64_t problem_id, int64_t version) override;
  Result<VersionOutcome> UpdateProblem(int64_t problem_id, const ProblemUpdate& update,
                                       int64_t now) override;
  Result<VersionOutcome> WriteTestdata(int64_t problem_id, const TestdataWrite& write,
                                       int64_t now) override;
  Result<std::string> GetTestdata(int64_t problem_id) override;
  Result<std::string> GetTestdataVersion(int64_t problem_id, int64_t version) override;
  Result<ProblemRejudgeOutcome> RejudgeProblem(int64_t problem_id, const ProblemRejudge& batch,
                                               int64_t now) override;

  Status RegisterRunner(const RunnerRecord& runner) override;
  Result<RunnerRecord> GetRunner(const std::string& runner_id, int64_t now) override;
  Result<HeartbeatOutcome> Heartbeat(const std::string& runner_id,
                                     const std::vector<std::string>& job_ids, int64_t now,
                                     int64_t lease_ttl_ms, int64_t identity_ttl_ms) override;
  Result<RunnerRecord> GetRunnerByTokenHash(const std::string& token_sha256, int64_t now) override;
  Status RevokeRunner(const std::string& runner_id) override;
  Result<std::vector<RunnerInfo>> ListRunners(int64_t now) override;
  Result<int> ForgetExpiredRunners(int64_t now) override;

  Status Enqueue(const NewSubmission& submission, int64_t now) override;
  Result<ClaimOutcome> Claim(const std::string& runner_id,
                             const api::RunnerCapabilities& capabilities, const LeasePolicy& policy,
                             int64_t now) override;
  Result<JobRecord> GetJob(const std::string& job_id) override;
  Result<CompleteOutcome> Complete(const CompletionRequest& completion, int64_t now) override;
  Result<AbortOutcome> Abort(const std::string& runner_id, const std::string& job_id,
                             std::optional<int> attempt, bool refund_attempt, int max_attempts,
                             int64_t now) override;
  Result<ReapOutcome> ReapExpired(int max_attempts, int64_t now, int limit) override;
  using Store::Rejudge;
  Status Rejudge(const std::string& submission_id, const std::string& new_job_id, int priority,
                 const std::optional<api::JobRequirements>& requirements, int64_t now) override;
  // Brings a store written by an older nojd to the current key layout (upgrade_layout.lua); run
  // once by OpenRedisStore.
  Status UpgradeLayout();

  Result<SubmissionRecord> GetSubmission(const std::string& submission_id) override;
  Result<std::pair<std::string, int>> GetSubmissionCode(const std::string& submission_id) override;
  Result<std::vector<SubmissionRecord>> ListSubmissions(const SubmissionFilter& filter) override;
  Result<api::CaseOutput> GetCaseOutput(const std::string& submission_id, int task,
                                        int case_index) override;
  Result<QueueStats> GetQueueStats(int64_t now) override;

  // redis_store_deliveries.cc: the callback outbox.
  Result<std::vector<LeasedDelivery>> LeaseDeliveries(const std::string& owner, int limit,
                                                      int64_t lease_ms, int64_t now) override;
  Result<std::vector<Status>> FinishDeliveries(const std::string& owner,
                                               const std::vector<DeliveryOutcome>& outcomes,
                                               int64_t now) override;
  Status Redeliver(const std::string& event_id, int64_t now) override;
  Result<DeliveryRecord> GetDelivery(const std::string& event_id) override;
  Result<std::vector<DeliveryRecord>> ListDeliveries(const DeliveryFilter& filter) override;
  Result<DeliveryStats> GetDeliveryStats(int64_t now) override;

 private:
  // EVALSHA of a script; the reply once its status element is 'OK', else that error.
  Result<ReplyPtr> Call(ScriptId id, const Argv& args, Idempotent idempotent = Idempotent::kNo);
  // One plain command on prefixed keys (the caller builds them with Key()).
  Result<ReplyPtr> Read(const Argv& argv) { return pool_->Command(argv, Idempotent::kYes); }
  // {'OK', version, reclassed} of a version write.
  static Result<VersionOutcome> ReadVersionOutcome(const redisReply& reply);
  std::string Key(std::string_view suffix) const {
    return options_.key_prefix + std::string(suffix);
  }

  const RedisOptions options_;
  const std::unique_ptr<ConnectionPool> pool_;
  std::atomic<int64_t> transitions_{0};  // EVALSHA of a transition script
  const std::string je_json_;  // judge::JudgeErrorResult() as stored JSON, passed to scripts
};

}  // namespace noj::store::redis

#pragma once
// A Store that forwards to another and can hide problem versions (a job whose problem cannot be
// read), counts claims (the arrival gate skips them) and can lease deliveries without their
// submissions (one that cannot be read). For dispatcher and deliverer tests only.

#include <atomic>
#include <memory>

#include "store/store.h"

namespace noj::dispatch::testing {

class ForwardingStore final : public store::Store {
 public:
  explicit ForwardingStore(std::unique_ptr<store::Store> inner) : s_(std::move(inner)) {}

  std::atomic<bool> hide_problem_versions{false};  // GetProblemVersion answers kNotFound
  std::atomic<int> claims{0};                      // Claim calls
  // LeaseDeliveries hands out no submission (as if it could not be read).
  std::atomic<bool> hide_leased_submissions{false};

  Status Ping() override { return s_->Ping(); }
  store::StoreCounters Counters() const override { return s_->Counters(); }
  Result<int64_t> CreateProblem(const store::NewProblem& p, int64_t now) override {
    return s_->CreateProblem(p, now);
  }
  Result<store::ProblemRecord> GetProblem(int64_t id) override { return s_->GetProblem(id); }
  Result<store::ProblemRecord> GetProblemVersion(int64_t id, int64_t version) override {
    if (hide_problem_versions) return NotFoundError("hidden by the test");
    return s_->GetProblemVersion(id, version);
  }
  Result<store::VersionOutcome> UpdateProblem(int64_t id, const store::ProblemUpdate& u,
                                              int64_t now) override {
    return s_->UpdateProblem(id, u, now);
  }
  Result<store::VersionOutcome> WriteTestdata(int64_t id, const store::TestdataWrite& w,
                                              int64_t now) override {
    return s_->WriteTestdata(id, w, now);
  }
  Result<std::string> GetTestdata(int64_t id) override { return s_->GetTestdata(id); }
  Result<std::string> GetTestdataVersion(int64_t id, int64_t version) override {
    return s_->GetTestdataVersion(id, version);
  }
  Result<store::ProblemRejudgeOutcome> RejudgeProblem(int64_t id, const store::ProblemRejudge& b,
                                                      int64_t now) override {
    return s_->RejudgeProblem(id, b, now);
  }
  Status RegisterRunner(const store::RunnerRecord& r) override { return s_->RegisterRunner(r); }
  Result<store::RunnerRecord> GetRunner(const std::string& rn, int64_t now) override {
    return s_->GetRunner(rn, now);
  }
  Result<store::HeartbeatOutcome> Heartbeat(const std::string& rn,
                                            const std::vector<std::string>& jobs, int64_t now,
                                            int64_t lease_ttl_ms,
                                            int64_t identity_ttl_ms) override {
    return s_->Heartbeat(rn, jobs, now, lease_ttl_ms, identity_ttl_ms);
  }
  Result<store::RunnerRecord> GetRunnerByTokenHash(const std::string& sha, int64_t now) override {
    return s_->GetRunnerByTokenHash(sha, now);
  }
  Status RevokeRunner(const std::string& rn) override { return s_->RevokeRunner(rn); }
  Result<std::vector<store::RunnerInfo>> ListRunners(int64_t now) override {
    return s_->ListRunners(now);
  }
  Result<int> ForgetExpiredRunners(int64_t now) override { return s_->ForgetExpiredRunners(now); }
  Status Enqueue(const store::NewSubmission& s, int64_t now) override {
    return s_->Enqueue(s, now);
  }
  Result<store::ClaimOutcome> Claim(const std::string& rn, const api::RunnerCapabilities& caps,
                                    const store::LeasePolicy& policy, int64_t now) override {
    ++claims;
    return s_->Claim(rn, caps, policy, now);
  }
  Result<store::JobRecord> GetJob(const std::string& jb) override { return s_->GetJob(jb); }
  Result<store::CompleteOutcome> Complete(const store::CompletionRequest& c, int64_t now) override {
    return s_->Complete(c, now);
  }
  Result<store::AbortOutcome> Abort(const std::string& rn, const std::string& jb,
                                    std::optional<int> attempt, bool refund, int max_attempts,
                                    int64_t now) override {
    return s_->Abort(rn, jb, attempt, refund, max_attempts, now);
  }
  Result<store::ReapOutcome> ReapExpired(int max_attempts, int64_t now, int limit) override {
    return s_->ReapExpired(max_attempts, now, limit);
  }
  Status Rejudge(const std::string& sid, const std::string& jb, int priority,
                 const std::optional<api::JobRequirements>& r, int64_t now) override {
    return s_->Rejudge(sid, jb, priority, r, now);
  }
  Result<store::SubmissionRecord> GetSubmission(const std::string& sid) override {
    return s_->GetSubmission(sid);
  }
  Result<std::pair<std::string, int>> GetSubmissionCode(const std::string& sid) override {
    return s_->GetSubmissionCode(sid);
  }
  Result<std::vector<store::SubmissionRecord>> ListSubmissions(
      const store::SubmissionFilter& f) override {
    return s_->ListSubmissions(f);
  }
  Result<api::CaseOutput> GetCaseOutput(const std::string& sid, int task, int index) override {
    return s_->GetCaseOutput(sid, task, index);
  }
  Result<store::QueueStats> GetQueueStats(int64_t now) override { return s_->GetQueueStats(now); }

  Result<std::vector<store::LeasedDelivery>> LeaseDeliveries(const std::string& owner, int limit,
                                                             int64_t lease_ms,
                                                             int64_t now) override {
    auto leased = s_->LeaseDeliveries(owner, limit, lease_ms, now);
    if (leased.ok() && hide_leased_submissions) {
      for (store::LeasedDelivery& l : *leased) {
        l.submission.reset();
        l.submission_error = "hidden by the test";
      }
    }
    return leased;
  }
  Result<std::vector<Status>> FinishDeliveries(const std::string& owner,
                                               const std::vector<store::DeliveryOutcome>& outcomes,
                                               int64_t now) override {
    return s_->FinishDeliveries(owner, outcomes, now);
  }
  Status Redeliver(const std::string& event_id, int64_t now) override {
    return s_->Redeliver(event_id, now);
  }
  Result<store::DeliveryRecord> GetDelivery(const std::string& event_id) override {
    return s_->GetDelivery(event_id);
  }
  Result<std::vector<store::DeliveryRecord>> ListDeliveries(
      const store::DeliveryFilter& filter) override {
    return s_->ListDeliveries(filter);
  }
  Result<store::DeliveryStats> GetDeliveryStats(int64_t now) override {
    return s_->GetDeliveryStats(now);
  }

 private:
  std::unique_ptr<store::Store> s_;
};

}  // namespace noj::dispatch::testing

#pragma once
// The fixture of the Store contract suite (StoreContract.*), shared by the store_contract_*.cc
// files. Time is a FakeClock passed as `now`; nothing sleeps or reads the wall clock.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/results.h"
#include "store/store.h"
#include "store_factories.h"
#include "support/fake_clock.h"
#include "support/status_matchers.h"

namespace noj::store::contract {

inline constexpr int64_t kLeaseTtl = 30'000;
inline constexpr int64_t kIdentityTtl = 7LL * 24 * 3600 * 1000;
inline constexpr int kMaxAttempts = 3;

struct Submitted {
  std::string submission_id;
  std::string job_id;
};

class StoreContract : public ::testing::TestWithParam<StoreFactory> {
 protected:
  void SetUp() override;

  Store& store() { return harness_->store(); }
  StoreHarness& harness() { return *harness_; }
  int64_t Now() const { return clock_.NowMs(); }
  int64_t Advance(int64_t ms) { return clock_.Advance(ms); }
  LeasePolicy Policy() const { return LeasePolicy{kLeaseTtl, kMaxAttempts}; }

  // Ids later (in id order) than every id handed out before.
  std::string NextSubmissionId();
  std::string NextJobId();

  // A problem of two tasks: 40 points / 1 case, 60 points / 2 cases.
  int64_t MakeProblem();
  // Enqueues a submission of problem_id_ (or `problem_id`). Fails the test on error.
  Submitted Submit(int priority = 1, std::optional<int64_t> problem_id = std::nullopt);
  // Enqueues a submission of problem_id_ in requirements.language that needs `requirements`.
  Submitted SubmitNeeding(const api::JobRequirements& requirements, int priority = 1);
  // Registers a runner with an identity valid for kIdentityTtl from Now().
  std::string RegisterRunner(const std::string& name = "judge");
  // Claim with Policy() at Now() as a runner that declared nothing (languages 0-2, no feature);
  // fails the test on error.
  ClaimOutcome Claim(const std::string& runner_id);
  // The same with the given capabilities.
  ClaimOutcome Claim(const std::string& runner_id, const api::RunnerCapabilities& capabilities);
  // Claims and expects the given job with the given attempt.
  void ExpectClaims(const std::string& runner_id, const std::string& job_id, int attempt);
  SubmissionRecord GetSubmission(const std::string& submission_id);

  // An Accepted result of MakeProblem()'s problem (100 points) with the outputs of every case.
  static api::SubmissionResult AcceptedResult();
  static std::vector<api::CaseOutput> Outputs(const std::string& tag);
  CompletionRequest Completion(const std::string& runner_id, const std::string& job_id,
                               std::optional<int> attempt = std::nullopt);
  Result<CompleteOutcome> CompleteAccepted(const std::string& runner_id, const std::string& job_id,
                                           std::optional<int> attempt = std::nullopt);
  Result<AbortOutcome> AbortJob(const std::string& runner_id, const std::string& job_id, bool drain,
                                std::optional<int> attempt = std::nullopt);

  noj::testing::FakeClock clock_;
  std::unique_ptr<StoreHarness> harness_;
  int64_t problem_id_ = 0;

 private:
  int64_t id_ms_ = noj::testing::FakeClock::kStartMs;
};

}  // namespace noj::store::contract

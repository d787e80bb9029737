#include "store_contract_fixture.h"

#include "common/ids.h"

namespace noj::store::contract {

using api::Verdict;

void StoreContract::SetUp() {
  if (GetParam().missing) {
    if (std::string why = GetParam().missing(); !why.empty()) GTEST_SKIP() << why;
  }
  auto made = GetParam().make();
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  harness_ = std::move(made).value();
  problem_id_ = MakeProblem();
  ASSERT_GT(problem_id_, 0);
}

std::string StoreContract::NextSubmissionId() { return ids::NewSubmissionId(++id_ms_); }
std::string StoreContract::NextJobId() { return ids::NewJobId(++id_ms_); }

int64_t StoreContract::MakeProblem() {
  NewProblem p;
  p.title = "A+B";
  p.tasks = {{40, 1, 65536, 1000}, {60, 2, 65536, 2000}};
  auto id = store().CreateProblem(p, Now());
  EXPECT_OK(id);
  return id.value_or(0);
}

Submitted StoreContract::Submit(int priority, std::optional<int64_t> problem_id) {
  NewSubmission s;
  s.submission_id = NextSubmissionId();
  s.job_id = NextJobId();
  s.problem_id = problem_id.value_or(problem_id_);
  s.language = 1;
  s.code = "int main() { return 0; }\n";
  s.priority = priority;
  s.requirements = {s.language, 0};
  EXPECT_OK(store().Enqueue(s, Now()));
  return {s.submission_id, s.job_id};
}

Submitted StoreContract::SubmitNeeding(const api::JobRequirements& requirements, int priority) {
  NewSubmission s;
  s.submission_id = NextSubmissionId();
  s.job_id = NextJobId();
  s.problem_id = problem_id_;
  s.language = requirements.language;
  s.code = "int main() { return 0; }\n";
  s.priority = priority;
  s.requirements = requirements;
  EXPECT_OK(store().Enqueue(s, Now()));
  return {s.submission_id, s.job_id};
}

std::string StoreContract::RegisterRunner(const std::string& name) {
  RunnerRecord r;
  r.runner_id = ids::NewRunnerId(++id_ms_);
  r.name = name;
  r.token_sha256 = std::string(64, 'a') + r.runner_id;  // unique per runner
  r.registered_at = Now();
  r.last_seen = Now();
  r.expires_at = Now() + kIdentityTtl;
  EXPECT_OK(store().RegisterRunner(r));
  return r.runner_id;
}

ClaimOutcome StoreContract::Claim(const std::string& runner_id) {
  return Claim(runner_id, api::RunnerCapabilities{});
}

ClaimOutcome StoreContract::Claim(const std::string& runner_id,
                                  const api::RunnerCapabilities& capabilities) {
  auto claimed = store().Claim(runner_id, capabilities, Policy(), Now());
  EXPECT_OK(claimed);
  return claimed.value_or(ClaimOutcome{});
}

void StoreContract::ExpectClaims(const std::string& runner_id, const std::string& job_id,
                                 int attempt) {
  ClaimOutcome c = Claim(runner_id);
  ASSERT_TRUE(c.job.has_value()) << "expected to claim " << job_id;
  EXPECT_EQ(c.job->job_id, job_id);
  EXPECT_EQ(c.job->attempts, attempt);
  EXPECT_EQ(c.job->runner_id, runner_id);
}

SubmissionRecord StoreContract::GetSubmission(const std::string& submission_id) {
  auto s = store().GetSubmission(submission_id);
  EXPECT_OK(s);
  return s.value_or(SubmissionRecord{});
}

api::SubmissionResult StoreContract::AcceptedResult() {
  api::SubmissionResult r;
  r.status = Verdict::kAC;
  r.score = 100;
  r.exec_time_ms = 30;
  r.memory_kib = 2048;
  r.tasks = {
      {Verdict::kAC, 40, 10, 1024, {{Verdict::kAC, 0, 10, 1024}}},
      {Verdict::kAC, 60, 30, 2048, {{Verdict::kAC, 0, 20, 1536}, {Verdict::kAC, 0, 30, 2048}}},
  };
  return r;
}

std::vector<api::CaseOutput> StoreContract::Outputs(const std::string& tag) {
  return {
      {0, 0, tag + " out 0/0", tag + " err 0/0"},
      {1, 0, tag + " out 1/0", ""},
      {1, 1, std::string("bin\0ary\xff", 8), tag + " err 1/1"},
  };
}

CompletionRequest StoreContract::Completion(const std::string& runner_id, const std::string& job_id,
                                            std::optional<int> attempt) {
  CompletionRequest c;
  c.runner_id = runner_id;
  c.job_id = job_id;
  c.attempt = attempt;
  c.result = AcceptedResult();
  c.outputs = Outputs(job_id);
  return c;
}

Result<CompleteOutcome> StoreContract::CompleteAccepted(const std::string& runner_id,
                                                        const std::string& job_id,
                                                        std::optional<int> attempt) {
  return store().Complete(Completion(runner_id, job_id, attempt), Now());
}

Result<AbortOutcome> StoreContract::AbortJob(const std::string& runner_id,
                                             const std::string& job_id, bool drain,
                                             std::optional<int> attempt) {
  return store().Abort(runner_id, job_id, attempt, drain, kMaxAttempts, Now());
}

}  // namespace noj::store::contract

// The Store contract suite: every behaviour of store/store.h, run against every implementation
// listed in AllStoreFactories() (store_factories.cc). The suite is split by area:
//   store_contract_test.cc          problems, runners, enqueue (this file, + the instantiation)
//   store_contract_lease_test.cc    claim order, leases, reclaim, reaper, convergence to JE
//   store_contract_landing_test.cc  complete, abort, fencing, rejudge and currency
//   store_contract_records_test.cc  reads, stats, corrupted records, persistence, concurrency

#include "common/ids.h"
#include "store_contract_fixture.h"

namespace noj::store::contract {
namespace {

using noj::testing::IsOk;
using noj::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// ---- problems ----

TEST_P(StoreContract, PingAnswers) { EXPECT_OK(store().Ping()); }

TEST_P(StoreContract, CreatedProblemReadsBack) {
  ASSERT_OK_AND_ASSIGN(ProblemRecord p, store().GetProblem(problem_id_));
  EXPECT_EQ(p.problem_id, problem_id_);
  EXPECT_EQ(p.title, "A+B");
  EXPECT_EQ(p.tasks, (api::TaskSpecs{{40, 1, 65536, 1000}, {60, 2, 65536, 2000}}));
  EXPECT_FALSE(p.has_testdata);
  EXPECT_EQ(p.checksum, "");
  EXPECT_EQ(p.created_at, Now());
}

TEST_P(StoreContract, ProblemIdsArePositiveAndIncrease) {
  const int64_t second = MakeProblem();
  const int64_t third = MakeProblem();
  EXPECT_GT(problem_id_, 0);
  EXPECT_GT(second, problem_id_);
  EXPECT_GT(third, second);
}

TEST_P(StoreContract, UnknownProblemIsNotFound) {
  EXPECT_THAT(store().GetProblem(problem_id_ + 1000), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().PutTestdata(problem_id_ + 1000, "zip", "sum", false, Now()),
              StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().GetTestdata(problem_id_ + 1000), StatusIs(ErrorCode::kNotFound));
}

TEST_P(StoreContract, ProblemWithoutTestdataIsFailedPrecondition) {
  EXPECT_THAT(store().GetTestdata(problem_id_), StatusIs(ErrorCode::kFailedPrecondition));
}

TEST_P(StoreContract, PutTestdataReplacesZipAndChecksum) {
  const std::string first("PK\x03\x04\0first", 11);
  const std::string second("PK\x03\x04\0\xff second", 14);
  ASSERT_OK(store().PutTestdata(problem_id_, first, "checksum-1", false, Now()));
  ASSERT_OK(store().PutTestdata(problem_id_, second, "checksum-2", false, Now()));
  ASSERT_OK_AND_ASSIGN(std::string zip, store().GetTestdata(problem_id_));
  EXPECT_EQ(zip, second);
  ASSERT_OK_AND_ASSIGN(ProblemRecord p, store().GetProblem(problem_id_));
  EXPECT_TRUE(p.has_testdata);
  EXPECT_EQ(p.checksum, "checksum-2");
}

// ---- runners ----

TEST_P(StoreContract, RegisteredRunnerReadsBack) {
  const std::string rn = RegisterRunner("judge-1");
  ASSERT_OK_AND_ASSIGN(RunnerRecord r, store().GetRunner(rn, Now()));
  EXPECT_EQ(r.runner_id, rn);
  EXPECT_EQ(r.name, "judge-1");
  EXPECT_EQ(r.token_sha256, std::string(64, 'a') + rn);
  EXPECT_EQ(r.registered_at, Now());
  EXPECT_EQ(r.last_seen, Now());
  EXPECT_EQ(r.expires_at, Now() + kIdentityTtl);
}

TEST_P(StoreContract, RunnerSandboxProtectionsReadBackFromEveryRead) {
  const std::string plain = RegisterRunner("plain");
  RunnerRecord r;
  r.runner_id = ids::NewRunnerId(Now() + 1000);
  r.name = "tiered";
  r.token_sha256 = std::string(64, 'b');
  r.registered_at = r.last_seen = Now();
  r.expires_at = Now() + kIdentityTtl;
  r.sandbox = "cgroup-mem=v2 ns=pid,mnt,net,ipc,uts seccomp=yes uid=dedicated";
  ASSERT_OK(store().RegisterRunner(r));

  ASSERT_OK_AND_ASSIGN(RunnerRecord got, store().GetRunner(r.runner_id, Now()));
  EXPECT_EQ(got.sandbox, r.sandbox);
  ASSERT_OK_AND_ASSIGN(got, store().GetRunnerByTokenHash(r.token_sha256, Now()));
  EXPECT_EQ(got.sandbox, r.sandbox);
  ASSERT_OK_AND_ASSIGN(got, store().GetRunner(plain, Now()));
  EXPECT_EQ(got.sandbox, "");
  // A heartbeat keeps it (it rewrites last_seen and the expiry only).
  ASSERT_OK(store().Heartbeat(r.runner_id, {}, Now(), kLeaseTtl, kIdentityTtl));
  ASSERT_OK_AND_ASSIGN(std::vector<RunnerInfo> runners, store().ListRunners(Now()));
  ASSERT_EQ(runners.size(), 2u);
  EXPECT_EQ(runners[0].runner.runner_id, plain);
  EXPECT_EQ(runners[0].runner.sandbox, "");
  EXPECT_EQ(runners[1].runner.runner_id, r.runner_id);
  EXPECT_EQ(runners[1].runner.sandbox, r.sandbox);
}

TEST_P(StoreContract, RunnerSpeedScoreReadsBackFromEveryReadAndIsAbsentWhenNotReported) {
  const std::string plain = RegisterRunner("plain");  // said nothing of its speed
  RunnerRecord r;
  r.runner_id = ids::NewRunnerId(Now() + 1000);
  r.name = "measured";
  r.token_sha256 = std::string(64, 'c');
  r.registered_at = r.last_seen = Now();
  r.expires_at = Now() + kIdentityTtl;
  r.speed_score = 1.0625;  // exact in binary: both stores must give back the same double
  ASSERT_OK(store().RegisterRunner(r));

  ASSERT_OK_AND_ASSIGN(RunnerRecord got, store().GetRunner(r.runner_id, Now()));
  EXPECT_EQ(got.speed_score, 1.0625);
  ASSERT_OK_AND_ASSIGN(got, store().GetRunnerByTokenHash(r.token_sha256, Now()));
  EXPECT_EQ(got.speed_score, 1.0625);
  ASSERT_OK_AND_ASSIGN(got, store().GetRunner(plain, Now()));
  EXPECT_EQ(got.speed_score, std::nullopt);
  ASSERT_OK(store().Heartbeat(r.runner_id, {}, Now(), kLeaseTtl, kIdentityTtl));
  ASSERT_OK_AND_ASSIGN(std::vector<RunnerInfo> runners, store().ListRunners(Now()));
  ASSERT_EQ(runners.size(), 2u);
  EXPECT_EQ(runners[0].runner.speed_score, std::nullopt);
  EXPECT_EQ(runners[1].runner.speed_score, 1.0625);
}

TEST_P(StoreContract, RegisteringATakenRunnerIdIsAlreadyExists) {
  const std::string rn = RegisterRunner();
  RunnerRecord again;
  again.runner_id = rn;
  again.name = "impostor";
  again.expires_at = Now() + kIdentityTtl;
  EXPECT_THAT(store().RegisterRunner(again), StatusIs(ErrorCode::kAlreadyExists));
  ASSERT_OK_AND_ASSIGN(RunnerRecord r, store().GetRunner(rn, Now()));
  EXPECT_EQ(r.name, "judge");
}

TEST_P(StoreContract, RunnerIdentityExpiresAtItsDeadline) {
  const std::string rn = RegisterRunner();
  const int64_t expires = Now() + kIdentityTtl;
  EXPECT_OK(store().GetRunner(rn, expires - 1));
  EXPECT_THAT(store().GetRunner(rn, expires), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().GetRunner("rn_unknown", Now()), StatusIs(ErrorCode::kNotFound));
}

TEST_P(StoreContract, HeartbeatExtendsIdentityAndRecordsLastSeen) {
  const std::string rn = RegisterRunner();
  const int64_t later = Advance(kIdentityTtl - 1);
  ASSERT_OK(store().Heartbeat(rn, {}, later, kLeaseTtl, kIdentityTtl));
  ASSERT_OK_AND_ASSIGN(RunnerRecord r, store().GetRunner(rn, later + kIdentityTtl - 1));
  EXPECT_EQ(r.last_seen, later);
  EXPECT_EQ(r.expires_at, later + kIdentityTtl);
}

TEST_P(StoreContract, HeartbeatNeverRecreatesAnExpiredOrUnknownRunner) {
  const std::string rn = RegisterRunner();
  const int64_t expired = Now() + kIdentityTtl;
  EXPECT_THAT(store().Heartbeat(rn, {}, expired, kLeaseTtl, kIdentityTtl),
              StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().GetRunner(rn, expired), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().Heartbeat("rn_unknown", {}, Now(), kLeaseTtl, kIdentityTtl),
              StatusIs(ErrorCode::kNotFound));
}

TEST_P(StoreContract, RevokedRunnerIsGoneAtOnce) {
  const std::string rn = RegisterRunner();
  ASSERT_OK(store().RevokeRunner(rn));
  EXPECT_THAT(store().GetRunner(rn, Now()), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().Heartbeat(rn, {}, Now(), kLeaseTtl, kIdentityTtl),
              StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().RevokeRunner(rn), StatusIs(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(std::vector<RunnerInfo> runners, store().ListRunners(Now()));
  EXPECT_THAT(runners, IsEmpty());
}

TEST_P(StoreContract, RunnerIsFoundByTokenHashUntilItExpires) {
  const std::string rn = RegisterRunner();
  RegisterRunner("other");
  const std::string hash = std::string(64, 'a') + rn;
  ASSERT_OK_AND_ASSIGN(RunnerRecord r, store().GetRunnerByTokenHash(hash, Now()));
  EXPECT_EQ(r.runner_id, rn);
  EXPECT_THAT(store().GetRunnerByTokenHash(hash, Now() + kIdentityTtl),
              StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().GetRunnerByTokenHash("nope", Now()), StatusIs(ErrorCode::kNotFound));
}

TEST_P(StoreContract, ForgetExpiredRunnersDeletesOnlyExpiredIdentities) {
  const std::string old_runner = RegisterRunner("old");
  Advance(1000);
  const std::string young = RegisterRunner("young");
  const int64_t at = Now() - 1000 + kIdentityTtl;  // the old one's deadline
  ASSERT_OK_AND_ASSIGN(int forgotten, store().ForgetExpiredRunners(at));
  EXPECT_EQ(forgotten, 1);
  EXPECT_OK(store().GetRunner(young, at));
  // Forgotten, not merely expired: it is unknown even to a clock that went back.
  EXPECT_THAT(store().GetRunner(old_runner, Now()), StatusIs(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(int again, store().ForgetExpiredRunners(at));
  EXPECT_EQ(again, 0);
}

TEST_P(StoreContract, ListRunnersShowsLiveRunnersInRegistrationOrderWithTheirJobs) {
  const std::string a = RegisterRunner("a");
  Advance(10);
  const std::string b = RegisterRunner("b");
  Advance(10);
  const std::string c = RegisterRunner("c");
  const Submitted s1 = Submit();
  const Submitted s2 = Submit();
  ExpectClaims(b, s1.job_id, 1);
  ExpectClaims(b, s2.job_id, 1);
  // `a` expires first: registered 20 ms before `c`.
  ASSERT_OK_AND_ASSIGN(std::vector<RunnerInfo> all, store().ListRunners(Now()));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].runner.runner_id, a);
  EXPECT_EQ(all[1].runner.runner_id, b);
  EXPECT_EQ(all[2].runner.runner_id, c);
  EXPECT_THAT(all[0].active_jobs, IsEmpty());
  std::vector<std::string> held = all[1].active_jobs;
  std::sort(held.begin(), held.end());
  EXPECT_THAT(held, ElementsAre(s1.job_id, s2.job_id));
  ASSERT_OK_AND_ASSIGN(std::vector<RunnerInfo> later,
                       store().ListRunners(Now() - 20 + kIdentityTtl));
  ASSERT_EQ(later.size(), 2u);
  EXPECT_EQ(later[0].runner.runner_id, b);
}

// ---- enqueue ----

TEST_P(StoreContract, EnqueueCreatesPendingSubmissionAndJob) {
  const Submitted s = Submit(/*priority=*/0);
  SubmissionRecord rec = GetSubmission(s.submission_id);
  EXPECT_EQ(rec.submission_id, s.submission_id);
  EXPECT_EQ(rec.problem_id, problem_id_);
  EXPECT_EQ(rec.language, 1);
  EXPECT_EQ(rec.priority, 0);
  EXPECT_EQ(rec.status, -1);
  EXPECT_EQ(rec.attempts, 0);
  EXPECT_EQ(rec.created_at, Now());
  EXPECT_EQ(rec.judged_at, 0);
  EXPECT_EQ(rec.current_job_id, s.job_id);
  EXPECT_FALSE(rec.result.has_value());
  EXPECT_EQ(rec.job_state, "pending");
  EXPECT_EQ(rec.runner_id, "");

  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(s.job_id));
  EXPECT_EQ(job.submission_id, s.submission_id);
  EXPECT_EQ(job.problem_id, problem_id_);
  EXPECT_EQ(job.language, 1);
  EXPECT_EQ(job.priority, 0);
  EXPECT_EQ(job.state, JobState::kPending);
  EXPECT_EQ(job.attempts, 0);
  EXPECT_EQ(job.enqueued_at, Now());

  ASSERT_OK_AND_ASSIGN(auto code, store().GetSubmissionCode(s.submission_id));
  EXPECT_EQ(code.first, "int main() { return 0; }\n");
  EXPECT_EQ(code.second, 1);
}

TEST_P(StoreContract, EnqueueWithATakenSubmissionIdIsAlreadyExists) {
  const Submitted s = Submit();
  NewSubmission again{s.submission_id, NextJobId(), problem_id_, 2, "print(1)", 1, {2, 0}};
  EXPECT_THAT(store().Enqueue(again, Now()), StatusIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store().GetJob(again.job_id), StatusIs(ErrorCode::kNotFound));
  EXPECT_EQ(GetSubmission(s.submission_id).language, 1);
}

TEST_P(StoreContract, EnqueueWithATakenJobIdCreatesNothing) {
  const Submitted s = Submit();
  NewSubmission again{NextSubmissionId(), s.job_id, problem_id_, 2, "print(1)", 1, {2, 0}};
  EXPECT_THAT(store().Enqueue(again, Now()), StatusIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(store().GetSubmission(again.submission_id), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().GetSubmissionCode(again.submission_id), StatusIs(ErrorCode::kNotFound));
}

TEST_P(StoreContract, EnqueueRejectsAPriorityOutsideZeroToTwo) {
  NewSubmission bad{NextSubmissionId(), NextJobId(), problem_id_, 1, "x", 3, {1, 0}};
  EXPECT_THAT(store().Enqueue(bad, Now()), StatusIs(ErrorCode::kInvalidArgument));
  bad.priority = -1;
  EXPECT_THAT(store().Enqueue(bad, Now()), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(store().GetSubmission(bad.submission_id), StatusIs(ErrorCode::kNotFound));
}

TEST_P(StoreContract, UnknownRecordsAreNotFound) {
  EXPECT_THAT(store().GetJob("jb_unknown"), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().GetSubmission("sn_unknown"), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().GetSubmissionCode("sn_unknown"), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().GetCaseOutput("sn_unknown", 0, 0), StatusIs(ErrorCode::kNotFound));
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(AllStores, StoreContract, ::testing::ValuesIn(AllStoreFactories()),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

}  // namespace noj::store::contract

// StoreContract: problems that change (judging.md §6). Every testdata or tasks/meta write is a new
// version; a leased job keeps judging the version its claim saw, a new claim gets the new one;
// pending jobs move to the class the problem now needs; older versions are kept while a lease
// judges them and dropped at a later write; a stale compare-and-set changes nothing; a problem's
// submissions are rejudged in batches, all of them or those of one status.

#include <set>

#include "store_contract_fixture.h"

namespace noj::store::contract {
namespace {

using api::Verdict;
using noj::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr uint32_t kChecker = api::kFeatureChecker;
const api::RunnerCapabilities kEverything{{0, 1, 2}, api::kAllFeatures};

class LifecycleContract : public StoreContract {
 protected:
  ProblemRecord Problem(int64_t pid) {
    auto p = store().GetProblem(pid);
    EXPECT_OK(p);
    return p.value_or(ProblemRecord{});
  }
  // An update of problem_id_ to `tasks` with a custom checker (the jobs then need `checker`).
  ProblemUpdate CheckerUpdate(int64_t expected_version, api::TaskSpecs tasks) {
    ProblemUpdate u;
    u.title = "A+B v2";
    u.tasks = std::move(tasks);
    u.meta.checker.kind = api::CheckerKind::kTokens;
    u.checksum = "sum-v2";
    u.features = kChecker;
    u.expected_version = expected_version;
    return u;
  }
  VersionOutcome Update(const ProblemUpdate& u) {
    auto out = store().UpdateProblem(problem_id_, u, Now());
    EXPECT_OK(out);
    return out.value_or(VersionOutcome{});
  }
  VersionOutcome Testdata(const std::string& zip, const std::string& checksum,
                          std::optional<uint32_t> features = std::nullopt) {
    auto out = store().WriteTestdata(problem_id_, TestdataWrite{zip, checksum, false, features, {}},
                                     Now());
    EXPECT_OK(out);
    return out.value_or(VersionOutcome{});
  }
  // Lands `verdict` for a claimed job.
  void Land(const std::string& rn, const std::string& job_id, Verdict verdict) {
    CompletionRequest c = Completion(rn, job_id);
    c.result.status = verdict;
    c.result.score = verdict == Verdict::kAC ? 100 : 0;
    ASSERT_OK_AND_ASSIGN(CompleteOutcome out, store().Complete(c, Now()));
    EXPECT_EQ(out, CompleteOutcome::kLanded);
  }
  // Rejudges every matching submission of problem_id_ in batches of `batch`; the ids in order.
  std::vector<std::string> RejudgeAll(std::optional<int> status, size_t batch) {
    std::vector<std::string> out;
    ProblemRejudge r;
    r.status = status;
    r.features = 0;
    r.expected_version = Problem(problem_id_).version;
    for (int round = 0; round < 100; ++round) {
      r.new_job_ids.clear();
      for (size_t i = 0; i < batch; ++i) r.new_job_ids.push_back(NextJobId());
      auto got = store().RejudgeProblem(problem_id_, r, Now());
      EXPECT_OK(got);
      if (!got.ok()) break;
      EXPECT_LE(got->submission_ids.size(), batch);
      out.insert(out.end(), got->submission_ids.begin(), got->submission_ids.end());
      if (got->done) break;
      if (!got->submission_ids.empty()) r.before = got->submission_ids.back();
    }
    return out;
  }
};

TEST_P(LifecycleContract, ANewProblemIsVersionOneAndEveryWriteIsTheNext) {
  EXPECT_EQ(Problem(problem_id_).version, 1);
  EXPECT_EQ(Testdata("zip-1", "sum-1").version, 2);
  VersionOutcome v3 = Update(CheckerUpdate(2, {{100, 1, 65536, 500}}));
  EXPECT_EQ(v3.version, 3);
  ProblemRecord p = Problem(problem_id_);
  EXPECT_EQ(p.version, 3);
  EXPECT_EQ(p.title, "A+B v2");
  EXPECT_EQ(p.tasks, (api::TaskSpecs{{100, 1, 65536, 500}}));
  EXPECT_EQ(p.meta.checker.kind, api::CheckerKind::kTokens);
  EXPECT_EQ(p.checksum, "sum-v2");
  EXPECT_TRUE(p.has_testdata);
  // The zip is kept by a meta-only version.
  ASSERT_OK_AND_ASSIGN(std::string zip, store().GetTestdata(problem_id_));
  EXPECT_EQ(zip, "zip-1");
  ASSERT_OK_AND_ASSIGN(ProblemRecord same, store().GetProblemVersion(problem_id_, 3));
  EXPECT_EQ(same.tasks, p.tasks);
}

TEST_P(LifecycleContract, UpdateWithoutTestdataKeepsTheChecksumEmpty) {
  Update(CheckerUpdate(1, {{100, 1, 65536, 500}}));
  ProblemRecord p = Problem(problem_id_);
  EXPECT_FALSE(p.has_testdata);
  EXPECT_EQ(p.checksum, "");
  EXPECT_THAT(store().GetTestdata(problem_id_), StatusIs(ErrorCode::kFailedPrecondition));
}

TEST_P(LifecycleContract, AStaleVersionChangesNothing) {
  Testdata("zip-1", "sum-1");  // version 2
  EXPECT_THAT(store().UpdateProblem(problem_id_, CheckerUpdate(1, {{100, 1, 65536, 500}}), Now()),
              StatusIs(ErrorCode::kAborted));
  EXPECT_THAT(
      store().WriteTestdata(problem_id_, TestdataWrite{"zip-2", "sum-2", false, {}, 1}, Now()),
      StatusIs(ErrorCode::kAborted));
  ProblemRecord p = Problem(problem_id_);
  EXPECT_EQ(p.version, 2);
  EXPECT_EQ(p.checksum, "sum-1");
  EXPECT_EQ(p.meta.checker.kind, api::CheckerKind::kDefault);
  ASSERT_OK_AND_ASSIGN(std::string zip, store().GetTestdata(problem_id_));
  EXPECT_EQ(zip, "zip-1");
  EXPECT_THAT(store().UpdateProblem(problem_id_ + 1000, CheckerUpdate(1, {}), Now()),
              StatusIs(ErrorCode::kNotFound));
}

TEST_P(LifecycleContract, LeasedJobKeepsItsVersionNewClaimsGetTheNewOne) {
  Testdata("zip-1", "sum-1");  // version 2
  const Submitted leased = Submit();
  const Submitted pending = Submit();
  const std::string rn = RegisterRunner();
  ClaimOutcome first = Claim(rn);
  ASSERT_TRUE(first.job.has_value());
  EXPECT_EQ(first.job->job_id, leased.job_id);
  EXPECT_EQ(first.job->problem_version, 2);

  VersionOutcome v3 = Update(CheckerUpdate(2, {{100, 1, 65536, 500}}));
  EXPECT_EQ(v3.version, 3);
  EXPECT_EQ(v3.reclassed, 1);  // the pending one; the leased one keeps its class

  ASSERT_OK_AND_ASSIGN(JobRecord still, store().GetJob(leased.job_id));
  EXPECT_EQ(still.problem_version, 2);
  EXPECT_EQ(still.requirements, (api::JobRequirements{1, 0}));
  // Its version stays readable, testdata included, while it is leased.
  ASSERT_OK_AND_ASSIGN(ProblemRecord old, store().GetProblemVersion(problem_id_, 2));
  EXPECT_EQ(old.version, 2);
  EXPECT_EQ(old.tasks, (api::TaskSpecs{{40, 1, 65536, 1000}, {60, 2, 65536, 2000}}));
  EXPECT_EQ(old.checksum, "sum-1");
  EXPECT_EQ(old.meta.checker.kind, api::CheckerKind::kDefault);
  ASSERT_OK_AND_ASSIGN(std::string old_zip, store().GetTestdataVersion(problem_id_, 2));
  EXPECT_EQ(old_zip, "zip-1");

  // The pending job now needs a checker: a runner that declared nothing cannot take it.
  ASSERT_OK_AND_ASSIGN(JobRecord moved, store().GetJob(pending.job_id));
  EXPECT_EQ(moved.requirements, (api::JobRequirements{1, kChecker}));
  const std::string plain = RegisterRunner("plain");
  EXPECT_FALSE(Claim(plain).job.has_value());
  ClaimOutcome second = Claim(plain, kEverything);
  ASSERT_TRUE(second.job.has_value());
  EXPECT_EQ(second.job->job_id, pending.job_id);
  EXPECT_EQ(second.job->problem_version, 3);

  // The old lease still lands.
  ASSERT_OK_AND_ASSIGN(CompleteOutcome landed, CompleteAccepted(rn, leased.job_id));
  EXPECT_EQ(landed, CompleteOutcome::kLanded);
}

TEST_P(LifecycleContract, NewTestdataIsANewVersionTheOldZipIsKeptForItsLease) {
  Testdata("zip-1", "sum-1");  // version 2
  const Submitted s = Submit();
  const std::string rn = RegisterRunner();
  ExpectClaims(rn, s.job_id, 1);
  VersionOutcome v3 = Testdata("zip-2", "sum-2", 0);
  EXPECT_EQ(v3.version, 3);
  ASSERT_OK_AND_ASSIGN(std::string current, store().GetTestdata(problem_id_));
  EXPECT_EQ(current, "zip-2");
  ASSERT_OK_AND_ASSIGN(std::string v3_zip, store().GetTestdataVersion(problem_id_, 3));
  EXPECT_EQ(v3_zip, "zip-2");
  ASSERT_OK_AND_ASSIGN(std::string v2_zip, store().GetTestdataVersion(problem_id_, 2));
  EXPECT_EQ(v2_zip, "zip-1");
  EXPECT_EQ(Problem(problem_id_).checksum, "sum-2");
}

TEST_P(LifecycleContract, VersionsNoLeaseJudgesAreDroppedAtTheNextWrite) {
  Testdata("zip-1", "sum-1");  // version 2
  const Submitted s = Submit();
  const std::string rn = RegisterRunner();
  ExpectClaims(rn, s.job_id, 1);
  Testdata("zip-2", "sum-2");  // version 3; 2 is kept for the lease
  // Version 3 had no lease: the next write drops it at once, while 2 is still judged.
  Testdata("zip-3", "sum-3");  // version 4
  EXPECT_THAT(store().GetProblemVersion(problem_id_, 3), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().GetTestdataVersion(problem_id_, 3), StatusIs(ErrorCode::kNotFound));
  EXPECT_OK(store().GetProblemVersion(problem_id_, 2));
  ASSERT_OK_AND_ASSIGN(CompleteOutcome landed, CompleteAccepted(rn, s.job_id));
  EXPECT_EQ(landed, CompleteOutcome::kLanded);
  // Still there until a later write notices nothing judges it.
  EXPECT_OK(store().GetProblemVersion(problem_id_, 2));
  Update(CheckerUpdate(4, {{100, 1, 65536, 500}}));  // version 5
  EXPECT_THAT(store().GetProblemVersion(problem_id_, 2), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().GetTestdataVersion(problem_id_, 2), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().GetProblemVersion(problem_id_, 4), StatusIs(ErrorCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(std::string zip, store().GetTestdataVersion(problem_id_, 5));
  EXPECT_EQ(zip, "zip-3");
  EXPECT_THAT(store().GetProblemVersion(problem_id_, 6), StatusIs(ErrorCode::kNotFound));
  EXPECT_THAT(store().GetProblemVersion(problem_id_ + 1000, 1), StatusIs(ErrorCode::kNotFound));
}

TEST_P(LifecycleContract, AnExpiredLeaseKeepsItsVersionUntilReclaimedOnTheNewOne) {
  Testdata("zip-1", "sum-1");  // version 2
  const Submitted s = Submit();
  const std::string rn = RegisterRunner();
  ExpectClaims(rn, s.job_id, 1);
  Advance(kLeaseTtl + 1);
  Testdata("zip-2", "sum-2");  // version 3; the expired lease may still complete
  EXPECT_OK(store().GetProblemVersion(problem_id_, 2));
  const std::string other = RegisterRunner("other");
  ClaimOutcome c = Claim(other);
  ASSERT_TRUE(c.job.has_value());
  EXPECT_TRUE(c.reclaimed);
  EXPECT_EQ(c.job->problem_version, 3);
}

TEST_P(LifecycleContract, TestdataWithoutFeaturesKeepsPendingClasses) {
  const Submitted s = SubmitNeeding({1, kChecker});
  EXPECT_EQ(Testdata("zip", "sum").reclassed, 0);
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(s.job_id));
  EXPECT_EQ(job.requirements, (api::JobRequirements{1, kChecker}));
  // With features, a ContextIO package makes them need fileio.
  auto out = store().WriteTestdata(
      problem_id_, TestdataWrite{"ctx", "sum-2", true, api::kFeatureFileIo, {}}, Now());
  ASSERT_OK(out);
  EXPECT_EQ(out->reclassed, 1);
  ASSERT_OK_AND_ASSIGN(job, store().GetJob(s.job_id));
  EXPECT_EQ(job.requirements, (api::JobRequirements{1, api::kFeatureFileIo}));
  EXPECT_TRUE(Problem(problem_id_).context_io);
}

TEST_P(LifecycleContract, RejudgeByProblemRequeuesEverySubmissionAtBulkPriority) {
  const std::string rn = RegisterRunner();
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    const Submitted s = Submit();
    ids.push_back(s.submission_id);
    ExpectClaims(rn, s.job_id, 1);
    Land(rn, s.job_id, i % 2 == 0 ? Verdict::kAC : Verdict::kWA);
  }
  const Submitted other_problem = Submit(1, MakeProblem());
  const std::vector<std::string> rejudged = RejudgeAll(std::nullopt, 2);
  EXPECT_THAT(rejudged, ElementsAre(ids[4], ids[3], ids[2], ids[1], ids[0]));  // newest first
  for (const std::string& sid : ids) {
    SubmissionRecord s = GetSubmission(sid);
    EXPECT_EQ(s.status, -1);
    EXPECT_EQ(s.priority, 2);
    EXPECT_EQ(s.job_state, "pending");
    EXPECT_FALSE(s.result.has_value());
  }
  EXPECT_EQ(GetSubmission(other_problem.submission_id).priority, 1);
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store().GetQueueStats(Now()));
  EXPECT_EQ(stats.pending[2], 5);
}

TEST_P(LifecycleContract, RejudgeByProblemWithAStatusTakesOnlyThose) {
  const std::string rn = RegisterRunner();
  std::set<std::string> accepted;
  std::set<std::string> wrong;
  for (int i = 0; i < 7; ++i) {
    const Submitted s = Submit();
    ExpectClaims(rn, s.job_id, 1);
    const bool ac = i % 3 != 0;
    Land(rn, s.job_id, ac ? Verdict::kAC : Verdict::kWA);
    (ac ? accepted : wrong).insert(s.submission_id);
  }
  const std::vector<std::string> rejudged = RejudgeAll(api::VerdictCode(Verdict::kAC), 2);
  EXPECT_EQ(std::set<std::string>(rejudged.begin(), rejudged.end()), accepted);
  EXPECT_EQ(rejudged.size(), accepted.size());
  for (const std::string& sid : wrong)
    EXPECT_EQ(GetSubmission(sid).status, api::VerdictCode(Verdict::kWA));
  // Nothing is AC any more: a second pass finds nothing.
  EXPECT_THAT(RejudgeAll(api::VerdictCode(Verdict::kAC), 3), IsEmpty());
}

TEST_P(LifecycleContract, RejudgeByProblemUsesTheGivenClassAndChecksTheVersion) {
  const Submitted s = Submit();
  ProblemRejudge r;
  r.new_job_ids = {NextJobId()};
  r.features = kChecker;
  r.expected_version = 1;
  ASSERT_OK_AND_ASSIGN(ProblemRejudgeOutcome out, store().RejudgeProblem(problem_id_, r, Now()));
  EXPECT_THAT(out.submission_ids, ElementsAre(s.submission_id));
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(r.new_job_ids[0]));
  EXPECT_EQ(job.requirements, (api::JobRequirements{1, kChecker}));
  EXPECT_EQ(job.priority, 2);
  // The old job is no longer current.
  EXPECT_EQ(GetSubmission(s.submission_id).current_job_id, r.new_job_ids[0]);

  r.new_job_ids = {NextJobId()};
  r.expected_version = 7;
  EXPECT_THAT(store().RejudgeProblem(problem_id_, r, Now()), StatusIs(ErrorCode::kAborted));
  EXPECT_EQ(GetSubmission(s.submission_id).current_job_id, job.job_id);
  EXPECT_THAT(store().RejudgeProblem(problem_id_ + 1000, r, Now()), StatusIs(ErrorCode::kNotFound));
}

INSTANTIATE_TEST_SUITE_P(AllStores, LifecycleContract, ::testing::ValuesIn(AllStoreFactories()),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace noj::store::contract

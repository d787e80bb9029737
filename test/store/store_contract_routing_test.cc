// StoreContract: routing by requirement class (judging.md §5). A runner claims only jobs it can
// take, in the usual order among those (orphans first, then priority, FIFO); a job nobody can take
// waits and is never JE for that; the claim's work does not grow with the jobs of other classes;
// a runner gets no job while it holds as many leases as one heartbeat can renew.

#include "common/ids.h"
#include "store_contract_fixture.h"

namespace noj::store::contract {
namespace {

using noj::testing::StatusIs;
using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr uint32_t kChecker = api::kFeatureChecker;
constexpr uint32_t kInteractive = api::kFeatureInteractive;
constexpr uint32_t kFileIo = api::kFeatureFileIo;

api::RunnerCapabilities Caps(std::vector<int> languages, uint32_t features) {
  return api::RunnerCapabilities{std::move(languages), features};
}
// What a runner that declared nothing (Normal-OJ's) can do.
const api::RunnerCapabilities kDefault{};
const api::RunnerCapabilities kEverything = Caps({0, 1, 2, 4, 5, 7}, api::kAllFeatures);

class RoutingContract : public StoreContract {
 protected:
  // Claims with `caps` until nothing is left; the job ids in the order they came.
  std::vector<std::string> Drain(const std::string& rn, const api::RunnerCapabilities& caps) {
    std::vector<std::string> out;
    for (int i = 0; i < 100; ++i) {
      ClaimOutcome c = Claim(rn, caps);
      if (!c.job) break;
      out.push_back(c.job->job_id);
    }
    return out;
  }
  // A runner identity with declared capabilities.
  RunnerRecord RegisterWith(const api::RunnerCapabilities& caps, const std::string& name) {
    RunnerRecord r;
    r.runner_id = ids::NewRunnerId(Now() + static_cast<int64_t>(++runners_));
    r.name = name;
    r.token_sha256 = std::string(63, 'b') + std::to_string(runners_ % 10);
    r.registered_at = Now();
    r.last_seen = Now();
    r.expires_at = Now() + kIdentityTtl;
    r.capabilities = caps;
    EXPECT_OK(store().RegisterRunner(r));
    return r;
  }
  // Claims as `caps` and expects `job_id` at attempt 1.
  void ExpectClaimsAs(const std::string& rn, const api::RunnerCapabilities& caps,
                      const std::string& job_id) {
    ClaimOutcome c = Claim(rn, caps);
    ASSERT_TRUE(c.job.has_value()) << "expected to claim " << job_id;
    EXPECT_EQ(c.job->job_id, job_id);
    EXPECT_EQ(c.job->attempts, 1);
  }
  int runners_ = 0;
};

TEST_P(RoutingContract, ARunnerClaimsOnlyJobsItCanTake) {
  const std::string rn = RegisterRunner();
  const Submitted plain = SubmitNeeding({1, 0});
  const Submitted java = SubmitNeeding({4, 0});
  const Submitted checker = SubmitNeeding({1, kChecker});
  const Submitted interactive = SubmitNeeding({1, kChecker | kInteractive});
  const Submitted fileio = SubmitNeeding({2, kFileIo});
  const Submitted checker2 = SubmitNeeding({1, kChecker});
  // C++ with checkers, nothing else.
  EXPECT_THAT(Drain(rn, Caps({1}, kChecker)),
              ElementsAre(plain.job_id, checker.job_id, checker2.job_id));
  // The claimed job carries its requirements.
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(checker.job_id));
  EXPECT_EQ(job.requirements, (api::JobRequirements{1, kChecker}));
  // The others are still there for runners that can take them.
  EXPECT_THAT(Drain(RegisterRunner("java"), Caps({4}, 0)), ElementsAre(java.job_id));
  EXPECT_THAT(Drain(RegisterRunner("all"), kEverything),
              ElementsAre(interactive.job_id, fileio.job_id));
}

TEST_P(RoutingContract, ARunnerThatDeclaredNothingGetsOnlyPlainJobsOfLanguagesZeroToTwo) {
  const std::string rn = RegisterRunner("normal-oj");
  SubmitNeeding({4, 0});
  const Submitted c = SubmitNeeding({0, 0});
  SubmitNeeding({0, kChecker});
  SubmitNeeding({2, kFileIo});
  SubmitNeeding({1, kInteractive});
  const Submitted python = SubmitNeeding({2, 0});
  SubmitNeeding({63, 0});
  const Submitted cpp = SubmitNeeding({1, 0});
  EXPECT_THAT(Drain(rn, kDefault), ElementsAre(c.job_id, python.job_id, cpp.job_id));
  EXPECT_THAT(Drain(rn, kDefault), IsEmpty());
}

TEST_P(RoutingContract, OrderAcrossClassesIsPriorityThenFifo) {
  const std::string rn = RegisterRunner();
  const Submitted a = SubmitNeeding({1, 0}, 1);
  const Submitted b = SubmitNeeding({4, kChecker}, 1);
  const Submitted c = SubmitNeeding({1, 0}, 2);
  const Submitted d = SubmitNeeding({4, kChecker}, 0);
  const Submitted e = SubmitNeeding({0, kFileIo}, 1);
  const Submitted f = SubmitNeeding({0, kFileIo}, 0);
  const Submitted g = SubmitNeeding({1, 0}, 1);
  EXPECT_THAT(Drain(rn, kEverything),
              ElementsAre(d.job_id, f.job_id, a.job_id, b.job_id, e.job_id, g.job_id, c.job_id));
}

TEST_P(RoutingContract, AnAbortedJobGoesToTheEndOfItsPriorityAcrossClasses) {
  const std::string rn = RegisterRunner();
  const Submitted a = SubmitNeeding({4, 0});
  const Submitted b = SubmitNeeding({1, kChecker});
  ExpectClaimsAs(rn, kEverything, a.job_id);
  ASSERT_OK(AbortJob(rn, a.job_id, /*drain=*/false));
  const Submitted c = SubmitNeeding({1, 0});
  // Requeued behind b, ahead of c (which came after the abort).
  EXPECT_THAT(Drain(rn, kEverything), ElementsAre(b.job_id, a.job_id, c.job_id));
}

TEST_P(RoutingContract, OrphansAreRoutedToo) {
  const std::string java = RegisterRunner("java");
  const std::string plain = RegisterRunner("plain");
  const Submitted j = SubmitNeeding({4, 0});
  ExpectClaimsAs(java, Caps({4}, 0), j.job_id);
  const Submitted p = SubmitNeeding({1, 0});
  Advance(kLeaseTtl + 1);
  // The expired Java lease is not the default runner's to reclaim: it gets the plain job.
  ClaimOutcome c = Claim(plain, kDefault);
  ASSERT_TRUE(c.job.has_value());
  EXPECT_EQ(c.job->job_id, p.job_id);
  EXPECT_FALSE(c.reclaimed);
  // A runner that can do Java reclaims it (orphans first).
  const std::string java2 = RegisterRunner("java-2");
  SubmitNeeding({4, 0}, 0);
  c = Claim(java2, Caps({4}, 0));
  ASSERT_TRUE(c.job.has_value());
  EXPECT_EQ(c.job->job_id, j.job_id);
  EXPECT_TRUE(c.reclaimed);
  EXPECT_EQ(c.previous_runner, java);
  EXPECT_EQ(c.job->attempts, 2);
}

TEST_P(RoutingContract, OrphansComeOldestDeadlineFirstAcrossClasses) {
  const std::string rn = RegisterRunner();
  const Submitted a = SubmitNeeding({4, 0});
  const Submitted b = SubmitNeeding({1, kChecker});
  ExpectClaimsAs(rn, Caps({1}, kChecker), b.job_id);  // b's lease ends first
  Advance(10);
  ExpectClaimsAs(rn, kEverything, a.job_id);
  Advance(kLeaseTtl + 1);
  const std::string other = RegisterRunner("other");
  EXPECT_THAT(Drain(other, kEverything), ElementsAre(b.job_id, a.job_id));
}

TEST_P(RoutingContract, AJobNobodyCanTakeWaitsAndIsNeverJudgeErrorForThat) {
  const std::string rn = RegisterRunner();
  const Submitted lonely = SubmitNeeding({7, kInteractive});
  for (int round = 0; round < 5; ++round) {
    ClaimOutcome c = Claim(rn, kDefault);
    EXPECT_FALSE(c.job.has_value());
    EXPECT_THAT(c.converged_to_je, IsEmpty());
    ASSERT_OK_AND_ASSIGN(ReapOutcome r, store().ReapExpired(kMaxAttempts, Now(), 100));
    EXPECT_THAT(r.converged_to_je, IsEmpty());
    Advance(24LL * 3600 * 1000);  // a day per round
  }
  SubmissionRecord s = GetSubmission(lonely.submission_id);
  EXPECT_EQ(s.status, -1);
  EXPECT_EQ(s.job_state, "pending");
  // Once a runner that can take it comes, it is judged at attempt 1.
  ExpectClaimsAs(RegisterRunner("late"), Caps({7}, kInteractive), lonely.job_id);
}

TEST_P(RoutingContract, AnExhaustedOrphanNobodyElseCanTakeIsLeftToTheReaper) {
  const std::string java = RegisterRunner("java");
  const std::string plain = RegisterRunner("plain");
  const Submitted j = SubmitNeeding({4, 0});
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    ClaimOutcome c = Claim(java, Caps({4}, 0));
    ASSERT_TRUE(c.job.has_value());
    EXPECT_EQ(c.job->attempts, attempt);
    Advance(kLeaseTtl + 1);
  }
  // A default runner neither takes it nor settles it.
  ClaimOutcome c = Claim(plain, kDefault);
  EXPECT_FALSE(c.job.has_value());
  EXPECT_THAT(c.converged_to_je, IsEmpty());
  // The reaper converges it, as for any exhausted lease.
  ASSERT_OK_AND_ASSIGN(ReapOutcome r, store().ReapExpired(kMaxAttempts, Now(), 100));
  EXPECT_THAT(r.converged_to_je, ElementsAre(j.submission_id));
  EXPECT_EQ(GetSubmission(j.submission_id).status, api::VerdictCode(api::Verdict::kJE));
}

TEST_P(RoutingContract, QueueStatsArePerClass) {
  const std::string rn = RegisterRunner();
  const int64_t t0 = Now();
  SubmitNeeding({4, 0});
  Advance(100);
  SubmitNeeding({1, 0});
  SubmitNeeding({1, 0}, 0);
  Advance(100);
  SubmitNeeding({4, 0}, 2);
  SubmitNeeding({1, kChecker | kFileIo});
  const Submitted gone = SubmitNeeding({2, kInteractive});
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store().GetQueueStats(Now()));
  auto find = [](const QueueStats& q, api::JobRequirements r) -> const ClassQueueStats* {
    for (const ClassQueueStats& c : q.classes)
      if (c.requirements == r) return &c;
    return nullptr;
  };
  ASSERT_EQ(stats.classes.size(), 4u);
  // Sorted by key.
  for (size_t i = 1; i < stats.classes.size(); ++i)
    EXPECT_LT(api::RequirementsKey(stats.classes[i - 1].requirements),
              api::RequirementsKey(stats.classes[i].requirements));
  ASSERT_NE(find(stats, {4, 0}), nullptr);
  EXPECT_EQ(find(stats, {4, 0})->pending, 2);
  EXPECT_EQ(find(stats, {4, 0})->oldest_pending_enqueued_at, t0);
  ASSERT_NE(find(stats, {1, 0}), nullptr);
  EXPECT_EQ(find(stats, {1, 0})->pending, 2);
  EXPECT_EQ(find(stats, {1, 0})->oldest_pending_enqueued_at, t0 + 100);
  ASSERT_NE(find(stats, {1, kChecker | kFileIo}), nullptr);
  EXPECT_EQ(find(stats, {1, kChecker | kFileIo})->pending, 1);
  EXPECT_EQ(find(stats, {1, kChecker | kFileIo})->oldest_pending_enqueued_at, t0 + 200);
  // Claimed: the class's count drops; an emptied class is no longer listed.
  ExpectClaimsAs(rn, Caps({2}, kInteractive), gone.job_id);
  Claim(rn, Caps({1}, 0));  // the priority-0 C++ job
  ASSERT_OK_AND_ASSIGN(QueueStats after, store().GetQueueStats(Now()));
  EXPECT_EQ(after.classes.size(), 3u);
  EXPECT_EQ(find(after, {2, kInteractive}), nullptr);
  ASSERT_NE(find(after, {1, 0}), nullptr);
  EXPECT_EQ(find(after, {1, 0})->pending, 1);
  EXPECT_EQ(after.pending[0] + after.pending[1] + after.pending[2], 4);
  EXPECT_EQ(after.leased, 2);
}

TEST_P(RoutingContract, ARequeuedJobCountsInItsClassWithItsFirstEnqueueTime) {
  const std::string rn = RegisterRunner();
  const int64_t t0 = Now();
  const Submitted a = SubmitNeeding({4, kChecker});
  ExpectClaimsAs(rn, kEverything, a.job_id);
  ASSERT_OK_AND_ASSIGN(QueueStats leased, store().GetQueueStats(Now()));
  EXPECT_THAT(leased.classes, IsEmpty());
  Advance(500);
  ASSERT_OK(AbortJob(rn, a.job_id, /*drain=*/true));
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store().GetQueueStats(Now()));
  ASSERT_EQ(stats.classes.size(), 1u);
  EXPECT_EQ(stats.classes[0].requirements, (api::JobRequirements{4, kChecker}));
  EXPECT_EQ(stats.classes[0].pending, 1);
  EXPECT_EQ(stats.classes[0].oldest_pending_enqueued_at, t0);
}

// ---- requirements of new jobs ----

TEST_P(RoutingContract, EnqueueRefusesRequirementsOfAnotherLanguageOrUnknownFeatures) {
  for (const api::JobRequirements& bad :
       {api::JobRequirements{2, 0}, api::JobRequirements{1, 1u << 5}}) {
    NewSubmission s;
    s.submission_id = NextSubmissionId();
    s.job_id = NextJobId();
    s.problem_id = problem_id_;
    s.language = 1;
    s.code = "x";
    s.requirements = bad;
    EXPECT_THAT(store().Enqueue(s, Now()), StatusIs(ErrorCode::kInvalidArgument));
    EXPECT_THAT(store().GetSubmission(s.submission_id), StatusIs(ErrorCode::kNotFound));
    EXPECT_THAT(store().GetJob(s.job_id), StatusIs(ErrorCode::kNotFound));
  }
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store().GetQueueStats(Now()));
  EXPECT_THAT(stats.classes, IsEmpty());
}

TEST_P(RoutingContract, RejudgeGivesTheNewJobTheRequirementsItIsGiven) {
  const std::string rn = RegisterRunner();
  const Submitted s = SubmitNeeding({1, 0});
  ExpectClaims(rn, s.job_id, 1);
  ASSERT_OK(store().Complete(Completion(rn, s.job_id), Now()));
  // The problem got a checker meanwhile: the server passes the recomputed requirements.
  const std::string again = NextJobId();
  ASSERT_OK(store().Rejudge(s.submission_id, again, 2, api::JobRequirements{1, kChecker}, Now()));
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(again));
  EXPECT_EQ(job.requirements, (api::JobRequirements{1, kChecker}));
  EXPECT_FALSE(Claim(rn, kDefault).job.has_value());
  ExpectClaimsAs(RegisterRunner("checker"), Caps({1}, kChecker), again);
}

TEST_P(RoutingContract, RejudgeWithoutRequirementsKeepsTheSubmissionsClass) {
  const std::string rn = RegisterRunner();
  const Submitted s = SubmitNeeding({2, kFileIo});
  const std::string first = NextJobId();
  ASSERT_OK(store().Rejudge(s.submission_id, first, 1, api::JobRequirements{2, kChecker}, Now()));
  const std::string second = NextJobId();
  ASSERT_OK(store().Rejudge(s.submission_id, second, 1, Now()));
  ASSERT_OK_AND_ASSIGN(JobRecord job, store().GetJob(second));
  EXPECT_EQ(job.requirements, (api::JobRequirements{2, kChecker}));  // the last one given
  EXPECT_THAT(Drain(rn, Caps({2}, kChecker)), ElementsAre(second));  // `first` discarded
  // The first job, of the first class, is met only by a runner that can take that class.
  ClaimOutcome c = Claim(rn, Caps({2}, kFileIo));
  EXPECT_FALSE(c.job.has_value());
  EXPECT_THAT(c.discarded_stale_jobs, ElementsAre(s.job_id));
}

TEST_P(RoutingContract, RejudgeRefusesRequirementsOfAnotherLanguage) {
  const Submitted s = SubmitNeeding({1, 0});
  const std::string again = NextJobId();
  EXPECT_THAT(store().Rejudge(s.submission_id, again, 2, api::JobRequirements{0, 0}, Now()),
              StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(store().GetJob(again), StatusIs(ErrorCode::kNotFound));
  EXPECT_EQ(GetSubmission(s.submission_id).current_job_id, s.job_id);
}

// ---- runner capabilities ----

TEST_P(RoutingContract, DeclaredCapabilitiesAreStoredWithTheRunner) {
  const RunnerRecord java = RegisterWith(Caps({1, 4}, kChecker | kFileIo), "java");
  const std::string plain = RegisterRunner("plain");
  ASSERT_OK_AND_ASSIGN(RunnerRecord got, store().GetRunner(java.runner_id, Now()));
  EXPECT_EQ(got.capabilities, Caps({1, 4}, kChecker | kFileIo));
  ASSERT_OK_AND_ASSIGN(RunnerRecord by_token,
                       store().GetRunnerByTokenHash(java.token_sha256, Now()));
  EXPECT_EQ(by_token.capabilities, Caps({1, 4}, kChecker | kFileIo));
  ASSERT_OK_AND_ASSIGN(RunnerRecord default_one, store().GetRunner(plain, Now()));
  EXPECT_EQ(default_one.capabilities, kDefault);
  ASSERT_OK_AND_ASSIGN(std::vector<RunnerInfo> all, store().ListRunners(Now()));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].runner.capabilities, Caps({1, 4}, kChecker | kFileIo));
  EXPECT_EQ(all[1].runner.capabilities, kDefault);
}

// ---- the claim bound ----

TEST_P(RoutingContract, ARunnerHoldingTheMostLeasesOneHeartbeatCanRenewGetsNoJob) {
  const std::string rn = RegisterRunner();
  LeasePolicy policy = Policy();
  policy.max_leases_per_runner = 2;
  const Submitted a = Submit();
  const Submitted b = Submit();
  const Submitted c = Submit();
  for (const Submitted* s : {&a, &b}) {
    ASSERT_OK_AND_ASSIGN(ClaimOutcome got, store().Claim(rn, kDefault, policy, Now()));
    ASSERT_TRUE(got.job.has_value());
    EXPECT_EQ(got.job->job_id, s->job_id);
    EXPECT_FALSE(got.lease_limit_reached);
  }
  ASSERT_OK_AND_ASSIGN(ClaimOutcome full, store().Claim(rn, kDefault, policy, Now()));
  EXPECT_FALSE(full.job.has_value());
  EXPECT_TRUE(full.lease_limit_reached);
  // Expired leases not reclaimed yet are still held (the runner may still complete them).
  Advance(kLeaseTtl + 1);
  ASSERT_OK_AND_ASSIGN(full, store().Claim(rn, kDefault, policy, Now()));
  EXPECT_FALSE(full.job.has_value());
  EXPECT_TRUE(full.lease_limit_reached);
  EXPECT_EQ(GetSubmission(c.submission_id).job_state, "pending");
  // Another runner is not affected; once one lease ends, the first may claim again.
  ExpectClaims(RegisterRunner("other"), a.job_id, 2);
  ASSERT_OK_AND_ASSIGN(ClaimOutcome again, store().Claim(rn, kDefault, policy, Now()));
  ASSERT_TRUE(again.job.has_value());
  EXPECT_FALSE(again.lease_limit_reached);
}

TEST_P(RoutingContract, TheDefaultBoundIsWhatOneHeartbeatMayList) {
  EXPECT_EQ(LeasePolicy{}.max_leases_per_runner, static_cast<int>(api::kMaxJobsPerHeartbeat));
  EXPECT_EQ(Policy().max_leases_per_runner, 1024);
}

// ---- bounded work ----

// 10,000 pending jobs (and some orphans) of classes the runner cannot take: the claim returns the
// one job it can take, and its work does not depend on them — Redis: the same number of commands
// as with one such job; SQLite: every claim query is an index search, no scan, no sort.
TEST_P(RoutingContract, ClaimAmongTenThousandJobsOfOtherClassesIsBounded) {
  constexpr int kOthers = 10'000;
  const std::string plain = RegisterRunner("plain");
  const std::string java = RegisterRunner("java");
  // Baseline: one job of another class, one plain job.
  SubmitNeeding({4, 0});
  const Submitted first = SubmitNeeding({1, 0});
  const std::optional<int64_t> before_small = harness().CommandsRun();
  ExpectClaims(plain, first.job_id, 1);
  const std::optional<int64_t> after_small = harness().CommandsRun();
  ASSERT_OK(CompleteAccepted(plain, first.job_id));

  for (int i = 1; i < kOthers; ++i) SubmitNeeding({4 + i % 3, (i % 2) ? kChecker : 0u}, i % 3);
  // Orphans of other classes, ahead of everything in the orphan order.
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(Claim(java, Caps({4}, 0)).job.has_value());
  Advance(kLeaseTtl + 1);
  const Submitted last = SubmitNeeding({1, 0}, 2);  // the lowest priority, the newest

  const std::optional<int64_t> before_big = harness().CommandsRun();
  ClaimOutcome c = Claim(plain, kDefault);
  const std::optional<int64_t> after_big = harness().CommandsRun();
  ASSERT_TRUE(c.job.has_value());
  EXPECT_EQ(c.job->job_id, last.job_id);
  EXPECT_FALSE(c.reclaimed);
  EXPECT_THAT(c.converged_to_je, IsEmpty());
  EXPECT_FALSE(Claim(plain, kDefault).job.has_value());
  ASSERT_OK_AND_ASSIGN(QueueStats stats, store().GetQueueStats(Now()));
  EXPECT_EQ(stats.pending[0] + stats.pending[1] + stats.pending[2], kOthers - 20);

  if (before_small && after_small && before_big && after_big) {
    // Both claims lease one job; with 10,000 jobs they may not cost one command more.
    const int64_t small = *after_small - *before_small;
    const int64_t big = *after_big - *before_big;
    RecordProperty("commands_per_claim_with_1_other", std::to_string(small));
    RecordProperty("commands_per_claim_with_10000_others", std::to_string(big));
    EXPECT_GT(small, 0);
    EXPECT_LE(big, small) << "commands per claim: " << small << " with 1 other job, " << big
                          << " with " << kOthers;
  }
  const std::vector<std::string> plans = harness().ClaimQueryPlans();
  if (!plans.empty()) RecordProperty("claim_query_plans", ::testing::PrintToString(plans));
  for (const std::string& plan : plans) {
    // Searches of the class indexes (or of the runner's own leases), never of a whole state.
    EXPECT_THAT(plan, AnyOf(HasSubstr("INDEX jobs_by_class"),
                            HasSubstr("INDEX jobs_by_runner (runner_id=?)")))
        << plan;
    EXPECT_THAT(plan, Not(HasSubstr("SCAN "))) << plan;
    EXPECT_THAT(plan, Not(HasSubstr("TEMP B-TREE"))) << plan;
  }
}

INSTANTIATE_TEST_SUITE_P(AllStores, RoutingContract, ::testing::ValuesIn(AllStoreFactories()),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace noj::store::contract

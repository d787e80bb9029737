// The Store contract for problems beyond Normal-OJ's (judging.md §1-§2): the problem meta and the
// testdata's ContextIO flag round-trip exactly, and a plain problem stays plain. Instantiated over
// every store by store_contract_test.cc.

#include <cmath>
#include <limits>

#include "api/problem_meta.h"
#include "store_contract_fixture.h"

namespace noj::store::contract {
namespace {

using noj::testing::StatusIs;

api::ProblemMeta MetaOf(api::CheckerKind kind) {
  api::ProblemMeta meta;
  meta.checker.kind = kind;
  return meta;
}

class ProblemsContract : public StoreContract {
 protected:
  int64_t Create(const api::ProblemMeta& meta, const std::string& title = "meta") {
    NewProblem p;
    p.title = title;
    p.tasks = {{40, 1, 65536, 1000}, {60, 2, 65536, 2000, api::TaskScoring::kPartial}};
    p.meta = meta;
    auto id = store().CreateProblem(p, Now());
    EXPECT_OK(id);
    return id.value_or(0);
  }

  ProblemRecord Read(int64_t pid) {
    auto p = store().GetProblem(pid);
    EXPECT_OK(p);
    return p.value_or(ProblemRecord{});
  }
};

TEST_P(ProblemsContract, EveryCheckerKindRoundTrips) {
  for (api::CheckerKind kind : {api::CheckerKind::kDefault, api::CheckerKind::kExact,
                                api::CheckerKind::kTokens, api::CheckerKind::kCustom}) {
    SCOPED_TRACE(api::CheckerKindName(kind));
    const int64_t pid = Create(MetaOf(kind));
    EXPECT_EQ(Read(pid).meta, MetaOf(kind));
  }
}

TEST_P(ProblemsContract, FloatTolerancesRoundTripExactly) {
  // Values with no short decimal form, the smallest subnormal, zero and the largest allowed.
  const double awkward[][2] = {{1e-6, 1e-9},
                               {0.1 + 0.2, 1.0 / 3.0},
                               {std::numeric_limits<double>::denorm_min(), 0},
                               {0, 1e9},
                               {std::nextafter(1e-6, 1.0), 123456.789e-12}};
  for (const auto& [abs, rel] : awkward) {
    api::ProblemMeta meta = MetaOf(api::CheckerKind::kFloat);
    meta.checker.abs = abs;
    meta.checker.rel = rel;
    const int64_t pid = Create(meta);
    ProblemRecord p = Read(pid);
    EXPECT_EQ(p.meta.checker.kind, api::CheckerKind::kFloat);
    // Bit for bit: a tolerance that moved by one ulp would judge differently at the edge.
    EXPECT_EQ(p.meta.checker.abs, abs);
    EXPECT_EQ(p.meta.checker.rel, rel);
  }
}

TEST_P(ProblemsContract, InteractiveOutputLimitAndLanguagesRoundTrip) {
  api::ProblemMeta meta = MetaOf(api::CheckerKind::kCustom);
  meta.interactive = true;
  meta.output_limit_bytes = int64_t{64} << 20;
  meta.languages = {0, 1, 2, 4, 63};
  const int64_t pid = Create(meta, "interactive");
  ProblemRecord p = Read(pid);
  EXPECT_EQ(p.meta, meta);
  EXPECT_EQ(p.title, "interactive");
  EXPECT_EQ(p.tasks[1].scoring, api::TaskScoring::kPartial);
  EXPECT_FALSE(p.context_io);
  EXPECT_FALSE(p.has_testdata);

  api::ProblemMeta only_limit;
  only_limit.output_limit_bytes = 1024;
  EXPECT_EQ(Read(Create(only_limit)).meta, only_limit);
}

TEST_P(ProblemsContract, PlainProblemReadsBackPlain) {
  ProblemRecord p = Read(problem_id_);  // the fixture's problem: no meta at all
  EXPECT_TRUE(p.meta.IsPlain());
  EXPECT_FALSE(p.context_io);
  ASSERT_OK(store().PutTestdata(problem_id_, "zip", "sum", false, Now()));
  p = Read(problem_id_);
  EXPECT_TRUE(p.meta.IsPlain());
  EXPECT_FALSE(p.context_io);
  EXPECT_TRUE(p.has_testdata);
}

TEST_P(ProblemsContract, ContextIoFollowsTheLatestTestdata) {
  const int64_t pid = Create(MetaOf(api::CheckerKind::kTokens));
  ASSERT_OK(store().PutTestdata(pid, "context zip", "sum-1", true, Now()));
  ProblemRecord p = Read(pid);
  EXPECT_TRUE(p.context_io);
  EXPECT_EQ(p.checksum, "sum-1");
  EXPECT_EQ(p.meta, MetaOf(api::CheckerKind::kTokens));  // testdata leaves the meta alone
  ASSERT_OK(store().PutTestdata(pid, "simple zip", "sum-2", false, Now()));
  p = Read(pid);
  EXPECT_FALSE(p.context_io);
  EXPECT_EQ(p.checksum, "sum-2");
  ASSERT_OK_AND_ASSIGN(std::string zip, store().GetTestdata(pid));
  EXPECT_EQ(zip, "simple zip");
  // Another problem is untouched.
  EXPECT_FALSE(Read(problem_id_).context_io);
  EXPECT_THAT(store().PutTestdata(pid + 1000, "zip", "sum", true, Now()),
              StatusIs(ErrorCode::kNotFound));
}

TEST_P(ProblemsContract, MetaAndContextIoSurviveCloseAndReopen) {
  api::ProblemMeta meta = MetaOf(api::CheckerKind::kFloat);
  meta.checker.abs = 1e-7;
  meta.checker.rel = 0.25;
  meta.languages = {1};
  const int64_t pid = Create(meta);
  ASSERT_OK(store().PutTestdata(pid, "zip", "sum", true, Now()));
  if (!harness().Reopen()) GTEST_SKIP() << "backend is not persistent";
  ProblemRecord p = Read(pid);
  EXPECT_EQ(p.meta, meta);
  EXPECT_TRUE(p.context_io);
}

INSTANTIATE_TEST_SUITE_P(AllStores, ProblemsContract, ::testing::ValuesIn(AllStoreFactories()),
                         [](const ::testing::TestParamInfo<StoreFactory>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace noj::store::contract

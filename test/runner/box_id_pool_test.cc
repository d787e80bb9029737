// BoxIdPool: a pair of box ids per job (the program's, the helper's), disjoint between jobs.

#include "runner/box_id_pool.h"

#include <gtest/gtest.h>

#include <set>

#include "sandbox/run_request.h"

namespace noj::runner {
namespace {

TEST(BoxIdPool, EachJobHoldsAPairNoOtherJobShares) {
  BoxIdPool pool(10, 3);
  std::set<int> seen;
  BoxIdPool::Lease a(pool), b(pool), c(pool);
  for (const BoxIdPool::Lease* l : {&a, &b, &c}) {
    EXPECT_EQ(l->helper_id(), l->id() + 1);
    EXPECT_TRUE(seen.insert(l->id()).second);
    EXPECT_TRUE(seen.insert(l->helper_id()).second);
  }
  EXPECT_EQ(*seen.begin(), 10);
  EXPECT_EQ(*seen.rbegin(), 15);  // [first, first + 2n)
}

TEST(BoxIdPool, AReleasedPairIsHandedOutAgain) {
  BoxIdPool pool(100, 2);
  int first = pool.Acquire();
  int second = pool.Acquire();
  EXPECT_EQ(first, 100);
  EXPECT_EQ(second, 102);
  pool.Release(first);
  EXPECT_EQ(pool.Acquire(), 100);
  pool.Release(101);  // a helper id is not a pair's handle: ignored
  pool.Release(7);    // outside the range: ignored
  pool.Release(second);
  EXPECT_EQ(pool.Acquire(), 102);
}

TEST(BoxIdPool, NeverHandsOutIdsAboveTheSandboxsLast) {
  BoxIdPool pool(sandbox::kMaxBoxId - 3, 10);  // room for two pairs only
  int a = pool.Acquire();
  int b = pool.Acquire();
  EXPECT_EQ(HelperBoxId(b), sandbox::kMaxBoxId);
  EXPECT_LT(a, b);
  pool.Release(a);
  EXPECT_EQ(pool.Acquire(), a);
}

}  // namespace
}  // namespace noj::runner

// The kernel floor (src/sandbox/linux_impl/kernel_floor.h): the message for every feature
// missing alone with faked answers, and the real probes on this host.

#include "sandbox/linux_impl/kernel_floor.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "support/status_matchers.h"

namespace noj::sandbox::linux_impl {
namespace {

FloorAnswers AllPresent() {
  FloorAnswers a;
  a.release = "6.12.0";
  a.present.fill(true);
  return a;
}

TEST(KernelFloor, TableIsInFeatureOrderWithTheFloorAsItsNewest) {
  const auto& table = FloorFeatures();
  for (int i = 0; i < kFloorFeatureCount; ++i) {
    EXPECT_EQ(static_cast<int>(table[i].feature), i) << table[i].name;
    EXPECT_TRUE(ReleaseAtLeast(kFloorRelease, table[i].since)) << table[i].name;
    if (i > 0) {
      EXPECT_TRUE(ReleaseAtLeast(table[i].since, table[i - 1].since)) << table[i].name;
    }
  }
  EXPECT_STREQ(table[kFloorFeatureCount - 1].since, kFloorRelease);
}

TEST(KernelFloor, AllPresentMeetsTheFloor) {
  EXPECT_OK(CheckKernelFloor(AllPresent()));
  EXPECT_TRUE(MissingFloorFeatures(AllPresent()).empty());
  EXPECT_EQ(KernelFloorLine(AllPresent()),
            "kernel: 6.12.0, floor Linux 6.12 met (10 features checked)");
}

TEST(KernelFloor, EachFeatureMissingAloneIsNamedWithItsKernel) {
  for (const FloorFeatureInfo& f : FloorFeatures()) {
    FloorAnswers a = AllPresent();
    a.release = "5.10.0";
    a.present[static_cast<int>(f.feature)] = false;
    std::string named = std::string(f.name) + " (Linux " + f.since + "+)";
    Status s = CheckKernelFloor(a);
    EXPECT_THAT(s, testing::StatusIs(ErrorCode::kFailedPrecondition)) << f.name;
    EXPECT_EQ(s.message(), "kernel floor not met (running 5.10.0): missing " + named);
    EXPECT_EQ(KernelFloorLine(a), "kernel: 5.10.0, floor Linux 6.12 not met, missing: " + named);
  }
}

TEST(KernelFloor, SeveralMissingAreListedInTableOrder) {
  FloorAnswers a = AllPresent();
  a.release = "5.10.0";
  a.present[static_cast<int>(FloorFeature::kLandlockScope)] = false;
  a.present[static_cast<int>(FloorFeature::kCloseRange)] = false;
  EXPECT_EQ(CheckKernelFloor(a).message(),
            "kernel floor not met (running 5.10.0): missing close_range (Linux 5.9+), "
            "Landlock scope (Linux 6.12+)");
}

TEST(KernelFloor, ReleaseComparison) {
  EXPECT_TRUE(ReleaseAtLeast("6.18.44-fc-v1045", "6.12"));
  EXPECT_TRUE(ReleaseAtLeast("6.12.0", "6.12"));
  EXPECT_TRUE(ReleaseAtLeast("6.1.0-28-amd64", "5.14"));
  EXPECT_FALSE(ReleaseAtLeast("6.1.0-28-amd64", "6.12"));
  EXPECT_FALSE(ReleaseAtLeast("5.10.0", "5.14"));
  EXPECT_FALSE(ReleaseAtLeast("garbage", "5.14"));
}

int OpenFds() {
  int n = 0;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (::readdir(d) != nullptr) ++n;
    ::closedir(d);
  }
  return n;
}

// This host runs 6.18: every feature must be found, and probing leaves no fd behind. Below the
// floor the test says which one is missing rather than failing obscurely elsewhere.
TEST(KernelFloor, RealProbeOnThisHostMeetsTheFloor) {
  FloorAnswers a = ProbeKernelFloor();
  if (!ReleaseAtLeast(a.release, kFloorRelease))
    GTEST_SKIP() << "host kernel " << a.release << " is below the floor: " << KernelFloorLine(a);
  int fds_before = OpenFds();
  EXPECT_OK(CheckKernelFloor(ProbeKernelFloor())) << KernelFloorLine(a);
  EXPECT_EQ(OpenFds(), fds_before);
  // The cost of the check (it runs on every --probe), for the record: no assertion on time.
  constexpr int kRounds = 200;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) (void)ProbeKernelFloor();
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  start)
                .count();
  RecordProperty("probe_us_per_call", std::to_string(us / kRounds));
  std::printf("kernel floor probe: %.1f us per call (%d calls, euid %d)\n",
              static_cast<double>(us) / kRounds, kRounds, static_cast<int>(::geteuid()));
}

}  // namespace
}  // namespace noj::sandbox::linux_impl

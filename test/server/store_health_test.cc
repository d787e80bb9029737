// StoreHealth: what /healthz and /metrics know of the store without asking it (times passed in).

#include "server/store_health.h"

#include <gtest/gtest.h>

namespace noj::server {
namespace {

using State = StoreHealth::State;

TEST(StoreHealth, UnprobedUntilAProbeStarts) {
  StoreHealth h(1000);
  EXPECT_EQ(h.Get(0), State::kUnprobed);
  h.ReportUnavailable();  // nothing would clear it: ignored
  EXPECT_EQ(h.Get(0), State::kUnprobed);
  h.ProbeStarted(100);
  EXPECT_EQ(h.Get(150), State::kUp);  // the store just opened: up until told otherwise
}

TEST(StoreHealth, FollowsTheLastProbe) {
  StoreHealth h(1000);
  h.ProbeStarted(0);
  h.ProbeFinished(true, "", 5);
  EXPECT_EQ(h.Get(10), State::kUp);
  h.ProbeStarted(500);
  h.ProbeFinished(false, "connection refused", 501);
  EXPECT_EQ(h.Get(600), State::kDown);
  h.ProbeStarted(1000);
  h.ProbeFinished(true, "", 1002);
  EXPECT_EQ(h.Get(1100), State::kUp);
}

TEST(StoreHealth, AProbeWaitingPastTheStallLimitMeansDown) {
  StoreHealth h(1000);
  h.ProbeStarted(0);
  h.ProbeFinished(true, "", 1);
  h.ProbeStarted(500);
  EXPECT_EQ(h.Get(1500), State::kUp);    // waiting 1000 ms: not yet
  EXPECT_EQ(h.Get(1501), State::kDown);  // stalled
  h.ProbeFinished(true, "", 6000);       // the stall ends
  EXPECT_EQ(h.Get(6001), State::kUp);
}

TEST(StoreHealth, ARequestThatFoundTheStoreUnavailableMeansDownUntilAProbeSucceeds) {
  StoreHealth h(1000);
  h.ProbeStarted(0);
  h.ProbeFinished(true, "", 1);
  h.ReportUnavailable();
  EXPECT_EQ(h.Get(2), State::kDown);
  h.ProbeStarted(500);
  h.ProbeFinished(true, "", 501);
  EXPECT_EQ(h.Get(502), State::kUp);
}

TEST(StoreHealth, OneSnapshotReadAtATime) {
  StoreHealth h;
  EXPECT_TRUE(h.TryBeginSnapshotRead());
  EXPECT_FALSE(h.TryBeginSnapshotRead());
  h.EndSnapshotRead();
  EXPECT_TRUE(h.TryBeginSnapshotRead());
}

}  // namespace
}  // namespace noj::server

#pragma once
// What this node knows of its store's health without asking it: the answers of the background
// probe (StoreProbe pings every ~500 ms) and whether a /metrics read is still out. /healthz and
// /metrics read it on the I/O thread, so they answer at once even while the store stalls.
//
// The store counts as down when the last probe failed, when a probe has been waiting longer than
// `stall_after_ms` (a stalled Redis does not fail, it just does not answer), or when a request
// found it unavailable since the last probe (a Redis that died between two probes shows at once;
// the next probe that succeeds clears it).
// Times are MonotonicMs, passed in (tests drive them). Thread-safe.

#include <atomic>
#include <cstdint>
#include <string>

#include "common/thread_annotations.h"

namespace noj::server {

class StoreHealth {
 public:
  enum class State {
    kUnprobed,  // no probe runs (tests, the fuzz harness): the caller asks the store itself
    kUp,
    kDown,
  };

  explicit StoreHealth(int64_t stall_after_ms = 1000) : stall_after_ms_(stall_after_ms) {}
  StoreHealth(const StoreHealth&) = delete;
  StoreHealth& operator=(const StoreHealth&) = delete;

  void ProbeStarted(int64_t now_ms) EXCLUDES(mu_);
  // `error`: why the probe failed ("" when it succeeded).
  void ProbeFinished(bool ok, const std::string& error, int64_t now_ms) EXCLUDES(mu_);

  // A request's store call failed with kUnavailable. Ignored while no probe runs (nothing would
  // clear it).
  void ReportUnavailable() EXCLUDES(mu_);

  State Get(int64_t now_ms) const EXCLUDES(mu_);

  // At most one /metrics store read at a time: while one is out (a stalled store holds it),
  // other scrapes render what they have instead of queueing behind it.
  bool TryBeginSnapshotRead() { return !snapshot_read_out_.exchange(true); }
  void EndSnapshotRead() { snapshot_read_out_.store(false); }

 private:
  const int64_t stall_after_ms_;
  mutable Mutex mu_;
  bool probed_ GUARDED_BY(mu_) = false;          // a probe has started once
  int64_t in_flight_since_ GUARDED_BY(mu_) = 0;  // 0: none in flight
  bool last_ok_ GUARDED_BY(mu_) = true;          // before the first answer: the store just opened
  std::atomic<bool> snapshot_read_out_{false};
};

}  // namespace noj::server

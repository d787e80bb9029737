#pragma once
// The supervisor's wait: until the box's init exits, enforcing the CPU limit (polled from the
// box cgroup) and the wall limit, collecting the box's reports, and reacting to SIGTERM/
// SIGINT/SIGHUP sent to the supervisor.

#include <cstdint>
#include <functional>
#include <vector>

#include "sandbox/linux_impl/box_report.h"
#include "sandbox/verdict_rules.h"

namespace noj::sandbox::linux_impl {

struct WatchConfig {
  int pidfd = -1;      // the box's init
  int report_fd = -1;  // read end, O_NONBLOCK
  int signal_fd = -1;  // signalfd of the supervisor's termination signals
  int64_t start_ns = 0;
  int64_t wall_limit_ns = 0;
  int64_t cpu_limit_us = 0;
  int cpus = 1;  // how fast the box can burn CPU: bounds how long we may sleep
  // Box CPU so far; nullptr when there is no CPU cgroup (rlimits must do).
  std::function<int64_t()> cpu_usage_us;
  std::function<void()> kill_box;
  // A warm box's init reports once nothing but itself is left in the box (kill(-1), reaped
  // everything): the run may end at its report, before the init's exit (namespace teardown).
  bool end_on_report = false;
};

struct WatchOutcome {
  KillReason killed = KillReason::kNone;
  bool interrupted = false;
  std::vector<BoxReport> reports;
  int64_t end_ns = 0;
};

// Returns once the init has exited (it is not reaped: the caller does that), or with
// `end_on_report` once a report that ends the run has arrived.
WatchOutcome WatchBox(const WatchConfig& config);

}  // namespace noj::sandbox::linux_impl

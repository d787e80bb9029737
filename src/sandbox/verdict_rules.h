#pragma once
// From what was observed about a finished run to its verdict. Pure, so the precedence is
// unit-tested: our own kills first, then memory, output, CPU, and only then "it crashed".

#include <cstdint>

#include "sandbox/limits.h"
#include "sandbox/run_result.h"

namespace noj::sandbox {

enum class KillReason { kNone, kCpu, kWall };

struct RunFacts {
  bool exited = false;  // false: terminated by `signal`
  int exit_code = 0;
  int signal = 0;
  KillReason killed_by_us = KillReason::kNone;
  int64_t cpu_us = 0;
  int64_t wall_us = 0;
  int64_t memory_peak_kib = 0;
  bool oom_killed = false;        // the kernel's OOM killer acted inside the box
  bool memory_limit_hit = false;  // allocations hit the limit (reclaim or failures)
  int64_t stdout_bytes = 0;
  bool scratch_full = false;  // /tmp or a scratch /box ended full (bytes or inodes)
};

// Never returns kSe (sandbox errors are decided before a run has facts).
RunResult DecideVerdict(const RunFacts& facts, const Limits& limits);

}  // namespace noj::sandbox

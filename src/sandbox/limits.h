#pragma once
// Resource limits of one sandboxed run, as the caller states them.

#include <cstdint>

#include "common/status.h"

namespace noj::sandbox {

struct Limits {
  int64_t cpu_ms = 1000;            // summed CPU time of every process in the box
  int64_t wall_ms = 0;              // 0: max(2 * cpu_ms, cpu_ms + 1000)
  int64_t memory_kib = 256 * 1024;  // resident memory incl. tmpfs and page cache of the box
  int64_t output_bytes = 64 << 20;  // largest file the program may write (stdout included)
  int64_t max_processes = 64;       // tasks (processes and threads) alive at once
  int64_t tmp_kib = 0;              // size of /tmp; 0: same as memory_kib
  int64_t box_kib = 0;              // size of a scratch /box; 0: the output limit (>= 1 MiB)
  int64_t inodes = 4096;            // files + directories in /tmp and in a scratch /box, each
  int64_t open_files = 64;          // RLIMIT_NOFILE
};

// kInvalidArgument naming the first limit out of range.
Status ValidateLimits(const Limits& limits);

// The wall limit actually enforced (resolves the 0 default).
int64_t EffectiveWallMs(const Limits& limits);

// The /tmp size actually used (resolves the 0 default).
int64_t EffectiveTmpKib(const Limits& limits);

// The scratch /box size actually used (resolves the 0 default).
int64_t EffectiveBoxKib(const Limits& limits);

}  // namespace noj::sandbox

#include "sandbox/verdict_rules.h"

#include <csignal>

namespace noj::sandbox {
namespace {

Verdict Decide(const RunFacts& f, const Limits& l) {
  if (f.killed_by_us != KillReason::kNone) return Verdict::kTle;
  if (f.oom_killed) return Verdict::kMle;
  if (f.signal == SIGXFSZ || f.stdout_bytes > l.output_bytes) return Verdict::kOle;
  // Its writable space is part of what a program may write: filling it is output beyond
  // the limit, whatever the program made of its failed writes.
  if (f.scratch_full) return Verdict::kOle;
  // SIGXCPU / the SIGKILL of RLIMIT_CPU's hard limit only happen past the CPU limit anyway.
  if (f.cpu_us > l.cpu_ms * 1000 || f.signal == SIGXCPU) return Verdict::kTle;
  if (f.wall_us > EffectiveWallMs(l) * 1000) return Verdict::kTle;
  if (f.memory_peak_kib > l.memory_kib) return Verdict::kMle;
  bool failed = f.signal != 0 || f.exit_code != 0;
  // A program that dies right after its allocations hit the limit (bad_alloc, NULL from
  // malloc under RLIMIT_AS) ran out of memory; blaming it as RE would mislead the contestant.
  if (failed && f.memory_limit_hit) return Verdict::kMle;
  if (failed) return Verdict::kRe;
  return Verdict::kOk;
}

}  // namespace

RunResult DecideVerdict(const RunFacts& f, const Limits& l) {
  RunResult r;
  r.verdict = Decide(f, l);
  r.exit_code = f.exited ? f.exit_code : 0;
  r.signal = f.exited ? 0 : f.signal;
  r.cpu_ms = f.cpu_us / 1000;
  r.wall_ms = f.wall_us / 1000;
  r.memory_kib = f.memory_peak_kib;
  return r;
}

}  // namespace noj::sandbox

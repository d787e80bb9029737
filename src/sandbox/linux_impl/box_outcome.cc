#include "sandbox/linux_impl/box_outcome.h"

#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "sandbox/linux_impl/uid_sweep.h"
#include "sandbox/verdict_rules.h"

namespace noj::sandbox::linux_impl {

int CpuCount() {
  cpu_set_t set;
  if (::sched_getaffinity(0, sizeof set, &set) != 0) return 1;
  return std::max(1, CPU_COUNT(&set));
}

namespace {

std::string DescribeSetupFailure(const BoxReport& r, const BoxSession& s) {
  std::string what = SetupStepName(r.step);
  if (r.step == SetupStep::kMount && s.mounts) {
    what += " (" + s.mounts->Describe(static_cast<size_t>(r.step_index)) + ")";
  }
  return "box setup failed at " + what + ": " + std::strerror(r.err);
}

// A program of the box (not a runtime of the host's) that cannot be executed is the
// program's fault: its run failed, the judge did not.
bool IsProgramInBox(const RunRequest& r) {
  const std::string& path = r.argv.front();
  return path.starts_with("/box/") || !path.starts_with('/');
}

RunResult ExecFailed(const BoxReport& rep, const BoxSession& s) {
  RunResult result;
  result.verdict = Verdict::kRe;
  result.exit_code = 127;
  result.protections = s.protections_text;
  result.error = std::string("the program cannot be executed: ") + std::strerror(rep.err);
  return result;
}

// From what was observed to the result; SE when the run itself says nothing about the program.
}  // namespace

RunResult ConcludeRun(const RunRequest& r, BoxSession& s, const WatchOutcome& w, int64_t start_ns,
                      const Status& teardown, bool scratch_full, int64_t cpu_baseline_us) {
  const BoxReport* finished = nullptr;
  for (const BoxReport& rep : w.reports) {
    if (rep.kind == BoxReport::Kind::kSetupFailed) {
      if (rep.step == SetupStep::kExec && IsProgramInBox(r) && teardown.ok()) {
        return ExecFailed(rep, s);
      }
      return SandboxError(DescribeSetupFailure(rep, s), s.protections_text);
    }
    if (rep.kind == BoxReport::Kind::kFinished) finished = &rep;
  }
  if (w.interrupted) return SandboxError("interrupted by a signal", s.protections_text);
  if (!teardown.ok()) return SandboxError(teardown.message(), s.protections_text);
  MemoryUsage memory;
  if (s.cgroups && s.protections.memory != CgroupVersion::kNone) memory = s.cgroups->ReadMemory();
  // Without a report the init died: by our kill, or by an OOM kill (it shares the box's memory
  // cgroup; a v2 group kill takes every task, v1 may pick it when tmpfs holds the memory).
  if (finished == nullptr && w.killed == KillReason::kNone && !memory.oom_killed) {
    return SandboxError("box init ended without a report", s.protections_text);
  }
  RunFacts f;
  f.killed_by_us = w.killed;
  f.scratch_full = scratch_full;
  if (finished != nullptr) {
    f.exited = WIFEXITED(finished->wait_status);
    f.exit_code = f.exited ? WEXITSTATUS(finished->wait_status) : 0;
    f.signal = WIFSIGNALED(finished->wait_status) ? WTERMSIG(finished->wait_status) : 0;
    f.wall_us = finished->wall_ns / 1000;
    f.cpu_us = finished->user_us + finished->system_us;
    f.memory_peak_kib = finished->maxrss_kib;
  } else {
    f.signal = SIGKILL;
    f.wall_us = (w.end_ns - start_ns) / 1000;
  }
  if (s.cgroups && s.protections.cpu != CgroupVersion::kNone) {
    if (Result<int64_t> cpu = s.cgroups->CpuUsageUs(); cpu.ok()) f.cpu_us = *cpu - cpu_baseline_us;
  }
  if (s.cgroups && s.protections.memory != CgroupVersion::kNone) {
    // memory.peak appeared in Linux 5.19; before, the largest process's RSS must do.
    if (memory.peak_kib > 0) f.memory_peak_kib = memory.peak_kib;
    f.oom_killed = memory.oom_killed;
    f.memory_limit_hit = memory.limit_hit;
  }
  struct stat st;
  if (::fstat(s.files.stdout_fd.get(), &st) == 0 && S_ISREG(st.st_mode)) {
    f.stdout_bytes = st.st_size;
  }
  RunResult result = DecideVerdict(f, r.limits);
  result.protections = s.protections_text;
  return result;
}

void KillBox(const BoxSession& s, int pidfd, int box_id) {
  if (s.cgroups && s.cgroups->can_kill()) s.cgroups->Kill().IgnoreError();  // pidfd follows
  // With a pid namespace this kills everything in it; without, at least the init.
  ::syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0);
  if (s.protections.kill == KillMechanism::kUidSweep && s.protections.dedicated_uid) {
    KillProcessesOfUid(static_cast<uid_t>(BoxUid(box_id)));
  }
}

}  // namespace noj::sandbox::linux_impl

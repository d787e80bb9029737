#include "sandbox/linux_impl/jail_sandbox.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/single_threaded.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sandbox/linux_impl/box_launcher.h"
#include "sandbox/linux_impl/box_outcome.h"
#include "sandbox/linux_impl/box_session.h"
#include "sandbox/linux_impl/box_teardown.h"
#include "sandbox/linux_impl/box_watch.h"
#include "sandbox/linux_impl/host_probe.h"
#include "sandbox/linux_impl/mount_plan.h"
#include "sandbox/linux_impl/scratch_fs.h"
#include "sandbox/linux_impl/sys_util.h"
#include "sandbox/linux_impl/uid_sweep.h"
#include "sandbox/verdict_rules.h"

namespace noj::sandbox::linux_impl {
namespace {

// Blocks the termination signals for the run and turns them into a readable fd, so a runner
// stopping us still gets the box torn down. The box's program unblocks them again.
class TerminationSignals {
 public:
  TerminationSignals() {
    sigset_t set;
    sigemptyset(&set);
    for (int sig : {SIGTERM, SIGINT, SIGHUP}) sigaddset(&set, sig);
    ::sigprocmask(SIG_BLOCK, &set, &old_);
    fd_.reset(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  }
  ~TerminationSignals() { ::sigprocmask(SIG_SETMASK, &old_, nullptr); }
  int fd() const { return fd_.get(); }

 private:
  sigset_t old_{};
  UniqueFd fd_;
};

// Inherited dispositions survive execve only when SIG_IGN: reset those so the program gets
// default SIGPIPE, SIGXFSZ... whatever the runner ignores.
void ResetIgnoredSignals() {
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction old;
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) {
      ::signal(sig, SIG_DFL);
    }
  }
}

// Our stdio files must never land on fds 0..2 (the program's dup2 targets).
void OccupyStdFds() {
  for (int fd = 0; fd < 3; ++fd) {
    if (::fcntl(fd, F_GETFD) < 0) ::open("/dev/null", O_RDWR);  // lands on the lowest: fd
  }
}

RunResult RunPrepared(const RunRequest& r, BoxSession& s, int64_t start_ns) {
  TerminationSignals signals;
  Result<InitHandle> init =
      LaunchInit(s.init_plan, s.protections.namespaces, s.cgroups ? s.cgroups->v2_dir_fd() : -1);
  if (!init.ok()) return SandboxError(init.status().message(), s.protections_text);
  s.report_write.reset();  // so the pipe reaches EOF once the box is gone
  s.lifeline_read.reset();
  // Inherited pipes (an interactive run): the box holds them now. Ours would keep the other
  // side from seeing EOF until our teardown ends, after the program ends.
  if (r.stdin_fd >= 0) s.files.stdin_fd.reset();
  if (r.stdout_fd >= 0) s.files.stdout_fd.reset();

  WatchConfig config;
  config.pidfd = init->pidfd.get();
  config.report_fd = s.report_read.get();
  config.signal_fd = signals.fd();
  config.start_ns = start_ns;
  config.wall_limit_ns = EffectiveWallMs(r.limits) * 1000000;
  config.cpu_limit_us = r.limits.cpu_ms * 1000;
  config.cpus = CpuCount();
  if (s.cgroups && s.protections.cpu != CgroupVersion::kNone) {
    BoxCgroups* cgroups = s.cgroups.get();
    config.cpu_usage_us = [cgroups] { return cgroups->CpuUsageUs().value_or(0); };
  }
  int pidfd = init->pidfd.get();
  config.kill_box = [&s, pidfd, &r] { KillBox(s, pidfd, r.box_id); };
  WatchOutcome outcome = WatchBox(config);

  siginfo_t info{};
  ::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd), &info, WEXITED | __WALL);
  Status gone = EnsureBoxGone(s, r.box_id);
  // Only now: nothing of the box can still be writing.
  bool full = (s.box_scratch && ScratchFull(s.box_scratch.get())) ||
              (s.tmp_scratch && ScratchFull(s.tmp_scratch.get()));
  RunResult result = ConcludeRun(r, s, outcome, start_ns, gone, full);
  if (gone.ok() && s.box_scratch && !r.collect_dir.empty() && result.verdict != Verdict::kSe) {
    if (Status c = CollectScratch(s.box_scratch.get(), s.box_entries, r.collect_dir); !c.ok()) {
      return SandboxError(c.message(), s.protections_text);
    }
  }
  if (s.cgroups && gone.ok()) {
    // A cgroup left behind is a leak we promised not to have: fail closed.
    if (Status removed = s.cgroups->Remove(); !removed.ok()) {
      return SandboxError("removing the box cgroups: " + removed.message(), s.protections_text);
    }
  }
  return result;
}

}  // namespace

Result<std::unique_ptr<JailSandbox>> JailSandbox::Create() {
  if (!__libc_single_threaded) {  // false once any thread was ever created
    return Status(ErrorCode::kFailedPrecondition,
                  "JailSandbox needs a single-threaded process (it forks the box)");
  }
  // Orphans of a namespace-less box come to us, not to the host's init (~20 ms vs ~1.8 s).
  ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  ResetIgnoredSignals();
  OccupyStdFds();
  return std::unique_ptr<JailSandbox>(new JailSandbox());
}

Result<Protections> JailSandbox::Probe(const RunRequest& request) {
  BoxSession session;
  NOJ_RETURN_IF_ERROR(ProbeBox(request, ProbeHost(), session));
  return session.protections;
}

JailSandbox::ProbeDetails JailSandbox::ProbeWithDetails(const RunRequest& request) {
  BoxSession session;
  ProbeDetails d;
  d.status = ProbeBox(request, ProbeHost(), session);
  d.available = session.protections_text;
  d.notes = session.notes;
  return d;
}

RunResult JailSandbox::Run(const RunRequest& request) {
  int64_t start_ns = MonotonicNowNs();
  BoxSession session;
  Status probed = ProbeBox(request, ProbeHost(), session);
  if (!probed.ok()) return SandboxError(probed.message(), session.protections_text);
  Status prepared = PrepareBox(request, session);
  if (!prepared.ok()) return SandboxError(prepared.message(), session.protections_text);
  return RunPrepared(request, session, start_ns);
}

}  // namespace noj::sandbox::linux_impl

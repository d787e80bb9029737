#include "sandbox/linux_impl/warm_box.h"

// <linux/mount.h> only (MS_* for the plan): glibc 2.36's <sys/mount.h> redefines its constants.
#include <fcntl.h>
#include <linux/mount.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "sandbox/linux_impl/box_outcome.h"
#include "sandbox/linux_impl/box_rlimits.h"
#include "sandbox/linux_impl/box_teardown.h"
#include "sandbox/linux_impl/box_watch.h"
#include "sandbox/linux_impl/exec_args.h"
#include "sandbox/linux_impl/scratch_fs.h"
#include "sandbox/linux_impl/sys_util.h"
#include "sandbox/linux_impl/warm_case.h"
#include "sandbox/linux_impl/warm_root.h"

namespace noj::sandbox::linux_impl {
namespace {

constexpr char kHostname[] = "noj-box";
constexpr size_t kProgramStackSize = 32 * 1024;
constexpr size_t kArenaBytes = 16 << 20;  // a run's plan: argv, env, up to 1,024 entries
// How long a case init may take to exit after its report before it is killed.
constexpr int kExitGraceMs = 5000;

}  // namespace

Result<std::unique_ptr<WarmBox>> WarmBox::Create(int box_id, int signal_fd) {
  NOJ_ASSIGN_OR_RETURN(SharedArena header, SharedArena::Create(4096));
  NOJ_ASSIGN_OR_RETURN(SharedArena arena, SharedArena::Create(kArenaBytes));
  std::unique_ptr<WarmBox> box(new WarmBox(box_id, signal_fd, std::move(header), std::move(arena)));
  // The usual root (no --ro-bind) now, while nobody waits: a helper started ahead of its first
  // run does not build it on that run's clock. A failure shows again, as SE, on the run.
  (void)box->RootFor(RunRequest{});
  return box;
}

WarmBox::WarmBox(int box_id, int signal_fd, SharedArena header, SharedArena arena)
    : box_id_(box_id),
      signal_fd_(signal_fd),
      host_(ProbeHost()),
      header_(std::move(header)),
      arena_(std::move(arena)) {
  case_ = header_.New<WarmCase>();
}

WarmBox::~WarmBox() { Shutdown().IgnoreError(); }

bool WarmBox::Takes(const RunRequest& r) {
  return r.box_mode == BoxMode::kScratch && r.stdin_fd < 0 && r.stdout_fd < 0;
}

// What a prepared box was made for: the tier asked for, where its cgroups are, the root. (The
// cgroups' limits are set at go: a compile and the cases of a job share prepared boxes.)
std::string WarmBox::KeyOf(const RunRequest& r) {
  std::string key = r.cgroup_parent + "|" + (r.insecure ? "i" : "s");
  for (const std::string& req : r.require) key += "|r" + req;
  for (const BindMount& b : r.ro_binds) key += "|b" + b.source + ":" + b.target;
  return key;
}

Result<int> WarmBox::RootFor(const RunRequest& r) {
  std::string key;
  for (const BindMount& b : r.ro_binds) key += b.source + ":" + b.target + "\n";
  auto it = roots_.find(key);
  if (it != roots_.end()) return it->second.get();
  NOJ_ASSIGN_OR_RETURN(UniqueFd root, CreateWarmRoot(r.ro_binds));
  int fd = root.get();
  roots_.emplace(key, std::move(root));
  return fd;
}

Status WarmBox::Prepare(const RunRequest& r, Box& b) {
  Box* box = &b;
  box->key = KeyOf(r);
  BoxSession& s = box->s;
  // Creates the box cgroups, named apart from the running case's (alive at the same time).
  NOJ_RETURN_IF_ERROR(ProbeBox(r, host_, s, "w" + std::to_string(++instances_)));
  if (!s.protections.namespaces) {
    return Status(ErrorCode::kFailedPrecondition, "a warm box needs namespaces");
  }
  NOJ_ASSIGN_OR_RETURN(int root, RootFor(r));
  NOJ_RETURN_IF_ERROR(MakePipe(s.report_read, s.report_write));
  if (::fcntl(s.report_read.get(), F_SETFL, O_NONBLOCK) != 0) {
    return ErrnoStatus("fcntl O_NONBLOCK", errno);
  }
  NOJ_RETURN_IF_ERROR(MakePipe(s.lifeline_read, s.lifeline_write));
  int go[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, go) != 0) {
    return ErrnoStatus("socketpair for the go message", errno);
  }
  box->go.reset(go[0]);
  UniqueFd init_end(go[1]);
  s.program_stack = std::make_unique_for_overwrite<char[]>(kProgramStackSize);

  WarmInitPlan plan;
  plan.root_fd = root;
  plan.hostname = kHostname;
  std::vector<int> tasks = s.cgroups ? s.cgroups->V1JoinFds() : std::vector<int>{};
  for (int fd : tasks) {
    if (plan.cgroup_count < WarmInitPlan::kMaxCgroups)
      plan.cgroup_tasks_fds[plan.cgroup_count++] = fd;
  }
  plan.lifeline_fd = s.lifeline_read.get();
  plan.lifeline_write_fd = s.lifeline_write.get();
  plan.go_fd = init_end.get();
  plan.go_peer_fd = box->go.get();
  plan.report_fd = s.report_write.get();
  plan.program_stack = s.program_stack.get();
  plan.program_stack_size = kProgramStackSize;
  plan.the_case = case_;
  NOJ_ASSIGN_OR_RETURN(box->init, LaunchWarmInit(plan, s.cgroups ? s.cgroups->v2_dir_fd() : -1));
  box->report_write_fd = s.report_write.get();
  s.report_write.reset();  // so the pipe reaches EOF once the box is gone
  s.lifeline_read.reset();
  return Status::Ok();
}

RunResult WarmBox::Go(const RunRequest& r, Box& box, int64_t start_ns) {
  BoxSession& s = box.s;
  auto fail = [&s](const Status& why) { return SandboxError(why.message(), s.protections_text); };
  Result<BoxFiles> files = OpenBoxFiles(r);
  if (!files.ok()) return fail(files.status());
  s.files = std::move(*files);
  if (Status st = MakeScratches(r, s); !st.ok()) return fail(st);
  Result<UniqueFd> source = CloneTreeReadOnly(s.files.box_dir.get());
  if (!source.ok()) return fail(source.status());
  if (Status st = WriteWarmCase(r, s, box.report_write_fd, arena_, *case_); !st.ok()) {
    return fail(st);
  }
  if (s.cgroups) {
    // +1: the init lives in the box cgroups too (as in ProbeBox).
    Status limited = s.cgroups->SetLimits(r.limits.memory_kib * 1024, r.limits.max_processes + 1);
    if (!limited.ok()) return fail(limited);
  }
  const bool cpu_cgroup = s.cgroups && s.protections.cpu != CgroupVersion::kNone;
  // The init was set up in the box cgroups ahead of the run: its CPU is not the program's.
  const int64_t baseline_us = cpu_cgroup ? s.cgroups->CpuUsageUs().value_or(0) : 0;
  box.started = true;
  Status sent = SendGo(box.go.get(), s, source->get());
  source->reset();  // in flight or attached: the init holds it now

  WatchConfig config;
  config.pidfd = box.init.pidfd.get();
  config.report_fd = s.report_read.get();
  config.signal_fd = signal_fd_;
  config.start_ns = start_ns;
  config.wall_limit_ns = EffectiveWallMs(r.limits) * 1000000;
  config.cpu_limit_us = r.limits.cpu_ms * 1000;
  config.cpus = CpuCount();
  if (cpu_cgroup) {
    BoxCgroups* cgroups = s.cgroups.get();
    config.cpu_usage_us = [cgroups, baseline_us] {
      return cgroups->CpuUsageUs().value_or(0) - baseline_us;
    };
  }
  int pidfd = box.init.pidfd.get();
  int box_id = box_id_;
  config.kill_box = [&s, pidfd, box_id] { KillBox(s, pidfd, box_id); };
  config.end_on_report = true;
  WatchOutcome outcome = WatchBox(config);
  interrupted_ = interrupted_ || outcome.interrupted;

  bool finished_clean = outcome.killed == KillReason::kNone && !outcome.interrupted;
  bool reported = false;
  for (const BoxReport& rep : outcome.reports) {
    if (rep.kind == BoxReport::Kind::kFinished) reported = true;
    if (rep.kind == BoxReport::Kind::kSetupFailed) finished_clean = false;
  }
  Status gone = Status::Ok();
  // A kFinished report means the init killed and reaped everything else in its pid namespace:
  // nothing of the box runs or writes any more. Any other end is made sure of first.
  if (!(finished_clean && reported)) {
    siginfo_t info{};
    ::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd), &info, WEXITED | __WALL);
    gone = EnsureBoxGone(s, box_id_);
  }
  if (!sent.ok() && outcome.reports.empty()) return fail(sent);
  bool full = (s.box_scratch && ScratchFull(s.box_scratch.get())) ||
              (s.tmp_scratch && ScratchFull(s.tmp_scratch.get()));
  RunResult result = ConcludeRun(r, s, outcome, start_ns, gone, full, baseline_us);
  if (gone.ok() && !r.collect_dir.empty() && result.verdict != Verdict::kSe) {
    if (Status c = CollectScratch(s.box_scratch.get(), s.box_entries, r.collect_dir); !c.ok()) {
      return fail(c);
    }
  }
  return result;
}

Status WarmBox::Finish(std::unique_ptr<Box> box) {
  if (!box) return Status::Ok();
  box->go.reset();  // unused: the init leaves; used: it has left or leaves after its report
  int pidfd = box->init.pidfd.get();
  pollfd p = {pidfd, POLLIN, 0};
  int ready;
  do {
    ready = ::poll(&p, 1, kExitGraceMs);
  } while (ready < 0 && errno == EINTR);
  if (ready == 0) KillBox(box->s, pidfd, box_id_);
  siginfo_t info{};
  ::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd), &info, WEXITED | __WALL);
  NOJ_RETURN_IF_ERROR(EnsureBoxGone(box->s, box_id_));
  if (box->s.cgroups) {
    if (Status removed = box->s.cgroups->Remove(); !removed.ok()) {
      return Status(removed.code(), "removing the box cgroups: " + removed.message());
    }
  }
  return Status::Ok();
}

Status WarmBox::FinishPending() {
  while (!pending_.empty()) {
    std::unique_ptr<Box> box = std::move(pending_.front());
    pending_.erase(pending_.begin());
    if (Status st = Finish(std::move(box)); !st.ok()) {
      return Status(st.code(), "a previous run's box: " + st.message());
    }
  }
  return Status::Ok();
}

RunResult WarmBox::Run(const RunRequest& r) {
  int64_t start_ns = MonotonicNowNs();
  if (!broken_.ok()) return SandboxError(broken_.message());
  if (prepared_ && prepared_->key != KeyOf(r)) {
    if (Status st = Finish(std::move(prepared_)); !st.ok()) {
      broken_ = Status(st.code(), "a prepared box: " + st.message());
      return SandboxError(broken_.message());
    }
  }
  if (!prepared_) {
    // Prepared on this run's clock: the previous run's box goes first (cgroup names alternate).
    if (Status st = FinishPending(); !st.ok()) {
      broken_ = st;
      return SandboxError(broken_.message());
    }
    auto box = std::make_unique<Box>();
    if (Status st = Prepare(r, *box); !st.ok()) {
      // ProbeBox fills the protections line even when it refused the tier.
      return SandboxError(st.message(), box->s.protections_text);
    }
    prepared_ = std::move(box);
  }
  std::unique_ptr<Box> box = std::move(prepared_);
  RunResult result = Go(r, *box, start_ns);
  pending_.push_back(std::move(box));
  last_ = r;
  return result;
}

Status WarmBox::AfterRun() {
  NOJ_RETURN_IF_ERROR(broken_);
  NOJ_RETURN_IF_ERROR(FinishPending());
  if (prepared_) return Status::Ok();
  if (last_) {
    // A failure here is not the caller's: the next Run prepares again and answers SE if it must.
    auto box = std::make_unique<Box>();
    if (Prepare(*last_, *box).ok()) prepared_ = std::move(box);
  }
  return Status::Ok();
}

Status WarmBox::Shutdown() {
  Status first = FinishPending();
  Status second = Finish(std::move(prepared_));
  return first.ok() ? second : first;
}

}  // namespace noj::sandbox::linux_impl

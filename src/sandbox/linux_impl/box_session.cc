#include "sandbox/linux_impl/box_session.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "sandbox/linux_impl/box_rlimits.h"
#include "sandbox/linux_impl/cgroup_layout.h"
#include "sandbox/linux_impl/landlock_scope.h"
#include "sandbox/linux_impl/scratch_fs.h"
#include "sandbox/linux_impl/state_dir.h"
#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {
namespace {

constexpr int kLandlockScopeAbi = 6;
constexpr char kHostname[] = "noj-box";
// The program process runs RunProgram() on it until execve: a few hundred bytes of frames.
constexpr size_t kProgramStackSize = 32 * 1024;

void Note(BoxSession& s, const std::string& what, const Status& why) {
  s.notes += (s.notes.empty() ? "" : "; ") + what + ": " + why.message();
}

void ProbeCgroups(const RunRequest& r, BoxSession& s, const std::string& instance) {
  Result<CgroupLayout> layout = DiscoverCgroupLayout();
  if (!layout.ok()) {
    Note(s, "cgroups", layout.status());
    return;
  }
  // +1: the box's init lives in the box cgroups too but is not the program's to spend.
  BoxCgroupSpec spec{r.box_id, r.limits.memory_kib * 1024, r.limits.max_processes + 1,
                     r.cgroup_parent, instance};
  s.cgroups = BoxCgroups::Create(*layout, spec);
  if (!s.cgroups->notes().empty()) s.notes += (s.notes.empty() ? "" : "; ") + s.cgroups->notes();
  s.facts.memory = s.cgroups->memory();
  s.facts.pids = s.cgroups->pids();
  s.facts.cpu = s.cgroups->cpu();
  s.facts.cgroup_kill = s.cgroups->can_kill();
}

void FillProgramPlan(const RunRequest& r, BoxSession& s) {
  ProgramPlan& p = s.init_plan.program;
  for (const RlimitSetting& rl : ComputeRlimits(r.limits, s.protections)) {
    if (p.rlimit_count < ProgramPlan::kMaxRlimits) p.rlimits[p.rlimit_count++] = rl;
  }
  p.stdin_fd = s.files.stdin_fd.get();
  p.stdout_fd = s.files.stdout_fd.get();
  p.stderr_fd = s.files.stderr_fd.get();
  p.report_fd = s.report_write.get();
  p.landlock_fd = s.protections.landlock_scope ? s.landlock.get() : -1;
  p.switch_uid = s.protections.dedicated_uid;
  p.uid = static_cast<uid_t>(BoxUid(r.box_id));
  p.gid = static_cast<gid_t>(BoxUid(r.box_id));
  p.seccomp = s.protections.seccomp ? s.seccomp->fprog() : nullptr;
  // Without a mount namespace /box does not exist: run in the box dir itself.
  p.workdir = s.protections.namespaces ? "/box" : r.box_dir.c_str();
  p.argv = s.argv->get();
  p.envp = s.envp->get();
  p.path = p.argv[0];
}

}  // namespace

// Each entry is a mount in the box: a package has far fewer.
constexpr size_t kMaxBoxEntries = 1024;

// /tmp always, /box in scratch mode: tmpfs instances the init attaches in the box.
Status MakeScratches(const RunRequest& r, BoxSession& s) {
  ScratchSpec tmp{EffectiveTmpKib(r.limits), r.limits.inodes, 01777, 0, 0};
  NOJ_ASSIGN_OR_RETURN(s.tmp_scratch, MakeScratch(tmp));
  if (r.box_mode != BoxMode::kScratch) return Status::Ok();
  NOJ_ASSIGN_OR_RETURN(s.box_entries, ListDirAt(s.files.box_dir.get()));
  if (s.box_entries.size() > kMaxBoxEntries) {
    return Status(ErrorCode::kInvalidArgument,
                  "the box dir holds more than " + std::to_string(kMaxBoxEntries) + " entries");
  }
  // Owned by the box uid: the program may create files in its working directory.
  uid_t owner = s.protections.dedicated_uid ? static_cast<uid_t>(BoxUid(r.box_id)) : ::getuid();
  ScratchSpec box{EffectiveBoxKib(r.limits), r.limits.inodes, 0755, owner, owner};
  NOJ_ASSIGN_OR_RETURN(s.box_scratch, MakeScratch(box));
  return Status::Ok();
}

Status ProbeBox(const RunRequest& r, const HostProbe& host, BoxSession& s,
                const std::string& cgroup_instance) {
  s.facts.root = host.root;
  s.facts.namespaces = host.namespaces;
  ProbeCgroups(r, s, cgroup_instance);
  if (host.seccomp) {
    s.seccomp.emplace(SeccompProgram::Prebuilt());
    s.facts.seccomp = true;
  } else {
    Note(s, "seccomp", Status(ErrorCode::kUnavailable, "not supported by the kernel"));
  }
  if (host.landlock_abi >= kLandlockScopeAbi) {
    Result<UniqueFd> ruleset = CreateScopeRuleset();
    if (ruleset.ok()) {
      s.landlock = std::move(*ruleset);
      s.facts.landlock_scope = true;
    } else {
      Note(s, "landlock", ruleset.status());
    }
  }
  TierOptions everything{{}, true};
  s.protections_text = SelectProtections(s.facts, everything)->ToString();
  TierOptions asked{r.require, r.insecure};
  NOJ_ASSIGN_OR_RETURN(s.protections, SelectProtections(s.facts, asked));
  return Status::Ok();
}

Status PrepareBox(const RunRequest& r, BoxSession& s) {
  NOJ_ASSIGN_OR_RETURN(s.files, OpenBoxFiles(r));
  // Only a writable box dir is the program's to write; the others stay the caller's.
  if (s.protections.dedicated_uid && r.box_mode == BoxMode::kWritable) {
    NOJ_RETURN_IF_ERROR(ChownBoxDir(s.files, r.box_id));
  }
  if (s.protections.namespaces) {
    NOJ_RETURN_IF_ERROR(EnsureStateDir());
    NOJ_RETURN_IF_ERROR(MakeScratches(r, s));
    // By path: an fd of ours names a mount of the host's namespace, which the box's new
    // mount namespace cannot bind from.
    RootfsSpec spec{r.box_dir,           r.box_mode,          s.box_entries,
                    s.box_scratch.get(), s.tmp_scratch.get(), r.ro_binds};
    NOJ_ASSIGN_OR_RETURN(MountPlan plan, MountPlan::Build(spec));
    s.mounts.emplace(std::move(plan));
  } else if (r.box_mode != BoxMode::kWritable) {
    // Without a mount namespace the program would work in the box dir itself.
    return Status(ErrorCode::kFailedPrecondition,
                  "a read-only or scratch box needs mount namespaces (not available here)");
  }
  s.argv = std::make_unique<CStringArray>(r.argv);
  s.envp = std::make_unique<CStringArray>(ProgramEnvironment(r.env));
  NOJ_RETURN_IF_ERROR(MakePipe(s.report_read, s.report_write));
  if (::fcntl(s.report_read.get(), F_SETFL, O_NONBLOCK) != 0) {
    return ErrnoStatus("fcntl O_NONBLOCK", errno);
  }
  NOJ_RETURN_IF_ERROR(MakePipe(s.lifeline_read, s.lifeline_write));

  InitPlan& init = s.init_plan;
  init.mounts = s.mounts ? s.mounts->steps() : nullptr;
  init.mount_count = s.mounts ? s.mounts->size() : 0;
  init.hostname = s.protections.namespaces ? kHostname : nullptr;
  init.pid_namespace = s.protections.namespaces;
  init.lifeline_fd = s.lifeline_read.get();
  init.lifeline_write_fd = s.lifeline_write.get();
  s.program_stack = std::make_unique_for_overwrite<char[]>(kProgramStackSize);
  init.program_stack = s.program_stack.get();
  init.program_stack_size = kProgramStackSize;
  init.report_fd = s.report_write.get();
  std::vector<int> procs = s.cgroups ? s.cgroups->V1JoinFds() : std::vector<int>{};
  for (int fd : procs) {
    if (init.cgroup_count < InitPlan::kMaxCgroups) init.cgroup_procs_fds[init.cgroup_count++] = fd;
  }
  FillProgramPlan(r, s);
  return Status::Ok();
}

}  // namespace noj::sandbox::linux_impl

#include "sandbox/linux_impl/kernel_floor.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstdio>

#include "sandbox/linux_impl/cgroup_dir.h"
#include "sandbox/linux_impl/cgroup_layout.h"
#include "sandbox/linux_impl/landlock_scope.h"

namespace noj::sandbox::linux_impl {
namespace {

constexpr int kLandlockScopeAbi = 6;

int Index(FloorFeature f) { return static_cast<int>(f); }

// What one syscall answered; errno read right after it returned.
struct Answer {
  long rc;
  int err;
};
Answer Ask(long rc) { return {rc, rc < 0 ? errno : 0}; }

// Missing when the kernel does not know the syscall (ENOSYS) or answers `too_old` (the errno an
// older kernel gives to the newer arguments; 0 for none). Any other error (EPERM as non-root,
// EBADF for the fd we passed) means the kernel got past its checks.
bool Knows(Answer a, int too_old = 0) {
  return a.rc >= 0 || (a.err != ENOSYS && (too_old == 0 || a.err != too_old));
}

// clone3 with CLONE_INTO_CGROUP and a cgroup fd above INT_MAX: 5.7+ refuses the fd (EINVAL);
// 5.3-5.6 do not know the `cgroup` field and, seeing it non-zero, answer E2BIG; before, ENOSYS.
// No process is ever created.
void ProbeClone3(FloorAnswers& a) {
  clone_args args{};
  static_assert(sizeof args == CLONE_ARGS_SIZE_VER2, "the probe relies on the 5.7 layout");
  args.flags = CLONE_INTO_CGROUP;
  args.cgroup = UINT64_MAX;
  Answer answer = Ask(::syscall(SYS_clone3, &args, sizeof args));
  if (answer.rc == 0) ::_exit(0);  // cannot happen (see above); never let a child run on
  if (answer.rc > 0) ::waitpid(static_cast<pid_t>(answer.rc), nullptr, __WALL);
  a.present[Index(FloorFeature::kClone3)] = Knows(answer);
  a.present[Index(FloorFeature::kCloneIntoCgroup)] = Knows(answer, E2BIG);
}

void ProbeSyscalls(FloorAnswers& a) {
  // EFAULT reading the null program once the flag is known, EINVAL before.
  Answer seccomp =
      Ask(::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_SPEC_ALLOW, nullptr));
  a.present[Index(FloorFeature::kSeccompSpecAllow)] = Knows(seccomp, EINVAL);
  a.present[Index(FloorFeature::kPidfdSendSignal)] =
      Knows(Ask(::syscall(SYS_pidfd_send_signal, -1, 0, nullptr, 0)));
  // The four calls scratch_fs.cc makes, each with invalid flags or fds: refused, never run.
  a.present[Index(FloorFeature::kMountApi)] =
      Knows(Ask(::syscall(SYS_fsopen, nullptr, ~0U))) &&
      Knows(Ask(::syscall(SYS_fsconfig, -1, ~0U, nullptr, nullptr, 0))) &&
      Knows(Ask(::syscall(SYS_fsmount, -1, ~0U, 0))) &&
      Knows(Ask(::syscall(SYS_move_mount, -1, nullptr, -1, nullptr, ~0U)));
  ProbeClone3(a);
  siginfo_t info{};  // an fd number never open: EBADF once P_PIDFD is known, EINVAL before
  a.present[Index(FloorFeature::kWaitidPidfd)] = Knows(
      Ask(::waitid(static_cast<idtype_t>(P_PIDFD), INT_MAX, &info, WEXITED | WNOHANG)), EINVAL);
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
  Answer opened = Ask(::syscall(SYS_openat2, AT_FDCWD, ".", &how, sizeof how));
  if (opened.rc >= 0) ::close(static_cast<int>(opened.rc));
  a.present[Index(FloorFeature::kOpenat2)] = Knows(opened);
  // Closes fd 2^32-1, which is never open.
  a.present[Index(FloorFeature::kCloseRange)] = Knows(Ask(::syscall(SYS_close_range, ~0U, ~0U, 0)));
  a.present[Index(FloorFeature::kLandlockScope)] = LandlockAbiVersion() >= kLandlockScopeAbi;
}

// cgroup.kill exists in every non-root cgroup of the unified hierarchy since 5.14. In the root
// (hybrid hosts often leave us there) a throwaway child shows it; when that cannot be made
// (not root), the release decides.
bool ProbeCgroupKill(const std::string& release) {
  Result<CgroupLayout> layout = DiscoverCgroupLayout();
  if (!layout.ok() || layout->v2_mount.empty()) return false;  // no unified hierarchy
  std::string own_kill = layout->v2_own + "/cgroup.kill";
  if (::access(own_kill.c_str(), F_OK) == 0) return true;
  if (layout->v2_own != layout->v2_mount) return false;  // a non-root cgroup without it
  // "noj-box-" + "-<pid>": swept like a box's leftovers (SweepStaleBoxCgroups) if we die here.
  std::string prefix = "noj-box-floor-";
  Result<CgroupDir> dir =
      CgroupDir::Create(layout->v2_own, prefix + std::to_string(::getpid()), prefix);
  if (!dir.ok()) return ReleaseAtLeast(release, "5.14");
  return dir->HasFile("cgroup.kill");  // the directory is removed on return
}

}  // namespace

const std::array<FloorFeatureInfo, kFloorFeatureCount>& FloorFeatures() {
  static const std::array<FloorFeatureInfo, kFloorFeatureCount> kTable = {{
      {FloorFeature::kSeccompSpecAllow, "seccomp SPEC_ALLOW", "4.17",
       "the box's syscall filter (SECCOMP_FILTER_FLAG_SPEC_ALLOW)"},
      {FloorFeature::kPidfdSendSignal, "pidfd_send_signal", "5.1",
       "killing the box's init without pid reuse races"},
      {FloorFeature::kMountApi, "mount API", "5.2",
       "the scratch tmpfs of a box (fsopen, fsconfig, fsmount, move_mount)"},
      {FloorFeature::kClone3, "clone3", "5.3", "starting the box's init (clone3, CLONE_PIDFD)"},
      {FloorFeature::kWaitidPidfd, "waitid P_PIDFD", "5.4", "reaping the box's init by pidfd"},
      {FloorFeature::kOpenat2, "openat2", "5.6",
       "copying files out of a box (RESOLVE_BENEATH, no symlinks, no magic links)"},
      {FloorFeature::kCloneIntoCgroup, "CLONE_INTO_CGROUP", "5.7",
       "starting the box's init inside its v2 cgroup"},
      {FloorFeature::kCloseRange, "close_range", "5.9", "closing every inherited fd in the box"},
      {FloorFeature::kCgroupKill, "cgroup.kill", "5.14",
       "killing all that is left in a box at once (unified hierarchy)"},
      {FloorFeature::kLandlockScope, "Landlock scope", "6.12",
       "Landlock ABI 6: no abstract unix sockets or signals out of the box"},
  }};
  return kTable;
}

std::vector<std::string> MissingFloorFeatures(const FloorAnswers& answers) {
  std::vector<std::string> missing;
  for (const FloorFeatureInfo& f : FloorFeatures()) {
    if (!answers.present[Index(f.feature)])
      missing.push_back(std::string(f.name) + " (Linux " + f.since + "+)");
  }
  return missing;
}

Status CheckKernelFloor(const FloorAnswers& answers) {
  std::vector<std::string> missing = MissingFloorFeatures(answers);
  if (missing.empty()) return Status();
  std::string list;
  for (const std::string& m : missing) list += (list.empty() ? "" : ", ") + m;
  return Status(ErrorCode::kFailedPrecondition,
                "kernel floor not met (running " + answers.release + "): missing " + list);
}

std::string KernelFloorLine(const FloorAnswers& answers) {
  std::vector<std::string> missing = MissingFloorFeatures(answers);
  std::string line = "kernel: " + answers.release + ", floor Linux " + kFloorRelease;
  if (missing.empty())
    return line + " met (" + std::to_string(kFloorFeatureCount) + " features checked)";
  line += " not met, missing:";
  for (size_t i = 0; i < missing.size(); ++i) line += (i == 0 ? " " : ", ") + missing[i];
  return line;
}

bool ReleaseAtLeast(const std::string& release, const std::string& major_minor) {
  int have_major = 0, have_minor = 0, want_major = 0, want_minor = 0;
  if (std::sscanf(release.c_str(), "%d.%d", &have_major, &have_minor) != 2) return false;
  if (std::sscanf(major_minor.c_str(), "%d.%d", &want_major, &want_minor) != 2) return false;
  return have_major != want_major ? have_major > want_major : have_minor >= want_minor;
}

FloorAnswers ProbeKernelFloor() {
  FloorAnswers a;
  utsname u{};
  a.release = ::uname(&u) == 0 ? u.release : "unknown";
  ProbeSyscalls(a);
  a.present[Index(FloorFeature::kCgroupKill)] = ProbeCgroupKill(a.release);
  return a;
}

}  // namespace noj::sandbox::linux_impl

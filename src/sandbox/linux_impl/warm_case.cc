#include "sandbox/linux_impl/warm_case.h"

// <linux/mount.h> only (MS_* for the plan): glibc 2.36's <sys/mount.h> redefines its constants.
#include <fcntl.h>
#include <linux/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "sandbox/linux_impl/box_rlimits.h"
#include "sandbox/linux_impl/exec_args.h"
#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {
namespace {

constexpr unsigned long kSafe = MS_NOSUID | MS_NODEV;

Status ArenaFull() {
  return Status(ErrorCode::kResourceExhausted, "the run's plan does not fit the warm box's arena");
}

}  // namespace

// The case's plan, in the arena: attach /tmp, /box and the box dir's copy, bind each entry
// read-only into /box (as a one-shot scratch box does, mount_plan.cc AddBox), detach the copy;
// then the program, as box_session.cc's FillProgramPlan, with argv and env copied in.
Status WriteWarmCase(const RunRequest& r, const BoxSession& s, int report_write_fd,
                     SharedArena& arena, WarmCase& out) {
  arena.Reset();
  std::vector<MountStep> steps;
  auto attach = [&steps](int which, const char* target) {
    MountStep step{MountStep::Kind::kAttach, nullptr, target};
    step.fd = kGoFdBase + which;
    steps.push_back(step);
  };
  attach(kGoTmp, "/tmp");
  attach(kGoBox, "/box");
  attach(kGoBoxSource, kWarmBoxSource);
  for (const std::string& name : s.box_entries) {
    struct stat st;
    if (::fstatat(s.files.box_dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    MountStep::Kind make;
    if (S_ISDIR(st.st_mode)) {
      make = MountStep::Kind::kMkdir;
    } else if (S_ISREG(st.st_mode)) {
      make = MountStep::Kind::kTouch;
    } else {
      continue;  // links and the like: a bind would follow them
    }
    const char* target = arena.Copy("/box/" + name);
    const char* source = arena.Copy(std::string(kWarmBoxSource) + "/" + name);
    if (target == nullptr || source == nullptr) return ArenaFull();
    steps.push_back({make, nullptr, target});
    steps.push_back({MountStep::Kind::kMount, source, target, nullptr, MS_BIND});
    steps.push_back({MountStep::Kind::kMount, nullptr, target, nullptr,
                     MS_BIND | MS_REMOUNT | MS_RDONLY | kSafe});
  }
  steps.push_back({MountStep::Kind::kDetach, nullptr, kWarmBoxSource});
  MountStep* mounts = arena.New<MountStep>(steps.size());
  ProgramPlan* p = arena.New<ProgramPlan>();
  if (mounts == nullptr || p == nullptr) return ArenaFull();
  std::copy(steps.begin(), steps.end(), mounts);

  for (const RlimitSetting& rl : ComputeRlimits(r.limits, s.protections)) {
    if (p->rlimit_count < ProgramPlan::kMaxRlimits) p->rlimits[p->rlimit_count++] = rl;
  }
  p->stdin_fd = kGoFdBase + kGoStdin;
  p->stdout_fd = kGoFdBase + kGoStdout;
  p->stderr_fd = kGoFdBase + kGoStderr;
  p->report_fd = report_write_fd;
  p->landlock_fd = s.protections.landlock_scope ? s.landlock.get() : -1;
  p->switch_uid = s.protections.dedicated_uid;
  p->uid = static_cast<uid_t>(BoxUid(r.box_id));
  p->gid = static_cast<gid_t>(BoxUid(r.box_id));
  // The filter lives in the session, made before the init was cloned: the init's copy of our
  // memory holds it at the same address.
  p->seccomp = s.protections.seccomp ? s.seccomp->fprog() : nullptr;
  p->workdir = "/box";
  p->argv = arena.CopyArray(r.argv);
  p->envp = arena.CopyArray(ProgramEnvironment(r.env));
  if (p->argv == nullptr || p->envp == nullptr) return ArenaFull();
  p->path = p->argv[0];
  out.mounts = mounts;
  out.mount_count = steps.size();
  out.program = p;
  return Status::Ok();
}

Status SendGo(int go_fd, const BoxSession& s, int box_source_fd) {
  int fds[kGoFdCount];
  fds[kGoStdin] = s.files.stdin_fd.get();
  fds[kGoStdout] = s.files.stdout_fd.get();
  fds[kGoStderr] = s.files.stderr_fd.get();
  fds[kGoTmp] = s.tmp_scratch.get();
  fds[kGoBox] = s.box_scratch.get();
  fds[kGoBoxSource] = box_source_fd;
  char byte = 'g';
  iovec iov = {&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof fds)] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof fds);
  std::memcpy(CMSG_DATA(c), fds, sizeof fds);
  ssize_t n;
  do {
    n = ::sendmsg(go_fd, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  // EPIPE: the init died while it was being prepared; its report (if any) says why.
  if (n != 1) return ErrnoStatus("sending the case to the warm box's init", errno);
  return Status::Ok();
}

}  // namespace noj::sandbox::linux_impl

#include "sandbox/linux_impl/seccomp_compiler.h"

#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "sandbox/linux_impl/sys_util.h"
#include "sandbox/linux_impl/unique_fd.h"

namespace noj::sandbox::linux_impl {
namespace {

// Denied outright. Names unknown to this libseccomp are skipped (the kernel is then older
// than the library's table and lacks them too, or they are blocked by ABI checks).
constexpr const char* kDenied[] = {
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "process_madvise",
    "pidfd_getfd",
    "kcmp",
    "mount",
    "umount",
    "umount2",
    "pivot_root",
    "chroot",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "move_mount",
    "open_tree",
    "mount_setattr",
    "unshare",
    "setns",
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "userfaultfd",
    "init_module",
    "finit_module",
    "delete_module",
    "acct",
    "swapon",
    "swapoff",
    "quotactl",
    "quotactl_fd",
    "open_by_handle_at",
    "name_to_handle_at",
    "lookup_dcookie",
    "vhangup",
    "nfsservctl",
    "uselib",
    "fanotify_init",
    "syslog",
};

constexpr uint64_t kNamespaceFlags[] = {CLONE_NEWNS,   CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
                                        CLONE_NEWUSER, CLONE_NEWPID,    CLONE_NEWNET};

struct CtxDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};

Status Check(int rc, const char* what) {
  if (rc < 0) return ErrnoStatus(std::string("seccomp ") + what, -rc);
  return Status::Ok();
}

Status AddRules(scmp_filter_ctx ctx) {
  const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
  for (const char* name : kDenied) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;
    NOJ_RETURN_IF_ERROR(Check(seccomp_rule_add(ctx, eperm, nr, 0), name));
  }
  NOJ_RETURN_IF_ERROR(
      Check(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0), "clone3"));
  for (uint64_t flag : kNamespaceFlags) {
    NOJ_RETURN_IF_ERROR(Check(
        seccomp_rule_add(ctx, eperm, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag)),
        "clone"));
  }
  NOJ_RETURN_IF_ERROR(Check(
      seccomp_rule_add(ctx, eperm, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_NE, AF_UNIX)), "socket"));
  NOJ_RETURN_IF_ERROR(
      Check(seccomp_rule_add(ctx, eperm, SCMP_SYS(socketpair), 1, SCMP_A0(SCMP_CMP_NE, AF_UNIX)),
            "socketpair"));
  return Status::Ok();
}

// libseccomp 2.5 exports only to a file descriptor; a memfd keeps it off the filesystem.
Result<std::vector<sock_filter>> Export(scmp_filter_ctx ctx) {
  UniqueFd fd(static_cast<int>(::syscall(SYS_memfd_create, "noj-seccomp", MFD_CLOEXEC)));
  if (!fd) return ErrnoStatus("memfd_create", errno);
  NOJ_RETURN_IF_ERROR(Check(seccomp_export_bpf(ctx, fd.get()), "export"));
  NOJ_ASSIGN_OR_RETURN(std::string bytes, PreadAll(fd.get()));
  if (bytes.empty() || bytes.size() % sizeof(sock_filter) != 0) {
    return Status(ErrorCode::kInternal, "seccomp export produced a malformed program");
  }
  std::vector<sock_filter> insns(bytes.size() / sizeof(sock_filter));
  std::memcpy(insns.data(), bytes.data(), bytes.size());
  return insns;
}

}  // namespace

Result<std::vector<sock_filter>> CompileSeccompFilter() {
  std::unique_ptr<void, CtxDeleter> ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) return Status(ErrorCode::kUnavailable, "seccomp_init failed");
  // Foreign ABIs (i386 via int 0x80, x32) are not added as architectures: they hit this.
  NOJ_RETURN_IF_ERROR(Check(
      seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(EPERM)), "badarch"));
  NOJ_RETURN_IF_ERROR(AddRules(ctx.get()));
  return Export(ctx.get());
}

}  // namespace noj::sandbox::linux_impl

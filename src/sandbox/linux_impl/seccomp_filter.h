#pragma once
// The box's seccomp filter as classic BPF, loaded by the program with one raw seccomp() call.
// It is compiled by libseccomp at build time (seccomp_compiler.h, run by the
// noj_seccomp_bpf_gen tool) and embedded: compiling it per run cost ~0.15-0.25 ms here, and
// noj-sandbox then needs no libseccomp at all.
//
// Default allow; EPERM for the deny list of docs/sandbox.md: socket families other than
// AF_UNIX, ptrace and process_vm_*, mount API, namespaces (unshare, setns, clone with
// CLONE_NEW*), keyctl, bpf, perf_event_open, kexec, reboot, io_uring_*, userfaultfd, module
// loading, and every call of a foreign ABI (i386 int 0x80, x32). clone3 gets ENOSYS: its flags
// live in memory BPF cannot read, and libc then falls back to clone(), which is checked.

#include <linux/filter.h>

#include <vector>

#include "common/status.h"

namespace noj::sandbox::linux_impl {

class SeccompProgram {
 public:
  // The embedded program.
  static SeccompProgram Prebuilt();

  SeccompProgram(SeccompProgram&& other) noexcept : insns_(std::move(other.insns_)) { Point(); }
  SeccompProgram& operator=(SeccompProgram&&) = delete;
  SeccompProgram(const SeccompProgram&) = delete;

  // Stable for the lifetime of this object; what the child passes to seccomp().
  const sock_fprog* fprog() const { return &fprog_; }
  size_t size() const { return insns_.size(); }
  const std::vector<sock_filter>& instructions() const { return insns_; }

 private:
  explicit SeccompProgram(std::vector<sock_filter> insns) : insns_(std::move(insns)) { Point(); }
  void Point() {
    fprog_.len = static_cast<unsigned short>(insns_.size());
    fprog_.filter = insns_.data();
  }

  std::vector<sock_filter> insns_;
  sock_fprog fprog_{};
};

// Async-signal-safe: installs `program` on the calling thread. Asks the kernel not to force
// speculative-store-bypass mitigation on the box (slows programs on older kernels), retrying
// without that flag where it is unknown. Returns 0 or an errno value.
int LoadSeccomp(const sock_fprog* program);

}  // namespace noj::sandbox::linux_impl

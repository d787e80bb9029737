#include "sandbox/linux_impl/seccomp_filter.h"

#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <iterator>

namespace noj::sandbox::linux_impl {
namespace {

// Generated at build time by noj_seccomp_bpf_gen from seccomp_compiler.cc.
constexpr sock_filter kPrebuilt[] = {
#include "seccomp_bpf.inc"
};

}  // namespace

SeccompProgram SeccompProgram::Prebuilt() {
  return SeccompProgram(std::vector<sock_filter>(std::begin(kPrebuilt), std::end(kPrebuilt)));
}

int LoadSeccomp(const sock_fprog* program) {
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_SPEC_ALLOW, program) ==
      0) {
    return 0;
  }
  if (errno != EINVAL) return errno;
  if (::syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, program) == 0) return 0;
  return errno;
}

}  // namespace noj::sandbox::linux_impl

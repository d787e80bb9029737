#include "sandbox/linux_impl/host_probe.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sandbox/linux_impl/landlock_scope.h"

namespace noj::sandbox::linux_impl {
namespace {

bool HasCapabilities() {
  __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capget, &header, data) != 0) return false;
  auto has = [&data](int cap) { return (data[cap / 32].effective >> (cap % 32)) & 1U; };
  return has(CAP_SYS_ADMIN) && has(CAP_SETUID) && has(CAP_SETGID);
}

}  // namespace

HostProbe ProbeHost() {
  HostProbe p;
  p.root = ::geteuid() == 0 && HasCapabilities();
  // Every kernel these hosts run has the five namespaces; a host without them fails the
  // clone (SE) and `--probe` reports it.
  p.namespaces = p.root;
  p.seccomp = ::prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0;
  p.landlock_abi = LandlockAbiVersion();
  return p;
}

}  // namespace noj::sandbox::linux_impl

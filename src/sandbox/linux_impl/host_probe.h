#pragma once
// Cheap facts about this host and process, checked at the start of every run (no side
// effects, a handful of syscalls). Cgroups are probed by creating the box's own cgroups
// (box_cgroups.h); --probe additionally tries a real box (jail_sandbox.h).

namespace noj::sandbox::linux_impl {

struct HostProbe {
  bool root = false;        // euid 0 with CAP_SYS_ADMIN, CAP_SETUID, CAP_SETGID effective
  bool namespaces = false;  // root (pid, mnt, net, ipc, uts namespaces are then assumed)
  bool seccomp = false;     // the kernel supports seccomp
  int landlock_abi = 0;
};

HostProbe ProbeHost();

}  // namespace noj::sandbox::linux_impl

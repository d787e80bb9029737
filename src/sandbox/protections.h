#pragma once
// Which confinement mechanisms a run actually uses, and the one-line text form printed with
// every result:
//   cgroup-mem=v1 cgroup-pids=v1 cgroup-cpu=v2 kill=cgroup ns=pid,mnt,net,ipc,uts
//   seccomp=yes landlock=scope uid=dedicated
// (every box gets namespaces of its own, the net namespace included: docs/sandbox.md)

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace noj::sandbox {

enum class CgroupVersion { kNone, kV1, kV2 };

// How the supervisor makes sure nothing of the box survives.
enum class KillMechanism {
  kCgroupKill,    // cgroup v2 cgroup.kill (atomic, catches everything in the cgroup)
  kPidNamespace,  // SIGKILL to the box's PID 1: the kernel kills the whole namespace
  kUidSweep,      // kill every process of the dedicated uid until none is left
};

struct Protections {
  CgroupVersion memory = CgroupVersion::kNone;
  CgroupVersion pids = CgroupVersion::kNone;
  CgroupVersion cpu = CgroupVersion::kNone;
  KillMechanism kill = KillMechanism::kUidSweep;
  bool namespaces = false;  // new pid, mnt, net, ipc, uts for every run (one clone)
  bool seccomp = false;
  bool landlock_scope = false;  // abstract unix sockets and signals scoped to the box
  bool dedicated_uid = false;   // program runs as kBoxUidBase + box id

  std::string ToString() const;
};

// Names accepted by --require, each true when the matching protection is active:
//   cgroup-mem, cgroup-pids, cgroup-cpu, cgroup-kill, ns, seccomp, landlock, uid
bool HasProtection(const Protections& p, std::string_view name);
bool IsKnownProtectionName(std::string_view name);

// Splits "a,b,c" (empty items ignored).
std::vector<std::string> SplitList(std::string_view list);

}  // namespace noj::sandbox

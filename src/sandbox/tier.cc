#include "sandbox/tier.h"

namespace noj::sandbox {

Result<Protections> SelectProtections(const ProbeFacts& f, const TierOptions& o) {
  for (const std::string& name : o.require) {
    if (!IsKnownProtectionName(name)) {
      return Status(ErrorCode::kInvalidArgument, "unknown protection '" + name +
                                                     "' in --require (known: cgroup-mem, "
                                                     "cgroup-pids, cgroup-cpu, cgroup-kill, ns, "
                                                     "seccomp, landlock, uid)");
    }
  }
  Protections p;
  p.memory = f.memory;
  p.pids = f.pids;
  p.cpu = f.cpu;
  p.seccomp = f.seccomp;
  p.landlock_scope = f.landlock_scope;
  p.dedicated_uid = f.root;
  p.namespaces = f.root && f.namespaces;
  if (f.cgroup_kill) {
    p.kill = KillMechanism::kCgroupKill;
  } else if (p.namespaces) {
    p.kill = KillMechanism::kPidNamespace;
  } else {
    p.kill = KillMechanism::kUidSweep;
  }

  std::string missing;
  for (const std::string& name : o.require) {
    if (!HasProtection(p, name)) missing += (missing.empty() ? "" : ",") + name;
  }
  if (!missing.empty()) {
    return Status(ErrorCode::kFailedPrecondition,
                  "required protection missing: " + missing + " (active: " + p.ToString() + ")");
  }
  if (o.insecure) return p;
  if (!p.dedicated_uid) {
    return Status(ErrorCode::kFailedPrecondition,
                  "refusing to run: not root, the program would run under the caller's uid "
                  "(pass --insecure to run anyway)");
  }
  bool any_cgroup = p.memory != CgroupVersion::kNone || p.pids != CgroupVersion::kNone;
  if (!p.namespaces && !any_cgroup) {
    return Status(ErrorCode::kFailedPrecondition,
                  "refusing to run: neither namespaces nor cgroups work, only rlimits would "
                  "confine the program (pass --insecure to run anyway)");
  }
  return p;
}

}  // namespace noj::sandbox

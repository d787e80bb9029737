#pragma once
// Tier selection: from what the probe found working, the strongest set of protections, or a
// refusal. Pure logic, so every combination is unit-tested without the kernel.

#include <string>
#include <vector>

#include "common/status.h"
#include "sandbox/protections.h"
#include "sandbox/run_request.h"

namespace noj::sandbox {

// What works on this host for this run (see linux_impl/probe.h).
struct ProbeFacts {
  bool root = false;        // may mount, create namespaces and switch to the box uid
  bool namespaces = false;  // pid+mnt+net+ipc+uts namespaces can be created
  CgroupVersion memory = CgroupVersion::kNone;
  CgroupVersion pids = CgroupVersion::kNone;
  CgroupVersion cpu = CgroupVersion::kNone;
  bool cgroup_kill = false;
  bool seccomp = false;
  bool landlock_scope = false;  // Landlock ABI >= 6 (abstract unix socket + signal scoping)
};

struct TierOptions {
  std::vector<std::string> require;
  bool insecure = false;
};

// kInvalidArgument: an unknown name in `require`.
// kFailedPrecondition: a required protection is missing, or the best tier is too weak to run
// hostile code (program under the caller's uid, or nothing but rlimits) and !insecure.
Result<Protections> SelectProtections(const ProbeFacts& facts, const TierOptions& options);

}  // namespace noj::sandbox

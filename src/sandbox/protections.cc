#include "sandbox/protections.h"

namespace noj::sandbox {
namespace {

const char* VersionName(CgroupVersion v) {
  switch (v) {
    case CgroupVersion::kNone:
      return "none";
    case CgroupVersion::kV1:
      return "v1";
    case CgroupVersion::kV2:
      return "v2";
  }
  return "none";
}

const char* KillName(KillMechanism k) {
  switch (k) {
    case KillMechanism::kCgroupKill:
      return "cgroup";
    case KillMechanism::kPidNamespace:
      return "pidns";
    case KillMechanism::kUidSweep:
      return "uid-sweep";
  }
  return "uid-sweep";
}

constexpr std::string_view kNames[] = {"cgroup-mem", "cgroup-pids", "cgroup-cpu", "cgroup-kill",
                                       "ns",         "seccomp",     "landlock",   "uid"};

}  // namespace

std::string Protections::ToString() const {
  std::string s;
  s += std::string("cgroup-mem=") + VersionName(memory);
  s += std::string(" cgroup-pids=") + VersionName(pids);
  s += std::string(" cgroup-cpu=") + VersionName(cpu);
  s += std::string(" kill=") + KillName(kill);
  s += namespaces ? " ns=pid,mnt,net,ipc,uts" : " ns=none";
  s += seccomp ? " seccomp=yes" : " seccomp=no";
  s += landlock_scope ? " landlock=scope" : " landlock=no";
  s += dedicated_uid ? " uid=dedicated" : " uid=self";
  return s;
}

bool HasProtection(const Protections& p, std::string_view name) {
  if (name == "cgroup-mem") return p.memory != CgroupVersion::kNone;
  if (name == "cgroup-pids") return p.pids != CgroupVersion::kNone;
  if (name == "cgroup-cpu") return p.cpu != CgroupVersion::kNone;
  if (name == "cgroup-kill") return p.kill == KillMechanism::kCgroupKill;
  if (name == "ns") return p.namespaces;
  if (name == "seccomp") return p.seccomp;
  if (name == "landlock") return p.landlock_scope;
  if (name == "uid") return p.dedicated_uid;
  return false;
}

bool IsKnownProtectionName(std::string_view name) {
  for (std::string_view n : kNames) {
    if (n == name) return true;
  }
  return false;
}

std::vector<std::string> SplitList(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

}  // namespace noj::sandbox

#include "sandbox/linux_impl/box_rlimits.h"

#include <sys/resource.h>

namespace noj::sandbox::linux_impl {
namespace {

RlimitSetting Same(int resource, rlim_t value) { return {resource, {value, value}}; }

}  // namespace

std::vector<RlimitSetting> ComputeRlimits(const Limits& l, const Protections& p) {
  rlim_t memory = static_cast<rlim_t>(l.memory_kib) * 1024;
  rlim_t cpu_s = static_cast<rlim_t>((l.cpu_ms + 999) / 1000 + 1);
  std::vector<RlimitSetting> r = {
      {RLIMIT_CPU, {cpu_s, cpu_s + 1}},
      Same(RLIMIT_FSIZE, static_cast<rlim_t>(l.output_bytes) + 1),
      Same(RLIMIT_STACK, memory),
      Same(RLIMIT_CORE, 0),
      Same(RLIMIT_NOFILE, static_cast<rlim_t>(l.open_files)),
      Same(RLIMIT_MEMLOCK, 0),
      Same(RLIMIT_MSGQUEUE, 0),
  };
  if (p.memory == CgroupVersion::kNone) r.push_back(Same(RLIMIT_AS, memory));
  if (p.pids == CgroupVersion::kNone) {
    r.push_back(Same(RLIMIT_NPROC, static_cast<rlim_t>(l.max_processes)));
  }
  return r;
}

}  // namespace noj::sandbox::linux_impl

#pragma once
// CpuacctV1: CPU accounting from the v1 cpuacct hierarchy, used when there is no unified
// hierarchy to read cpu.stat from.

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "sandbox/linux_impl/cgroup_dir.h"

namespace noj::sandbox::linux_impl::cgroup_v1 {

class CpuacctV1 {
 public:
  static Result<std::unique_ptr<CpuacctV1>> Create(const std::string& parent,
                                                   const std::string& name,
                                                   std::string_view stale_prefix);

  // `tasks`, open for writing: see BoxCgroups::V1JoinFds().
  int join_fd() const { return tasks_.get(); }
  Result<int64_t> UsageUs() const;
  // v1 has no populated notification: reads cgroup.procs.
  Result<bool> Populated() const { return dir_.HasProcesses(); }
  Status Remove() { return dir_.Remove(); }

 private:
  explicit CpuacctV1(CgroupDir dir) : dir_(std::move(dir)) {}

  CgroupDir dir_;
  UniqueFd tasks_;
  UniqueFd usage_;
};

}  // namespace noj::sandbox::linux_impl::cgroup_v1

#pragma once
// PidsV1: the box's cgroup in the v1 pids hierarchy.

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "sandbox/linux_impl/cgroup_dir.h"

namespace noj::sandbox::linux_impl::cgroup_v1 {

class PidsV1 {
 public:
  // Creates parent/name with pids.max = max, verified by reading it back.
  static Result<std::unique_ptr<PidsV1>> Create(const std::string& parent, const std::string& name,
                                                std::string_view stale_prefix, int64_t max);

  // `tasks`, open for writing: see BoxCgroups::V1JoinFds().
  int join_fd() const { return tasks_.get(); }
  // v1 has no populated notification: reads cgroup.procs.
  Status SetMax(int64_t max);  // verified by reading it back
  Result<bool> Populated() const { return dir_.HasProcesses(); }
  Status Remove() { return dir_.Remove(); }

 private:
  explicit PidsV1(CgroupDir dir) : dir_(std::move(dir)) {}

  CgroupDir dir_;
  UniqueFd tasks_;
};

}  // namespace noj::sandbox::linux_impl::cgroup_v1

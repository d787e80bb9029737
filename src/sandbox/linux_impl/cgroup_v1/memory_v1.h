#pragma once
// MemoryV1: the box's cgroup in the v1 memory hierarchy (hybrid hosts such as ours).

#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "sandbox/linux_impl/box_memory.h"
#include "sandbox/linux_impl/cgroup_dir.h"

namespace noj::sandbox::linux_impl::cgroup_v1 {

class MemoryV1 {
 public:
  // Creates parent/name with limit_in_bytes (and memsw, so swap cannot extend it) = bytes.
  // Any limit that does not stick is an error: the caller then drops the controller.
  static Result<std::unique_ptr<MemoryV1>> Create(const std::string& parent,
                                                  const std::string& name,
                                                  std::string_view stale_prefix, int64_t bytes);

  // `tasks`, open for writing: see BoxCgroups::V1JoinFds().
  int join_fd() const { return tasks_.get(); }
  MemoryUsage Read() const;
  // v1 has no populated notification: reads cgroup.procs.
  // A new limit for the next task in it (a warm box's run): limit and memsw, in the order the
  // kernel accepts (memsw >= limit at every moment). Verified by reading it back.
  Status SetLimit(int64_t bytes);
  Result<bool> Populated() const { return dir_.HasProcesses(); }
  Status Remove() { return dir_.Remove(); }

 private:
  explicit MemoryV1(CgroupDir dir) : dir_(std::move(dir)) {}

  CgroupDir dir_;
  UniqueFd tasks_;
};

}  // namespace noj::sandbox::linux_impl::cgroup_v1

#include "sandbox/linux_impl/cgroup_v1/pids_v1.h"

#include <fcntl.h>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl::cgroup_v1 {

Result<std::unique_ptr<PidsV1>> PidsV1::Create(const std::string& parent, const std::string& name,
                                               std::string_view stale_prefix, int64_t max) {
  NOJ_ASSIGN_OR_RETURN(CgroupDir dir, CgroupDir::Create(parent, name, stale_prefix));
  std::unique_ptr<PidsV1> p(new PidsV1(std::move(dir)));
  NOJ_RETURN_IF_ERROR(p->dir_.Write("pids.max", std::to_string(max)));
  NOJ_ASSIGN_OR_RETURN(std::string back, p->dir_.Read("pids.max"));
  if (ParseInt(back) != max) return Status(ErrorCode::kUnavailable, "pids.max did not stick");
  NOJ_ASSIGN_OR_RETURN(p->tasks_, p->dir_.Open("tasks", O_WRONLY));
  return p;
}

Status PidsV1::SetMax(int64_t max) {
  NOJ_RETURN_IF_ERROR(dir_.Write("pids.max", std::to_string(max)));
  NOJ_ASSIGN_OR_RETURN(std::string back, dir_.Read("pids.max"));
  if (ParseInt(back) != max) return Status(ErrorCode::kUnavailable, "pids.max did not stick");
  return Status::Ok();
}

}  // namespace noj::sandbox::linux_impl::cgroup_v1

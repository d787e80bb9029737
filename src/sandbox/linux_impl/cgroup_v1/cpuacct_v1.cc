#include "sandbox/linux_impl/cgroup_v1/cpuacct_v1.h"

#include <fcntl.h>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl::cgroup_v1 {

Result<std::unique_ptr<CpuacctV1>> CpuacctV1::Create(const std::string& parent,
                                                     const std::string& name,
                                                     std::string_view stale_prefix) {
  NOJ_ASSIGN_OR_RETURN(CgroupDir dir, CgroupDir::Create(parent, name, stale_prefix));
  std::unique_ptr<CpuacctV1> c(new CpuacctV1(std::move(dir)));
  NOJ_ASSIGN_OR_RETURN(c->usage_, c->dir_.Open("cpuacct.usage", O_RDONLY));
  NOJ_ASSIGN_OR_RETURN(c->tasks_, c->dir_.Open("tasks", O_WRONLY));
  return c;
}

Result<int64_t> CpuacctV1::UsageUs() const {
  NOJ_ASSIGN_OR_RETURN(std::string text, PreadAll(usage_.get()));
  std::optional<int64_t> ns = ParseInt(text);
  if (!ns) return Status(ErrorCode::kInternal, "bad cpuacct.usage");
  return *ns / 1000;
}

}  // namespace noj::sandbox::linux_impl::cgroup_v1

#include "sandbox/linux_impl/cgroup_v1/memory_v1.h"

#include <fcntl.h>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl::cgroup_v1 {

Result<std::unique_ptr<MemoryV1>> MemoryV1::Create(const std::string& parent,
                                                   const std::string& name,
                                                   std::string_view stale_prefix, int64_t bytes) {
  NOJ_ASSIGN_OR_RETURN(CgroupDir dir, CgroupDir::Create(parent, name, stale_prefix));
  std::unique_ptr<MemoryV1> m(new MemoryV1(std::move(dir)));
  std::string value = std::to_string(bytes);
  NOJ_RETURN_IF_ERROR(m->dir_.Write("memory.limit_in_bytes", value));
  if (m->dir_.HasFile("memory.memsw.limit_in_bytes")) {
    // memsw must be >= limit_in_bytes, so it is written second.
    NOJ_RETURN_IF_ERROR(m->dir_.Write("memory.memsw.limit_in_bytes", value));
  } else {
    // Without swap accounting, keep the box from swapping instead.
    m->dir_.Write("memory.swappiness", "0").IgnoreError();  // no swap configured: moot
  }
  NOJ_ASSIGN_OR_RETURN(std::string back, m->dir_.Read("memory.limit_in_bytes"));
  if (ParseInt(back).value_or(-1) > bytes) {
    return Status(ErrorCode::kUnavailable, "memory.limit_in_bytes did not stick");
  }
  NOJ_ASSIGN_OR_RETURN(m->tasks_, m->dir_.Open("tasks", O_WRONLY));
  return m;
}

Status MemoryV1::SetLimit(int64_t bytes) {
  std::string value = std::to_string(bytes);
  bool memsw = dir_.HasFile("memory.memsw.limit_in_bytes");
  NOJ_ASSIGN_OR_RETURN(std::string now, dir_.Read("memory.limit_in_bytes"));
  bool raising = ParseInt(now).value_or(0) < bytes;
  if (memsw && raising) NOJ_RETURN_IF_ERROR(dir_.Write("memory.memsw.limit_in_bytes", value));
  NOJ_RETURN_IF_ERROR(dir_.Write("memory.limit_in_bytes", value));
  if (memsw && !raising) NOJ_RETURN_IF_ERROR(dir_.Write("memory.memsw.limit_in_bytes", value));
  NOJ_ASSIGN_OR_RETURN(std::string back, dir_.Read("memory.limit_in_bytes"));
  if (ParseInt(back).value_or(-1) > bytes) {
    return Status(ErrorCode::kUnavailable, "memory.limit_in_bytes did not stick");
  }
  return Status::Ok();
}

MemoryUsage MemoryV1::Read() const {
  MemoryUsage u;
  if (Result<std::string> peak = dir_.Read("memory.max_usage_in_bytes"); peak.ok()) {
    u.peak_kib = ParseInt(*peak).value_or(0) / 1024;
  }
  if (Result<std::string> oom = dir_.Read("memory.oom_control"); oom.ok()) {
    u.oom_killed = FindKeyedValue(*oom, "oom_kill").value_or(0) > 0;
  }
  if (Result<std::string> fails = dir_.Read("memory.failcnt"); fails.ok()) {
    u.limit_hit = ParseInt(*fails).value_or(0) > 0 || u.oom_killed;
  }
  return u;
}

}  // namespace noj::sandbox::linux_impl::cgroup_v1

#include "sandbox/linux_impl/cgroup_v2/cgroup_v2_box.h"

#include <fcntl.h>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl::cgroup_v2 {
namespace {

bool ListHas(std::string_view list, std::string_view word) {
  size_t pos = 0;
  while ((pos = list.find(word, pos)) != std::string_view::npos) {
    bool start = pos == 0 || list[pos - 1] == ' ';
    size_t end = pos + word.size();
    if (start && (end == list.size() || list[end] == ' ' || list[end] == '\n')) return true;
    pos = end;
  }
  return false;
}

struct Enabled {
  bool memory = false;
  bool pids = false;
};

// Makes the wanted controllers available to children of `parent`. Enabling fails with EBUSY
// when the parent itself holds processes (v2's no-internal-process rule): then point
// --cgroup-parent at a delegated subtree instead.
Enabled EnableInParent(const std::string& parent, bool memory, bool pids) {
  Enabled e;
  Result<std::string> enabled = ReadFileAt(AT_FDCWD, parent + "/cgroup.subtree_control");
  if (!enabled.ok()) return e;
  e.memory = memory && ListHas(*enabled, "memory");
  e.pids = pids && ListHas(*enabled, "pids");
  if (e.memory == memory && e.pids == pids) return e;
  Result<std::string> available = ReadFileAt(AT_FDCWD, parent + "/cgroup.controllers");
  if (!available.ok()) return e;
  auto enable = [&](bool& got, const char* name) {
    if (got || !ListHas(*available, name)) return;
    got = WriteFileAt(AT_FDCWD, parent + "/cgroup.subtree_control", std::string("+") + name).ok();
  };
  if (memory) enable(e.memory, "memory");
  if (pids) enable(e.pids, "pids");
  return e;
}

}  // namespace

Result<std::unique_ptr<CgroupV2Box>> CgroupV2Box::Create(const std::string& parent,
                                                         const std::string& name,
                                                         std::string_view stale_prefix,
                                                         const V2Limits& limits) {
  // Controllers must be enabled in the parent before the child exists to get their files.
  Enabled enabled = EnableInParent(parent, limits.memory_bytes > 0, limits.max_processes > 0);
  NOJ_ASSIGN_OR_RETURN(CgroupDir dir, CgroupDir::Create(parent, name, stale_prefix));
  std::unique_ptr<CgroupV2Box> box(new CgroupV2Box(std::move(dir)));
  NOJ_ASSIGN_OR_RETURN(box->cpu_stat_, box->dir_.Open("cpu.stat", O_RDONLY));
  box->has_kill_ = box->dir_.HasFile("cgroup.kill");
  if (enabled.memory) box->SetUpMemory(limits.memory_bytes);
  if (enabled.pids) box->SetUpPids(limits.max_processes);
  return box;
}

void CgroupV2Box::SetUpMemory(int64_t bytes) {
  if (!dir_.Write("memory.max", std::to_string(bytes)).ok()) return;
  // No swap: memory beyond the limit must fail, not page out slowly.
  if (dir_.HasFile("memory.swap.max") && !dir_.Write("memory.swap.max", "0").ok()) return;
  // One OOM kill takes the whole box down: its verdict is MLE, not a half-dead program.
  dir_.Write("memory.oom.group", "1").IgnoreError();  // older kernels lack it; harmless
  has_memory_ = true;
}

void CgroupV2Box::SetUpPids(int64_t max) {
  std::string value = std::to_string(max);
  if (!dir_.Write("pids.max", value).ok()) return;
  // Read back: only a limit the kernel reports as set counts as a protection.
  Result<std::string> back = dir_.Read("pids.max");
  has_pids_ = back.ok() && ParseInt(*back) == max;
}

Status CgroupV2Box::SetLimits(int64_t memory_bytes, int64_t max_processes) {
  if (has_memory_) NOJ_RETURN_IF_ERROR(dir_.Write("memory.max", std::to_string(memory_bytes)));
  if (has_pids_) {
    NOJ_RETURN_IF_ERROR(dir_.Write("pids.max", std::to_string(max_processes)));
    NOJ_ASSIGN_OR_RETURN(std::string back, dir_.Read("pids.max"));
    if (ParseInt(back) != max_processes) {
      return Status(ErrorCode::kUnavailable, "pids.max did not stick");
    }
  }
  return Status::Ok();
}

Result<int64_t> CgroupV2Box::CpuUsageUs() const {
  NOJ_ASSIGN_OR_RETURN(std::string text, PreadAll(cpu_stat_.get()));
  std::optional<int64_t> usage = FindKeyedValue(text, "usage_usec");
  if (!usage) return Status(ErrorCode::kInternal, "no usage_usec in " + path() + "/cpu.stat");
  return *usage;
}

MemoryUsage CgroupV2Box::ReadMemory() const {
  MemoryUsage m;
  if (!has_memory_) return m;
  if (Result<std::string> peak = dir_.Read("memory.peak"); peak.ok()) {
    m.peak_kib = ParseInt(*peak).value_or(0) / 1024;
  }
  if (Result<std::string> events = dir_.Read("memory.events"); events.ok()) {
    m.oom_killed = FindKeyedValue(*events, "oom_kill").value_or(0) > 0;
    m.limit_hit = FindKeyedValue(*events, "max").value_or(0) > 0 || m.oom_killed;
  }
  return m;
}

Status CgroupV2Box::Kill() const {
  if (!has_kill_) return Status(ErrorCode::kFailedPrecondition, "no cgroup.kill");
  return dir_.Write("cgroup.kill", "1");
}

Result<bool> CgroupV2Box::Populated() const {
  NOJ_ASSIGN_OR_RETURN(std::string events, dir_.Read("cgroup.events"));
  return FindKeyedValue(events, "populated").value_or(1) != 0;
}

}  // namespace noj::sandbox::linux_impl::cgroup_v2

#include "sandbox/linux_impl/box_cgroups.h"

#include <unistd.h>

namespace noj::sandbox::linux_impl {

void SweepStaleBoxCgroups(const CgroupLayout& layout, const std::string& v2_parent) {
  std::string v2 = v2_parent.empty() || layout.v2_mount.empty() ? layout.v2_own
                                                                : layout.v2_mount + "/" + v2_parent;
  for (const std::string& dir : {v2, layout.v1_memory, layout.v1_pids, layout.v1_cpuacct}) {
    if (!dir.empty()) RemoveStaleCgroups(dir, "noj-box-");
  }
}

std::unique_ptr<BoxCgroups> BoxCgroups::Create(const CgroupLayout& layout,
                                               const BoxCgroupSpec& spec) {
  std::unique_ptr<BoxCgroups> b(new BoxCgroups());
  std::string prefix = BoxCgroupPrefix(spec.box_id);
  std::string name =
      prefix + (spec.instance.empty() ? "" : spec.instance + "-") + std::to_string(::getpid());
  if (!layout.v2_mount.empty()) {
    std::string parent =
        spec.v2_parent.empty() ? layout.v2_own : layout.v2_mount + "/" + spec.v2_parent;
    cgroup_v2::V2Limits limits{spec.memory_bytes, spec.max_processes};
    auto v2 = cgroup_v2::CgroupV2Box::Create(parent, name, prefix, limits);
    if (v2.ok()) {
      b->v2_ = std::move(*v2);
    } else {
      b->Note("cgroup v2", v2.status());
    }
  }
  if (b->memory() == CgroupVersion::kNone && !layout.v1_memory.empty()) {
    auto m = cgroup_v1::MemoryV1::Create(layout.v1_memory, name, prefix, spec.memory_bytes);
    if (m.ok()) {
      b->memory_v1_ = std::move(*m);
    } else {
      b->Note("memory v1", m.status());
    }
  }
  if (b->pids() == CgroupVersion::kNone && !layout.v1_pids.empty()) {
    auto p = cgroup_v1::PidsV1::Create(layout.v1_pids, name, prefix, spec.max_processes);
    if (p.ok()) {
      b->pids_v1_ = std::move(*p);
    } else {
      b->Note("pids v1", p.status());
    }
  }
  if (b->cpu() == CgroupVersion::kNone && !layout.v1_cpuacct.empty()) {
    auto c = cgroup_v1::CpuacctV1::Create(layout.v1_cpuacct, name, prefix);
    if (c.ok()) {
      b->cpuacct_v1_ = std::move(*c);
    } else {
      b->Note("cpuacct v1", c.status());
    }
  }
  return b;
}

BoxCgroups::~BoxCgroups() { Remove().IgnoreError(); }  // owner already reported failures

void BoxCgroups::Note(const std::string& what, const Status& why) {
  notes_ += (notes_.empty() ? "" : "; ") + what + ": " + why.message();
}

CgroupVersion BoxCgroups::memory() const {
  if (v2_ && v2_->has_memory()) return CgroupVersion::kV2;
  return memory_v1_ ? CgroupVersion::kV1 : CgroupVersion::kNone;
}

CgroupVersion BoxCgroups::pids() const {
  if (v2_ && v2_->has_pids()) return CgroupVersion::kV2;
  return pids_v1_ ? CgroupVersion::kV1 : CgroupVersion::kNone;
}

CgroupVersion BoxCgroups::cpu() const {
  if (v2_) return CgroupVersion::kV2;
  return cpuacct_v1_ ? CgroupVersion::kV1 : CgroupVersion::kNone;
}

std::vector<int> BoxCgroups::V1JoinFds() const {
  std::vector<int> fds;
  if (memory_v1_) fds.push_back(memory_v1_->join_fd());
  if (pids_v1_) fds.push_back(pids_v1_->join_fd());
  if (cpuacct_v1_) fds.push_back(cpuacct_v1_->join_fd());
  return fds;
}

Result<int64_t> BoxCgroups::CpuUsageUs() const {
  if (v2_) return v2_->CpuUsageUs();
  if (cpuacct_v1_) return cpuacct_v1_->UsageUs();
  return Status(ErrorCode::kFailedPrecondition, "no CPU accounting cgroup");
}

MemoryUsage BoxCgroups::ReadMemory() const {
  if (v2_ && v2_->has_memory()) return v2_->ReadMemory();
  if (memory_v1_) return memory_v1_->Read();
  return MemoryUsage{};
}

Status BoxCgroups::SetLimits(int64_t memory_bytes, int64_t max_processes) {
  if (v2_) NOJ_RETURN_IF_ERROR(v2_->SetLimits(memory_bytes, max_processes));
  if (memory_v1_) NOJ_RETURN_IF_ERROR(memory_v1_->SetLimit(memory_bytes));
  if (pids_v1_) NOJ_RETURN_IF_ERROR(pids_v1_->SetMax(max_processes));
  return Status::Ok();
}

Status BoxCgroups::Kill() const {
  if (!can_kill()) return Status(ErrorCode::kFailedPrecondition, "no cgroup.kill");
  return v2_->Kill();
}

Result<bool> BoxCgroups::Populated() const {
  if (v2_) return v2_->Populated();
  if (pids_v1_) return pids_v1_->Populated();
  if (memory_v1_) return memory_v1_->Populated();
  if (cpuacct_v1_) return cpuacct_v1_->Populated();
  return false;
}

Status BoxCgroups::Remove() {
  Status first;
  auto keep = [&first](Status s) {
    if (first.ok() && !s.ok()) first = std::move(s);
  };
  if (v2_) keep(v2_->Remove());
  if (memory_v1_) keep(memory_v1_->Remove());
  if (pids_v1_) keep(pids_v1_->Remove());
  if (cpuacct_v1_) keep(cpuacct_v1_->Remove());
  return first;
}

}  // namespace noj::sandbox::linux_impl

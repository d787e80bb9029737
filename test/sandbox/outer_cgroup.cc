#include "outer_cgroup.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/linux_impl/cgroup_layout.h"
#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::testing {
namespace {

using linux_impl::CgroupDir;
using linux_impl::ParseInt;

constexpr char kPrefix[] = "noj-sbtest-";

std::unique_ptr<CgroupDir> Make(const std::string& parent, const std::string& name) {
  if (parent.empty()) return nullptr;
  Result<CgroupDir> dir = CgroupDir::Create(parent, name, kPrefix);
  if (!dir.ok()) return nullptr;
  return std::make_unique<CgroupDir>(std::move(*dir));
}

bool WriteAndCheck(const CgroupDir& dir, const std::string& file, int64_t value) {
  if (!dir.Write(file, std::to_string(value)).ok()) return false;
  Result<std::string> back = dir.Read(file);
  return back.ok() && ParseInt(*back) == value;
}

void KillListed(const CgroupDir& dir) {
  Result<std::string> procs = dir.Read("cgroup.procs");
  if (!procs.ok()) return;
  size_t pos = 0;
  while (pos < procs->size()) {
    size_t eol = procs->find('\n', pos);
    if (std::optional<int64_t> pid = ParseInt(procs->substr(pos, eol - pos))) {
      ::kill(static_cast<pid_t>(*pid), SIGKILL);
    }
    if (eol == std::string::npos) break;
    pos = eol + 1;
  }
}

}  // namespace

Result<std::unique_ptr<OuterCgroup>> OuterCgroup::Create(int64_t memory_bytes, int64_t pids_max) {
  NOJ_ASSIGN_OR_RETURN(linux_impl::CgroupLayout layout, linux_impl::DiscoverCgroupLayout());
  std::unique_ptr<OuterCgroup> o(new OuterCgroup());
  std::string name = kPrefix + std::to_string(::getpid());
  o->v2_ = Make(layout.v2_own, name);
  if (o->v2_) {
    // On a pure v2 host the limits live here, and the supervisors in a leaf ("no internal
    // processes" would otherwise forbid controllers for the boxes).
    o->v2_->Write("cgroup.subtree_control", "+memory").IgnoreError();  // absent on hybrid
    o->v2_->Write("cgroup.subtree_control", "+pids").IgnoreError();
    if (o->v2_->HasFile("memory.max")) {
      o->memory_limited_ = WriteAndCheck(*o->v2_, "memory.max", memory_bytes);
      o->v2_->Write("memory.swap.max", "0").IgnoreError();  // no swap: moot
    }
    if (o->v2_->HasFile("pids.max"))
      o->pids_limited_ = WriteAndCheck(*o->v2_, "pids.max", pids_max);
    o->v2_leaf_ = Make(o->v2_->path(), "supervisors");
    o->v2_parent_ = o->v2_->path().substr(layout.v2_mount.size() + 1);
  }
  if (!o->memory_limited_) {
    o->memory_ = Make(layout.v1_memory, name);
    if (o->memory_) {
      o->memory_limited_ = WriteAndCheck(*o->memory_, "memory.limit_in_bytes", memory_bytes);
      if (o->memory_->HasFile("memory.memsw.limit_in_bytes")) {
        o->memory_limited_ =
            o->memory_limited_ &&
            WriteAndCheck(*o->memory_, "memory.memsw.limit_in_bytes", memory_bytes);
      }
    }
  }
  if (!o->pids_limited_) {
    o->pids_ = Make(layout.v1_pids, name);
    if (o->pids_) o->pids_limited_ = WriteAndCheck(*o->pids_, "pids.max", pids_max);
  }
  for (CgroupDir* d : {o->v2_leaf_.get(), o->memory_.get(), o->pids_.get()}) {
    if (d == nullptr) continue;
    NOJ_ASSIGN_OR_RETURN(linux_impl::UniqueFd fd, d->Open("cgroup.procs", O_WRONLY));
    o->join_fds_.push_back(fd.get());
    o->procs_.push_back(std::move(fd));
  }
  return o;
}

std::vector<std::string> OuterCgroup::dirs() const {
  std::vector<std::string> out;
  for (const CgroupDir* d : {v2_.get(), memory_.get(), pids_.get()}) {
    if (d != nullptr) out.push_back(d->path());
  }
  return out;
}

std::vector<std::string> OuterCgroup::LeftoverBoxCgroups() const {
  std::vector<std::string> left;
  for (const std::string& path : dirs()) {
    DIR* dir = ::opendir(path.c_str());
    if (dir == nullptr) continue;
    while (dirent* e = ::readdir(dir)) {
      std::string n = e->d_name;
      if (e->d_type == DT_DIR && n.starts_with("noj-box-")) left.push_back(path + "/" + n);
    }
    ::closedir(dir);
  }
  return left;
}

void OuterCgroup::KillEverything() {
  for (int round = 0; round < 2000; ++round) {
    bool populated = false;
    for (CgroupDir* d : {v2_.get(), memory_.get(), pids_.get()}) {
      if (d == nullptr) continue;
      Result<bool> p = d->HasProcesses();
      // v2: processes sit in the leaves; cgroup.events covers the whole subtree.
      if (d == v2_.get()) {
        Result<std::string> events = d->Read("cgroup.events");
        p = events.ok() && linux_impl::FindKeyedValue(*events, "populated").value_or(0) != 0;
        if (*p && d->HasFile("cgroup.kill")) d->Write("cgroup.kill", "1").IgnoreError();
      }
      if (p.ok() && *p) {
        populated = true;
        KillListed(*d);
      }
    }
    if (!populated) return;
    while (::waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    timespec pause = {0, 1000000};
    ::nanosleep(&pause, nullptr);
  }
}

OuterCgroup::~OuterCgroup() {
  KillEverything();
  procs_.clear();
  // Box cgroups a crashed sandbox left behind go first (rmdir is not recursive).
  for (const std::string& left : LeftoverBoxCgroups()) ::rmdir(left.c_str());
  v2_leaf_.reset();
  v2_.reset();
  memory_.reset();
  pids_.reset();
}

}  // namespace noj::sandbox::testing

#include "sandbox/linux_impl/cgroup_layout.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statfs.h>

#include <vector>

#include "sandbox/linux_impl/sys_util.h"

namespace noj::sandbox::linux_impl {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  for (;;) {
    size_t next = s.find(sep, pos);
    out.push_back(s.substr(pos, next == std::string_view::npos ? next : next - pos));
    if (next == std::string_view::npos) return out;
    pos = next + 1;
  }
}

struct Mount {
  std::string root;
  std::string point;
  std::vector<std::string_view> options;  // super options: controller names for v1
};

bool HasOption(const Mount& m, std::string_view name) {
  for (std::string_view o : m.options) {
    if (o == name) return true;
  }
  return false;
}

// Our cgroup path (relative to the hierarchy) mapped onto the mount of that hierarchy.
std::string Join(const Mount& m, std::string_view path) {
  if (m.root != "/" && path.starts_with(m.root)) path.remove_prefix(m.root.size());
  std::string out = m.point;
  if (!path.empty() && path != "/") out += std::string(path);
  return out;
}

}  // namespace

CgroupLayout ParseCgroupLayout(std::string_view mountinfo, std::string_view proc_cgroup) {
  std::vector<Mount> v1;
  Mount v2;
  bool have_v2 = false;
  for (std::string_view line : Split(mountinfo, '\n')) {
    size_t dash = line.find(" - ");
    if (dash == std::string_view::npos) continue;
    std::vector<std::string_view> left = Split(line.substr(0, dash), ' ');
    std::vector<std::string_view> right = Split(line.substr(dash + 3), ' ');
    if (left.size() < 5 || right.size() < 3) continue;
    Mount m{std::string(left[3]), std::string(left[4]), Split(right[2], ',')};
    if (right[0] == "cgroup2" && !have_v2) {
      v2 = m;
      have_v2 = true;
    } else if (right[0] == "cgroup") {
      v1.push_back(m);
    }
  }
  CgroupLayout layout;
  for (std::string_view line : Split(proc_cgroup, '\n')) {
    std::vector<std::string_view> f = Split(line, ':');
    if (f.size() < 3) continue;
    std::string_view path = line.substr(f[0].size() + f[1].size() + 2);
    if (f[0] == "0" && f[1].empty()) {
      if (have_v2) {
        layout.v2_mount = v2.point;
        layout.v2_own = Join(v2, path);
      }
      continue;
    }
    for (std::string_view controller : Split(f[1], ',')) {
      std::string* slot = controller == "memory"    ? &layout.v1_memory
                          : controller == "pids"    ? &layout.v1_pids
                          : controller == "cpuacct" ? &layout.v1_cpuacct
                                                    : nullptr;
      if (slot == nullptr) continue;
      for (const Mount& m : v1) {
        if (HasOption(m, controller)) *slot = Join(m, path);
      }
    }
  }
  return layout;
}

CgroupLayout ConventionalCgroupLayout(std::string_view proc_cgroup, bool v2_at_top) {
  CgroupLayout layout;
  for (std::string_view line : Split(proc_cgroup, '\n')) {
    std::vector<std::string_view> f = Split(line, ':');
    if (f.size() < 3) continue;
    std::string_view path = line.substr(f[0].size() + f[1].size() + 2);
    std::string suffix = path == "/" ? "" : std::string(path);
    if (f[0] == "0" && f[1].empty()) {
      layout.v2_mount = v2_at_top ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
      layout.v2_own = layout.v2_mount + suffix;
      continue;
    }
    std::string dir = "/sys/fs/cgroup/" + std::string(f[1]) + suffix;
    for (std::string_view controller : Split(f[1], ',')) {
      if (controller == "memory") layout.v1_memory = dir;
      if (controller == "pids") layout.v1_pids = dir;
      if (controller == "cpuacct") layout.v1_cpuacct = dir;
    }
  }
  return layout;
}

namespace {

bool IsCgroupDir(const std::string& path, int64_t magic) {
  if (path.empty()) return true;  // nothing claimed
  struct statfs fs;
  return ::statfs(path.c_str(), &fs) == 0 && static_cast<int64_t>(fs.f_type) == magic;
}

}  // namespace

Result<CgroupLayout> DiscoverCgroupLayout() {
  NOJ_ASSIGN_OR_RETURN(std::string cgroup, ReadFileAt(AT_FDCWD, "/proc/self/cgroup"));
  CgroupLayout c =
      ConventionalCgroupLayout(cgroup, IsCgroupDir("/sys/fs/cgroup", CGROUP2_SUPER_MAGIC));
  if (IsCgroupDir(c.v2_own, CGROUP2_SUPER_MAGIC) && IsCgroupDir(c.v1_memory, CGROUP_SUPER_MAGIC) &&
      IsCgroupDir(c.v1_pids, CGROUP_SUPER_MAGIC) && IsCgroupDir(c.v1_cpuacct, CGROUP_SUPER_MAGIC)) {
    return c;
  }
  NOJ_ASSIGN_OR_RETURN(std::string mountinfo, ReadFileAt(AT_FDCWD, "/proc/self/mountinfo"));
  return ParseCgroupLayout(mountinfo, cgroup);
}

}  // namespace noj::sandbox::linux_impl

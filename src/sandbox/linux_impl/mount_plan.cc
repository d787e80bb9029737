#include "sandbox/linux_impl/mount_plan.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>

#include "sandbox/linux_impl/scratch_fs.h"
#include "sandbox/linux_impl/state_dir.h"

namespace noj::sandbox::linux_impl {
namespace {

constexpr unsigned long kSafe = MS_NOSUID | MS_NODEV;

std::string InRoot(const std::string& box_path) { return std::string(kStagingRoot) + box_path; }

bool IsUnder(const std::string& path, const std::string& dir) {
  return path == dir || (path.starts_with(dir) && path[dir.size()] == '/');
}

}  // namespace

const char* MountPlan::Keep(std::string s) {
  strings_.push_back(std::move(s));
  return strings_.back().c_str();
}

void MountPlan::Mount(const std::string& source, const std::string& target, const char* fstype,
                      unsigned long flags, const std::string& data) {
  steps_.push_back({MountStep::Kind::kMount, source.empty() ? nullptr : Keep(source), Keep(target),
                    fstype, flags, data.empty() ? nullptr : Keep(data)});
}

void MountPlan::BindReadOnly(const std::string& source, const std::string& box_path) {
  std::string target = InRoot(box_path);
  Mount(source, target, nullptr, MS_BIND, "");
  // Flags of a bind mount only change with a remount of it.
  Mount("", target, nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | kSafe, "");
  reserved_.push_back(box_path);
}

void MountPlan::Mkdir(const std::string& box_path) {
  steps_.push_back({MountStep::Kind::kMkdir, nullptr, Keep(InRoot(box_path))});
  made_dirs_.push_back(box_path);
}

void MountPlan::Touch(const std::string& box_path) {
  steps_.push_back({MountStep::Kind::kTouch, nullptr, Keep(InRoot(box_path))});
}

void MountPlan::Symlink(const std::string& to, const std::string& box_path) {
  steps_.push_back({MountStep::Kind::kSymlink, Keep(to), Keep(InRoot(box_path))});
  reserved_.push_back(box_path);
}

// bin, sbin, lib* as the host has them: symlinks into usr on merged-/usr Debian, otherwise
// read-only binds of the real directories.
void MountPlan::AddHostTopLevel() {
  Mkdir("/usr");
  BindReadOnly("/usr", "/usr");
  for (const char* name : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    struct stat st;
    if (::lstat(name, &st) != 0) continue;
    if (S_ISLNK(st.st_mode)) {
      char to[256];
      ssize_t n = ::readlink(name, to, sizeof to - 1);
      if (n <= 0) continue;
      Symlink(std::string(to, static_cast<size_t>(n)), name);
    } else if (S_ISDIR(st.st_mode)) {
      Mkdir(name);
      BindReadOnly(name, name);
    }
  }
  Mkdir("/etc");
  struct stat st;
  if (::stat("/etc/alternatives", &st) == 0 && S_ISDIR(st.st_mode)) {
    Mkdir("/etc/alternatives");
    BindReadOnly("/etc/alternatives", "/etc/alternatives");
  }
  if (::stat("/etc/ld.so.cache", &st) == 0 && S_ISREG(st.st_mode)) {
    Touch("/etc/ld.so.cache");
    BindReadOnly("/etc/ld.so.cache", "/etc/ld.so.cache");
  }
  AddJdkConfig();
}

// Debian's JDKs keep their configuration (jvm.cfg, security/java.security, logging…) in
// /etc/java-N-openjdk, linked from /usr/lib/jvm/*/lib and conf/: without it neither java nor
// javac starts ("Error loading java.security file"). It holds no secret; read-only like /usr.
void MountPlan::AddJdkConfig() {
  DIR* etc = ::opendir("/etc");
  if (etc == nullptr) return;
  std::vector<std::string> dirs;
  while (const dirent* e = ::readdir(etc)) {
    std::string_view name = e->d_name;
    if (name.starts_with("java-") && name.ends_with("-openjdk")) dirs.emplace_back(name);
  }
  ::closedir(etc);
  std::sort(dirs.begin(), dirs.end());
  for (const std::string& name : dirs) {
    struct stat st;
    std::string path = "/etc/" + name;
    if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;  // no link followed
    Mkdir(path);
    BindReadOnly(path, path);
  }
}

void MountPlan::CharDevice(const std::string& box_path, unsigned major, unsigned minor) {
  MountStep step{MountStep::Kind::kMknod, nullptr, Keep(InRoot(box_path))};
  step.device = makedev(major, minor);
  steps_.push_back(step);
}

void MountPlan::Attach(int fd, const std::string& box_path) {
  MountStep step{MountStep::Kind::kAttach, nullptr, Keep(InRoot(box_path))};
  step.fd = fd;
  steps_.push_back(step);
}

// Scratch: a fresh tmpfs whose only content is a read-only bind of each entry of the box dir
// (the program, the package's files). A bound entry can be neither written, nor removed or
// renamed (EBUSY: it is a mount point), so no run can change what the next one starts from.
void MountPlan::AddBox(const RootfsSpec& spec) {
  Mkdir("/box");
  if (spec.box_mode != BoxMode::kScratch) {
    bool ro = spec.box_mode == BoxMode::kReadonly;
    Mount(spec.box_dir, InRoot("/box"), nullptr, MS_BIND, "");
    Mount("", InRoot("/box"), nullptr,
          MS_BIND | MS_REMOUNT | kSafe | (ro ? static_cast<unsigned long>(MS_RDONLY) : 0UL), "");
    return;
  }
  Attach(spec.box_scratch_fd, "/box");
  std::string dir = spec.box_dir.ends_with('/') ? spec.box_dir : spec.box_dir + "/";
  for (const std::string& name : spec.box_entries) {
    struct stat st;
    if (::lstat((dir + name).c_str(), &st) != 0) continue;  // gone since the listing
    if (S_ISDIR(st.st_mode)) {
      Mkdir("/box/" + name);
    } else if (S_ISREG(st.st_mode)) {
      Touch("/box/" + name);
    } else {
      continue;  // links and the like: a bind would follow them
    }
    BindReadOnly(dir + name, "/box/" + name);
  }
}

// Its own small tmpfs (the only mount without nodev) with three nodes made here: cheaper
// than bind-mounting each host node, and nothing else of the host's /dev is reachable.
void MountPlan::AddDev() {
  Mkdir("/dev");
  Mount("noj-dev", InRoot("/dev"), "tmpfs", MS_NOSUID | MS_NOEXEC,
        "size=16k,nr_inodes=32,mode=0755");
  CharDevice("/dev/null", 1, 3);
  CharDevice("/dev/zero", 1, 5);
  CharDevice("/dev/urandom", 1, 9);
  Symlink("/proc/self/fd", "/dev/fd");
  Symlink("/proc/self/fd/0", "/dev/stdin");
  Symlink("/proc/self/fd/1", "/dev/stdout");
  Symlink("/proc/self/fd/2", "/dev/stderr");
  Symlink("/tmp", "/dev/shm");
  Mount("", InRoot("/dev"), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC, "");
}

Status MountPlan::AddExtraBind(const BindMount& bind) {
  struct stat st;
  if (::stat(bind.source.c_str(), &st) != 0) {
    return Status(ErrorCode::kNotFound, "--ro-bind source missing: " + bind.source);
  }
  for (const std::string& r : reserved_) {
    if (IsUnder(bind.target, r) || IsUnder(r, bind.target)) {
      return Status(ErrorCode::kInvalidArgument,
                    "--ro-bind target " + bind.target + " collides with " + r);
    }
  }
  // Parents, then the mount point itself (a directory or an empty file like the source).
  for (size_t slash = bind.target.find('/', 1); slash != std::string::npos;
       slash = bind.target.find('/', slash + 1)) {
    std::string parent = bind.target.substr(0, slash);
    if (std::find(made_dirs_.begin(), made_dirs_.end(), parent) == made_dirs_.end()) {
      Mkdir(parent);
    }
  }
  if (S_ISDIR(st.st_mode)) {
    Mkdir(bind.target);
  } else {
    Touch(bind.target);
  }
  BindReadOnly(bind.source, bind.target);
  return Status::Ok();
}

Result<MountPlan> MountPlan::Build(const RootfsSpec& spec) {
  struct stat st;
  if (::stat(spec.box_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status(ErrorCode::kNotFound, "box dir is not a directory: " + spec.box_dir);
  }
  MountPlan p;
  // Nothing we mount may propagate back to the host.
  p.Mount("", "/", nullptr, MS_REC | MS_PRIVATE, "");
  p.Mount("noj-root", kStagingRoot, "tmpfs", kSafe, "size=256k,nr_inodes=1024,mode=0755");
  p.AddHostTopLevel();
  p.reserved_.insert(p.reserved_.end(), {"/box", "/tmp", "/dev", "/proc"});
  for (const BindMount& bind : spec.ro_binds) NOJ_RETURN_IF_ERROR(p.AddExtraBind(bind));

  p.AddBox(spec);
  p.Mkdir("/tmp");
  p.Attach(spec.tmp_scratch_fd, "/tmp");

  p.AddDev();

  p.Mkdir("/proc");
  // hidepid=2: the program sees only its own uid's processes, not our init (root).
  p.Mount("proc", InRoot("/proc"), "proc", kSafe | MS_NOEXEC, "hidepid=2");
  p.steps_.push_back({MountStep::Kind::kPivotRoot, nullptr, kStagingRoot});
  p.Mount("", "/", nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | kSafe, "");
  return p;
}

Result<MountPlan> MountPlan::BuildWarmRoot(const std::vector<BindMount>& ro_binds) {
  MountPlan p;
  p.Mount("", "/", nullptr, MS_REC | MS_PRIVATE, "");
  p.Mount("noj-root", kStagingRoot, "tmpfs", kSafe, "size=256k,nr_inodes=1024,mode=0755");
  p.AddHostTopLevel();
  p.reserved_.insert(p.reserved_.end(), {"/box", "/tmp", "/dev", "/proc", kWarmBoxSource});
  for (const BindMount& bind : ro_binds) NOJ_RETURN_IF_ERROR(p.AddExtraBind(bind));
  p.Mkdir("/box");
  p.Mkdir("/tmp");
  p.steps_.push_back({MountStep::Kind::kMkdir, nullptr, p.Keep(InRoot(kWarmBoxSource))});
  p.AddDev();
  p.Mkdir("/proc");
  p.steps_.push_back({MountStep::Kind::kPivotRoot, nullptr, kStagingRoot});
  p.Mount("", "/", nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | kSafe, "");
  return p;
}

std::string MountPlan::Describe(size_t index) const {
  if (index >= steps_.size()) return "step " + std::to_string(index);
  const MountStep& s = steps_[index];
  auto str = [](const char* c) { return std::string(c ? c : "-"); };
  switch (s.kind) {
    case MountStep::Kind::kMount:
      return "mount " + str(s.source) + " on " + str(s.target);
    case MountStep::Kind::kMkdir:
      return "mkdir " + str(s.target);
    case MountStep::Kind::kTouch:
      return "create " + str(s.target);
    case MountStep::Kind::kSymlink:
      return "symlink " + str(s.target);
    case MountStep::Kind::kMknod:
      return "mknod " + str(s.target);
    case MountStep::Kind::kAttach:
      return "attach a scratch tmpfs on " + str(s.target);
    case MountStep::Kind::kPivotRoot:
      return "pivot_root to " + str(s.target);
    case MountStep::Kind::kDetach:
      return "detach " + str(s.target);
  }
  return "step " + std::to_string(index);
}

namespace {

int PivotInto(const char* new_root) {
  if (::chdir(new_root) != 0) return errno;
  if (::syscall(SYS_pivot_root, ".", ".") != 0) return errno;
  // The old root now sits on top of the new one: detach it, the host vanishes from view.
  if (::umount2(".", MNT_DETACH) != 0) return errno;
  if (::chdir("/") != 0) return errno;
  return 0;
}

int RunStep(const MountStep& s) {
  switch (s.kind) {
    case MountStep::Kind::kMount:
      return ::mount(s.source, s.target, s.fstype, s.flags, s.data) == 0 ? 0 : errno;
    case MountStep::Kind::kMkdir:
      return ::mkdir(s.target, 0755) == 0 || errno == EEXIST ? 0 : errno;
    case MountStep::Kind::kTouch: {
      int fd = ::open(s.target, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
      if (fd < 0) return errno;
      ::close(fd);
      return 0;
    }
    case MountStep::Kind::kSymlink:
      return ::symlink(s.source, s.target) == 0 ? 0 : errno;
    case MountStep::Kind::kMknod:
      return ::mknod(s.target, S_IFCHR | 0666, static_cast<dev_t>(s.device)) == 0 ? 0 : errno;
    case MountStep::Kind::kAttach:
      return AttachScratch(s.fd, s.target);
    case MountStep::Kind::kPivotRoot:
      return PivotInto(s.target);
    case MountStep::Kind::kDetach:
      return ::umount2(s.target, MNT_DETACH) == 0 ? 0 : errno;
  }
  return EINVAL;
}

}  // namespace

long ExecuteMountPlan(const MountStep* steps, size_t count, int* err) {
  for (size_t i = 0; i < count; ++i) {
    int e = RunStep(steps[i]);
    if (e != 0) {
      *err = e;
      return static_cast<long>(i);
    }
  }
  return -1;
}

}  // namespace noj::sandbox::linux_impl

#pragma once
// MountPlan: the box's filesystem as a list of steps, built (allocating) by the supervisor
// and executed by the box's init after clone with nothing but raw syscalls.
//
// Resulting view: tmpfs root (read-only), /usr read-only, bin/sbin/lib* as on the host
// (symlinks into usr on merged-/usr systems), /etc/alternatives, /etc/ld.so.cache and
// Debian's JDK configuration /etc/java-*-openjdk read-only, extra --ro-bind paths, /box (the box
// dir read-write or read-only, or a scratch tmpfs holding a read-only bind of each of its entries),
// a scratch tmpfs /tmp, a read-only /dev with null, zero, urandom (+ fd/stdin/stdout/stderr/shm
// links), /proc of the box's pid namespace with other users' processes hidden. nosuid,nodev
// everywhere but on /dev.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "common/status.h"
#include "sandbox/run_request.h"

namespace noj::sandbox::linux_impl {

struct MountStep {
  enum class Kind : uint8_t {
    kMount,
    kMkdir,
    kTouch,
    kSymlink,
    kMknod,
    kAttach,
    kPivotRoot,
    kDetach,  // umount2(target, MNT_DETACH)
  };
  Kind kind = Kind::kMount;
  const char* source = nullptr;  // kMount: source; kSymlink: what the link points to
  const char* target = nullptr;  // the path acted on
  const char* fstype = nullptr;
  unsigned long flags = 0;
  const char* data = nullptr;
  unsigned long device = 0;  // kMknod: dev_t of a character device (mode 0666)
  int fd = -1;               // kAttach: the detached mount (scratch_fs.h) to attach at target
};

struct RootfsSpec {
  std::string box_dir;
  BoxMode box_mode = BoxMode::kWritable;
  std::vector<std::string> box_entries;  // kScratch: the names in box_dir, each bound read-only
  int box_scratch_fd = -1;               // kScratch: the tmpfs for /box
  int tmp_scratch_fd = -1;               // the tmpfs for /tmp
  std::vector<BindMount> ro_binds;
};

// Warm boxes (warm_box.h): where a case's box dir is attached before its entries are bound
// into the case's scratch /box; detached again before the program starts.
inline constexpr char kWarmBoxSource[] = "/.noj-box-source";

class MountPlan {
 public:
  // kNotFound: the box dir or a bind source does not exist; kInvalidArgument: a bind target
  // collides with the sandbox's own layout.
  static Result<MountPlan> Build(const RootfsSpec& spec);
  // A warm box's root, shared by its cases: the same view without /box's and /tmp's content and
  // without /proc's mount (empty mount points, plus kWarmBoxSource), pivoted, read-only. Each
  // case copies it (unshare) and attaches its own scratch /box, /tmp and /proc.
  static Result<MountPlan> BuildWarmRoot(const std::vector<BindMount>& ro_binds);

  MountPlan(MountPlan&&) = default;
  MountPlan& operator=(MountPlan&&) = default;

  const MountStep* steps() const { return steps_.data(); }
  size_t size() const { return steps_.size(); }
  // "mount /usr on /run/noj-sandbox/root/usr" — for error messages.
  std::string Describe(size_t index) const;

 private:
  MountPlan() = default;
  const char* Keep(std::string s);
  void Mount(const std::string& source, const std::string& target, const char* fstype,
             unsigned long flags, const std::string& data);
  void BindReadOnly(const std::string& source, const std::string& target);
  void Mkdir(const std::string& path);
  void Touch(const std::string& path);
  void Symlink(const std::string& to, const std::string& path);
  void CharDevice(const std::string& path, unsigned major, unsigned minor);
  void Attach(int fd, const std::string& path);
  void AddBox(const RootfsSpec& spec);
  void AddDev();
  void AddHostTopLevel();
  void AddJdkConfig();
  Status AddExtraBind(const BindMount& bind);

  std::deque<std::string> strings_;  // deque: c_str() pointers stay valid as it grows
  std::vector<MountStep> steps_;
  std::vector<std::string> made_dirs_;  // inside the box, to create parents only once
  std::vector<std::string> reserved_;   // inside the box: mounts and links of the layout
};

// Async-signal-safe. Returns -1 when every step succeeded, otherwise the index of the
// failing step with its errno in *err.
long ExecuteMountPlan(const MountStep* steps, size_t count, int* err);

}  // namespace noj::sandbox::linux_impl

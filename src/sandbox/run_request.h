#pragma once
// Everything one sandboxed run needs, built by the caller (noj-runner through the command line).

#include <string>
#include <vector>

#include "sandbox/limits.h"

namespace noj::sandbox {

// Box ids map to dedicated uids/gids kBoxUidBase + id; the range stays below 65534 (nobody).
inline constexpr int kBoxUidBase = 60000;
inline constexpr int kMaxBoxId = 4999;

// A host path made visible read-only inside the box.
struct BindMount {
  std::string source;  // absolute host path (file or directory)
  std::string target;  // absolute path inside the box
};

// What the program sees at /box, its working directory (docs/sandbox.md, "The box's files").
enum class BoxMode {
  kWritable,  // box_dir itself, read-write: writes land on the host disk (tests, debugging)
  kReadonly,  // box_dir itself, read-only
  kScratch,   // a fresh tmpfs of limits.box_kib / limits.inodes holding a read-only bind of
              // every entry of box_dir: the program writes only new files, and they are gone
              // with the run (unless collected)
};

struct RunRequest {
  std::string box_dir;  // host directory: /box itself, or the files bound into a scratch /box
  BoxMode box_mode = BoxMode::kWritable;
  // kScratch only: after the run, what the program created in /box (regular files and
  // directories, not the bound entries) is copied into this existing host directory.
  std::string collect_dir;
  int box_id = 0;                 // [0, kMaxBoxId]; concurrent runs need distinct ids
  std::vector<std::string> argv;  // argv[0] is the program path as seen inside the box
  std::vector<std::string> env;   // K=V; the program gets only these (PATH defaulted)
  std::vector<BindMount> ro_binds;
  // Absolute: a host path opened by the supervisor before confinement.
  // Relative: resolved beneath box_dir without following symlinks. Empty: /dev/null.
  std::string stdin_path;
  std::string stdout_path;
  std::string stderr_path;
  // Interactive runs (judging.md §4): >= 0 makes the program's stdin / stdout this descriptor
  // of noj-sandbox itself — a pipe its caller passed down (docs/sandbox.md, "Interactive
  // runs") — instead of stdin_path / stdout_path, which must then be empty. Only pipes, and
  // >= 3 (0..2 are the helper's own). The supervisor closes its copy once the box runs, so
  // the other end sees EOF when the box ends.
  int stdin_fd = -1;
  int stdout_fd = -1;
  Limits limits;
  std::vector<std::string> require;  // protections that must be active (see protections.h)
  bool insecure = false;             // allow running with nothing but rlimits
  std::string cgroup_parent;  // cgroup v2 parent (relative to the v2 root); empty: own cgroup
};

inline int BoxUid(int box_id) { return kBoxUidBase + box_id; }

}  // namespace noj::sandbox

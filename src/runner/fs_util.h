#pragma once
// Small filesystem helpers returning Status instead of throwing (std::filesystem throws).

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace noj::runner {

namespace fs = std::filesystem;

// The whole file; kResourceExhausted when it is larger than `max_bytes`, kNotFound if absent.
Result<std::string> ReadFile(const fs::path& path, uint64_t max_bytes);

// At most `max_bytes` from the start of the file (no error when it is longer); "" if absent.
std::string ReadFilePrefix(const fs::path& path, uint64_t max_bytes);

// Creates or truncates `path` with `data` (mode 0644 before umask).
Status WriteFile(const fs::path& path, std::string_view data);

// mkdir -p.
Status MakeDirs(const fs::path& path);

// rm -rf; errors are returned, a missing path is OK. RemoveTreeBounded (tree_removal.h): a
// constant number of descriptors at any depth, no symlink followed, no mount crossed.
Status RemoveTree(const fs::path& path);

// Removes everything inside `dir` except the entry named `keep` (start-up cleanup of a work dir).
Status RemoveChildrenExcept(const fs::path& dir, std::string_view keep);

// A fresh directory `parent/<prefix><random>`.
Result<fs::path> MakeUniqueDir(const fs::path& parent, std::string_view prefix);

// Holds an exclusive flock() on `dir/.lock` for the object's lifetime, so that two runners never
// share a work or cache directory. kFailedPrecondition when another process holds it.
class DirLock {
 public:
  static Result<DirLock> Acquire(const fs::path& dir);
  DirLock(DirLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  DirLock& operator=(DirLock&&) = delete;
  DirLock(const DirLock&) = delete;
  ~DirLock();

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace noj::runner

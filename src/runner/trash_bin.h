#pragma once
// TrashBin: directories too costly or too broken to remove on the spot are renamed into a trash
// directory (atomic: same filesystem) and removed there by a background thread. What a contestant
// left in a work dir is never a reason for the runner not to start, nor to stall a job thread.
// Whatever is still in the trash when the runner stops is removed at the next start.

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>
#include <string_view>
#include <thread>

#include "common/status.h"
#include "common/thread_annotations.h"

namespace noj::runner {

class TrashBin {
 public:
  // Creates `dir` if needed and starts removing what it holds. kInternal if `dir` cannot be made
  // (or is not a directory).
  static Result<std::unique_ptr<TrashBin>> Open(std::filesystem::path dir);
  ~TrashBin();  // stops the removal (even mid-tree: the rest waits for the next start) and joins
  TrashBin(const TrashBin&) = delete;
  TrashBin& operator=(const TrashBin&) = delete;

  // Renames `path` into the trash under a fresh name and wakes the removal. `path` must be on
  // the trash's filesystem. OK if `path` does not exist. The caller logs a failure.
  // Thread-safe.
  Status MoveAside(const std::filesystem::path& path);

  // True once everything moved aside so far has been dealt with (removed, or its failure logged),
  // false after `timeout`. Thread-safe.
  bool WaitIdle(std::chrono::milliseconds timeout);

  const std::filesystem::path& dir() const { return dir_; }

 private:
  explicit TrashBin(std::filesystem::path dir) : dir_(std::move(dir)) {}
  void Loop(std::stop_token stop);
  // One pass over the trash: removes every entry, logs each failure once.
  void EmptyOnce(std::stop_token stop);

  const std::filesystem::path dir_;
  std::set<std::string> failed_;  // entries whose failure was logged; used by the thread only
  Mutex mu_;
  std::condition_variable_any cv_;
  bool pending_ GUARDED_BY(mu_) = true;  // something to remove since the last pass began
  bool busy_ GUARDED_BY(mu_) = false;    // a pass is running
  std::jthread thread_;                  // last: stopped and joined before the members it uses go
};

// Start-up clean-up of a runner's work dir: every entry but `keep` and the trash is moved into
// the trash. Never fails: each entry that cannot be moved is logged (event=leftover_move_failed)
// and left in place. Returns how many entries were moved.
int MoveLeftoversAside(const std::filesystem::path& work_dir, std::string_view keep,
                       TrashBin& trash);

}  // namespace noj::runner

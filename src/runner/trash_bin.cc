#include "runner/trash_bin.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2

#include <cerrno>
#include <system_error>
#include <vector>

#include "common/crypto.h"
#include "common/log_line.h"
#include "common/logging.h"
#include "runner/fs_util.h"
#include "runner/tree_removal.h"

namespace noj::runner {

using logging::Quote;

Result<std::unique_ptr<TrashBin>> TrashBin::Open(fs::path dir) {
  NOJ_RETURN_IF_ERROR(MakeDirs(dir));
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(dir, ec)))
    return InternalError(dir.string() + " is not a directory");
  std::unique_ptr<TrashBin> bin(new TrashBin(std::move(dir)));
  TrashBin* self = bin.get();
  bin->thread_ = std::jthread([self](std::stop_token stop) { self->Loop(stop); });
  return bin;
}

TrashBin::~TrashBin() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

Status TrashBin::MoveAside(const fs::path& path) {
  std::error_code ec;
  if (fs::symlink_status(path, ec).type() == fs::file_type::not_found) return Status::Ok();
  // The original name (cut, for whoever reads the trash) and a random part: names never clash.
  std::string base = path.filename().string().substr(0, 64) + ".";
  for (int attempt = 0; attempt < 8; ++attempt) {
    fs::path to = dir_ / (base + crypto::Base64UrlEncode(crypto::RandomBytes(9)));
    // RENAME_NOREPLACE: never replace what an earlier move put there.
    if (::renameat2(AT_FDCWD, path.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
      {
        MutexLock lock(&mu_);
        pending_ = true;
      }
      cv_.notify_all();
      return Status::Ok();
    }
    int err = errno;
    if (err == EEXIST) continue;
    if (err == ENOENT && !fs::exists(dir_, ec)) {  // the trash itself was removed: make it again
      NOJ_RETURN_IF_ERROR(MakeDirs(dir_));
      continue;
    }
    if (err == ENOENT) return Status::Ok();  // gone meanwhile
    return InternalError("cannot move " + path.string() + " into " + dir_.string() + ": " +
                         std::generic_category().message(err));
  }
  return InternalError("cannot find a free name in " + dir_.string());
}

bool TrashBin::WaitIdle(std::chrono::milliseconds timeout) {
  MutexLock lock(&mu_);
  return cv_.wait_for(mu_, timeout, [this] {
    mu_.AssertHeld();
    return !pending_ && !busy_;
  });
}

void TrashBin::Loop(std::stop_token stop) {
  MutexLock lock(&mu_);
  while (cv_.wait(mu_, stop, [this] {
    mu_.AssertHeld();
    return pending_;
  })) {
    pending_ = false;
    busy_ = true;
    mu_.unlock();
    EmptyOnce(stop);
    mu_.lock();
    busy_ = false;
    cv_.notify_all();
  }
}

void TrashBin::EmptyOnce(std::stop_token stop) {
  std::error_code ec;
  std::vector<std::string> names;  // collected first: no removal while iterating
  for (const auto& entry : fs::directory_iterator(dir_, ec))
    names.push_back(entry.path().filename().string());
  if (ec) {
    NOJ_LOG_WARN("event=trash_remove_failed path={} error={}", Quote(dir_.string()),
                 Quote(ec.message()));
    return;
  }
  std::set<std::string> still_failing;
  for (const std::string& name : names) {
    auto start = std::chrono::steady_clock::now();
    Status removed = RemoveTreeBounded(dir_ / name, stop);
    if (removed.code() == ErrorCode::kAborted) return;  // stopping: the next start goes on
    if (removed.ok()) {
      std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
      NOJ_LOG_INFO("event=trash_removed path={} seconds={:.3f}", Quote((dir_ / name).string()),
                   took.count());
      continue;
    }
    // One line per failure, not one per pass: the next pass (after the next move) tries again.
    if (!failed_.contains(name))
      NOJ_LOG_WARN("event=trash_remove_failed path={} error={}", Quote((dir_ / name).string()),
                   Quote(removed.message()));
    still_failing.insert(name);
  }
  failed_ = std::move(still_failing);
}

int MoveLeftoversAside(const fs::path& work_dir, std::string_view keep, TrashBin& trash) {
  std::error_code ec;
  std::vector<fs::path> leftovers;
  for (const auto& entry : fs::directory_iterator(work_dir, ec)) {
    std::error_code same_ec;
    if (entry.path().filename() == keep || fs::equivalent(entry.path(), trash.dir(), same_ec))
      continue;
    leftovers.push_back(entry.path());
  }
  if (ec)
    NOJ_LOG_WARN("event=leftover_move_failed path={} error={}", Quote(work_dir.string()),
                 Quote(ec.message()));
  int moved = 0;
  for (const fs::path& path : leftovers) {
    if (Status s = trash.MoveAside(path); !s.ok()) {
      NOJ_LOG_WARN("event=leftover_move_failed path={} error={}", Quote(path.string()),
                   Quote(s.message()));
      continue;
    }
    NOJ_LOG_INFO("event=leftover_moved_aside path={} trash={}", Quote(path.string()),
                 Quote(trash.dir().string()));
    ++moved;
  }
  return moved;
}

}  // namespace noj::runner

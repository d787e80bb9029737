#include "runner/fs_util.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "runner/tree_removal.h"

namespace noj::runner {

Result<std::string> ReadFile(const fs::path& path, uint64_t max_bytes) {
  std::error_code ec;
  uint64_t size = fs::file_size(path, ec);
  if (ec) return NotFoundError("cannot read " + path.string() + ": " + ec.message());
  if (size > max_bytes)
    return ResourceExhaustedError(path.string() + " is larger than " + std::to_string(max_bytes) +
                                  " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot open " + path.string());
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  data.resize(static_cast<size_t>(in.gcount()));
  return data;
}

std::string ReadFilePrefix(const fs::path& path, uint64_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  // In chunks, each read() told only of the room it has: asking for max_bytes into a smaller
  // buffer overflows it when the file grew meanwhile, and fails outright (EFAULT, so "") when
  // buffer + max_bytes passes the top of the address space (a short string's buffer on a main
  // thread stack near the top: about 1 process in 256 for the 64 MiB output limit).
  std::string data;
  char chunk[64 * 1024];
  while (data.size() < max_bytes) {
    uint64_t want = std::min<uint64_t>(sizeof chunk, max_bytes - data.size());
    in.read(chunk, static_cast<std::streamsize>(want));
    if (in.gcount() <= 0) break;
    data.append(chunk, static_cast<size_t>(in.gcount()));
  }
  return data;
}

Status WriteFile(const fs::path& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return InternalError("cannot create " + path.string() + ": " + std::strerror(errno));
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) return InternalError("cannot write " + path.string());
  return Status::Ok();
}

Status MakeDirs(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return InternalError("cannot create directory " + path.string() + ": " + ec.message());
  return Status::Ok();
}

// Not fs::remove_all: it holds a descriptor per level, and a contestant's deep chain of
// directories makes it fail with EMFILE.
Status RemoveTree(const fs::path& path) { return RemoveTreeBounded(path); }

Status RemoveChildrenExcept(const fs::path& dir, std::string_view keep) {
  std::error_code ec;
  std::vector<fs::path> victims;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().filename() != keep) victims.push_back(entry.path());
  if (ec) return InternalError("cannot list " + dir.string() + ": " + ec.message());
  Status first;  // one broken entry does not keep the others
  for (const auto& p : victims)
    if (Status s = RemoveTree(p); !s.ok() && first.ok()) first = s;
  return first;
}

Result<fs::path> MakeUniqueDir(const fs::path& parent, std::string_view prefix) {
  for (int i = 0; i < 8; ++i) {
    fs::path p = parent / (std::string(prefix) + crypto::Base64UrlEncode(crypto::RandomBytes(9)));
    std::error_code ec;
    if (fs::create_directory(p, ec)) return p;
    if (ec && ec != std::errc::file_exists)
      return InternalError("cannot create directory " + p.string() + ": " + ec.message());
  }
  return InternalError("cannot create a unique directory in " + parent.string());
}

Result<DirLock> DirLock::Acquire(const fs::path& dir) {
  NOJ_RETURN_IF_ERROR(MakeDirs(dir));
  fs::path lock = dir / ".lock";
  int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return InternalError("cannot open " + lock.string() + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return FailedPreconditionError(dir.string() + " is in use by another runner");
  }
  return DirLock(fd);
}

DirLock::~DirLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace noj::runner

#include "runner/box_files.h"

#include <sys/stat.h>

#include <algorithm>

#include "runner/fs_util.h"

namespace noj::runner {
namespace {

constexpr auto kDirMode = fs::perms(0755);

bool ReadableByOthers(const fs::path& p) {
  std::error_code ec;
  fs::perms perms = fs::status(p, ec).permissions();
  return !ec && (perms & fs::perms::others_read) != fs::perms::none;
}

Status MakeDir0755(const fs::path& dir) {
  NOJ_RETURN_IF_ERROR(MakeDirs(dir));
  std::error_code ec;
  fs::permissions(dir, kDirMode, ec);
  if (ec) return InternalError("cannot chmod " + dir.string() + ": " + ec.message());
  return Status::Ok();
}

// What is at `p` without following a link (not_found when nothing).
fs::file_type TypeAt(const fs::path& p) {
  std::error_code ec;
  return fs::symlink_status(p, ec).type();
}

fs::perms BoxFileMode(fs::perms current) {
  return (current & fs::perms::owner_exec) != fs::perms::none ? fs::perms(0755) : fs::perms(0644);
}

}  // namespace

Status CopyFolderContents(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (!fs::is_directory(from, ec)) return Status::Ok();
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
  if (ec)
    return InternalError("cannot copy " + from.filename().string() + "/ into " + to.string() +
                         ": " + ec.message());
  return Status::Ok();
}

Status MakeReadableByBoxes(const fs::path& dir) {
  std::error_code ec;
  fs::permissions(dir, kDirMode, ec);
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    fs::file_status st = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_directory(st)) fs::permissions(it->path(), kDirMode, ec);
    if (fs::is_regular_file(st)) fs::permissions(it->path(), BoxFileMode(st.permissions()), ec);
    if (ec) break;
  }
  if (ec) return InternalError("cannot make " + dir.string() + " readable: " + ec.message());
  return Status::Ok();
}

Status PlaceFile(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (ReadableByOthers(from)) {
    fs::create_hard_link(from, to, ec);
    if (!ec) return Status::Ok();
  }
  ec.clear();
  fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
  if (ec) return InternalError("cannot copy " + from.string() + ": " + ec.message());
  fs::permissions(to, BoxFileMode(fs::status(to, ec).permissions()), ec);
  if (ec) return InternalError("cannot chmod " + to.string() + ": " + ec.message());
  return Status::Ok();
}

Status PlaceTree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  if (!fs::is_directory(from, ec)) return Status::Ok();
  NOJ_RETURN_IF_ERROR(MakeDir0755(to));
  for (auto it = fs::recursive_directory_iterator(from, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    fs::file_status st = it->symlink_status(ec);
    if (ec) break;
    fs::path target = to / it->path().lexically_relative(from);
    fs::file_type there = TypeAt(target);
    if (fs::is_directory(st)) {
      if (there == fs::file_type::directory) continue;
      if (there != fs::file_type::not_found) {
        it.disable_recursion_pending();  // a file of that name was placed first
        continue;
      }
      NOJ_RETURN_IF_ERROR(MakeDir0755(target));
    } else if (fs::is_regular_file(st) && there == fs::file_type::not_found) {
      NOJ_RETURN_IF_ERROR(PlaceFile(it->path(), target));
    }
  }
  if (ec) return InternalError("cannot place " + from.string() + ": " + ec.message());
  return Status::Ok();
}

Result<std::vector<std::string>> ListFilesBelow(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    fs::file_status st = it->symlink_status(ec);
    if (ec) break;
    if (fs::is_regular_file(st)) out.push_back(it->path().lexically_relative(dir).string());
  }
  if (ec) return InternalError("cannot list " + dir.string() + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

Status FreshDir(const fs::path& dir) {
  NOJ_RETURN_IF_ERROR(RemoveTree(dir));
  return MakeDir0755(dir);
}

}  // namespace noj::runner

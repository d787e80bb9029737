#include "runner/compile_cache_entry.h"

#include <algorithm>
#include <charconv>
#include <sstream>

#include "common/crypto.h"
#include "runner/box_files.h"
#include "runner/fs_util.h"

namespace noj::runner {
namespace {

constexpr char kManifestHeader[] = "noj-compile-cache 1";
constexpr fs::perms kEntryDirMode = fs::perms::owner_all | fs::perms::group_read |
                                    fs::perms::group_exec | fs::perms::others_read |
                                    fs::perms::others_exec;  // 0755: boxes read what is placed
constexpr fs::perms kEntryExecMode = kEntryDirMode;
constexpr fs::perms kEntryFileMode = fs::perms::owner_read | fs::perms::owner_write |
                                     fs::perms::group_read | fs::perms::others_read;  // 0644

// Creates the missing directories between `root` and `file` (0755), recording them in `made`
// (outermost first) so a failed placement can take them away again.
Status MakeParents(const fs::path& root, const fs::path& file, std::vector<fs::path>& made) {
  fs::path dir = root;
  for (const fs::path& part : file.parent_path().lexically_relative(root)) {
    if (part == ".") continue;
    dir /= part;
    std::error_code ec;
    if (fs::is_directory(fs::symlink_status(dir, ec))) continue;
    if (!fs::create_directory(dir, ec) || ec)
      return InternalError("cannot create " + dir.string() + ": " + ec.message());
    fs::permissions(dir, kEntryDirMode, ec);
    made.push_back(dir);
  }
  return Status::Ok();
}

bool SafeEntryName(const std::string& name) {
  if (name.empty() || name.find('\n') != std::string::npos || name.front() == '/') return false;
  for (const fs::path& part : fs::path(name))
    if (part == ".." || part == ".") return false;
  return true;
}

}  // namespace

Result<EntryManifest> WriteEntry(const fs::path& from, const std::vector<std::string>& names,
                                 const fs::path& entry, uint64_t max_bytes) {
  EntryManifest m;
  std::string text = std::string(kManifestHeader) + "\n";
  NOJ_RETURN_IF_ERROR(MakeDirs(entry / "files"));
  std::vector<fs::path> made;  // kept: the whole entry is removed on failure by the caller
  for (const std::string& name : names) {
    if (!SafeEntryName(name)) return InvalidArgumentError("cannot cache a file named " + name);
    auto content = ReadFile(from / name, max_bytes - m.bytes);
    if (!content.ok()) {
      if (content.status().code() == ErrorCode::kResourceExhausted) return content.status();
      return InternalError(content.status().message());
    }
    std::error_code ec;
    bool exec =
        (fs::status(from / name, ec).permissions() & fs::perms::owner_exec) != fs::perms::none;
    fs::path to = entry / "files" / name;
    NOJ_RETURN_IF_ERROR(MakeParents(entry / "files", to, made));
    NOJ_RETURN_IF_ERROR(WriteFile(to, *content));
    fs::permissions(to, exec ? kEntryExecMode : kEntryFileMode, ec);
    if (ec) return InternalError("cannot chmod " + to.string() + ": " + ec.message());
    CachedFile f{name, content->size(), crypto::Sha256Hex(*content), exec};
    text +=
        f.sha256 + " " + std::to_string(f.size) + " " + (exec ? "755" : "644") + " " + name + "\n";
    m.bytes += f.size;
    m.files.push_back(std::move(f));
  }
  NOJ_RETURN_IF_ERROR(WriteFile(entry / "manifest", text));
  return m;
}

Result<EntryManifest> ReadManifest(const fs::path& entry) {
  NOJ_ASSIGN_OR_RETURN(std::string text, ReadFile(entry / "manifest", 16 << 20));
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != kManifestHeader)
    return FailedPreconditionError("bad manifest header in " + entry.string());
  EntryManifest m;
  while (std::getline(in, line)) {
    // <sha256> <size> <mode> <name>: the name last, so it may hold spaces.
    size_t a = line.find(' ');
    size_t b = a == std::string::npos ? a : line.find(' ', a + 1);
    size_t c = b == std::string::npos ? b : line.find(' ', b + 1);
    if (c == std::string::npos)
      return FailedPreconditionError("bad manifest line in " + entry.string());
    CachedFile f;
    f.sha256 = line.substr(0, a);
    std::string_view size = std::string_view(line).substr(a + 1, b - a - 1);
    auto [end, err] = std::from_chars(size.data(), size.data() + size.size(), f.size);
    std::string mode = line.substr(b + 1, c - b - 1);
    f.name = line.substr(c + 1);
    if (err != std::errc() || end != size.data() + size.size() || f.sha256.size() != 64 ||
        (mode != "755" && mode != "644") || !SafeEntryName(f.name))
      return FailedPreconditionError("bad manifest line in " + entry.string());
    f.executable = mode == "755";
    m.bytes += f.size;
    m.files.push_back(std::move(f));
  }
  return m;
}

Status PlaceEntry(const fs::path& entry, const EntryManifest& manifest, const fs::path& to) {
  std::vector<fs::path> placed;
  std::vector<fs::path> made;
  auto undo = [&](Status why) {
    std::error_code ec;
    for (const fs::path& p : placed) fs::remove(p, ec);
    for (auto it = made.rbegin(); it != made.rend(); ++it) fs::remove(*it, ec);  // if empty
    return why;
  };
  for (const CachedFile& f : manifest.files) {
    fs::path target = to / f.name;
    std::error_code ec;
    if (fs::symlink_status(target, ec).type() != fs::file_type::not_found)
      return undo(AlreadyExistsError(target.string() + " is already there"));
    if (Status s = MakeParents(to, target, made); !s.ok()) return undo(s);
    fs::path cached = entry / "files" / f.name;
    if (!fs::is_regular_file(fs::symlink_status(cached, ec)))
      return undo(FailedPreconditionError(cached.string() + " is missing"));
    if (Status s = PlaceFile(cached, target); !s.ok()) return undo(s);
    placed.push_back(target);
  }
  // What the box will see is what is checked: a hard link is the cached file itself, a copy is
  // checked after it was made.
  for (const CachedFile& f : manifest.files) {
    auto content = ReadFile(to / f.name, f.size);
    if (!content.ok() || content->size() != f.size || crypto::Sha256Hex(*content) != f.sha256)
      return undo(FailedPreconditionError((entry / "files" / f.name).string() + " changed"));
  }
  return Status::Ok();
}

}  // namespace noj::runner

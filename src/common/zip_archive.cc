#include "common/zip_archive.h"

#include <sys/stat.h>
#include <zip.h>

#include <algorithm>
#include <memory>

namespace noj::zip {
namespace {

struct ArchiveCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using ArchivePtr = std::unique_ptr<zip_t, ArchiveCloser>;

struct FileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};
using FilePtr = std::unique_ptr<zip_file_t, FileCloser>;

constexpr uint64_t kChunk = 64 * 1024;

Result<ArchivePtr> OpenFromMemory(std::string_view bytes) {
  if (bytes.empty()) return InvalidArgumentError("zip is empty");
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  if (src == nullptr) {
    zip_error_fini(&err);
    return InternalError("zip_source_buffer_create failed");
  }
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (z == nullptr) {
    std::string msg = zip_error_strerror(&err);
    zip_source_free(src);
    zip_error_fini(&err);
    return InvalidArgumentError("not a valid zip archive: " + msg);
  }
  zip_error_fini(&err);
  return ArchivePtr(z);
}

bool IsSafeName(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string_view::npos)
    return false;
  if (name.find('\0') != std::string_view::npos) return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

Result<zip_int64_t> EntryCount(zip_t* z, const ReadLimits& limits) {
  zip_int64_t n = zip_get_num_entries(z, 0);
  if (n < 0 || static_cast<size_t>(n) > limits.max_entries)
    return InvalidArgumentError("zip has too many entries");
  return n;
}

Result<zip_stat_t> Stat(zip_t* z, zip_int64_t i) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(z, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW, &st) != 0 ||
      !(st.valid & ZIP_STAT_NAME) || !(st.valid & ZIP_STAT_SIZE))
    return InvalidArgumentError("unreadable zip entry");
  return st;
}

// A link is only recognisable by the Unix mode an archiver kept in the high 16 bits of the
// external attributes; other systems' attributes have no links.
bool IsLink(zip_t* z, zip_int64_t i) {
  zip_uint8_t opsys = 0;
  zip_uint32_t attributes = 0;
  if (zip_file_get_external_attributes(z, static_cast<zip_uint64_t>(i), 0, &opsys, &attributes) !=
      0)
    return false;
  return opsys == ZIP_OPSYS_UNIX && ((attributes >> 16) & S_IFMT) == S_IFLNK;
}

}  // namespace

Result<std::vector<EntryInfo>> ListEntries(std::string_view zip_bytes, const ReadLimits& limits) {
  NOJ_ASSIGN_OR_RETURN(ArchivePtr z, OpenFromMemory(zip_bytes));
  NOJ_ASSIGN_OR_RETURN(zip_int64_t n, EntryCount(z.get(), limits));
  std::vector<EntryInfo> out;
  out.reserve(static_cast<size_t>(n));
  for (zip_int64_t i = 0; i < n; ++i) {
    NOJ_ASSIGN_OR_RETURN(zip_stat_t st, Stat(z.get(), i));
    out.push_back(EntryInfo{st.name, st.size, IsLink(z.get(), i)});
  }
  return out;
}

Status CheckReadable(std::string_view zip_bytes, const ReadLimits& limits) {
  NOJ_ASSIGN_OR_RETURN(ArchivePtr z, OpenFromMemory(zip_bytes));
  NOJ_ASSIGN_OR_RETURN(zip_int64_t n, EntryCount(z.get(), limits));
  uint64_t total = 0;
  std::string buf(kChunk, '\0');
  for (zip_int64_t i = 0; i < n; ++i) {
    NOJ_ASSIGN_OR_RETURN(zip_stat_t st, Stat(z.get(), i));
    const std::string name = st.name;
    total += st.size;
    if (total > limits.max_total_bytes)
      return InvalidArgumentError("zip expands beyond the size limit");
    if (!name.empty() && name.back() == '/') continue;
    FilePtr f(zip_fopen_index(z.get(), static_cast<zip_uint64_t>(i), 0));
    if (!f) return InvalidArgumentError("cannot open zip entry: " + name);
    uint64_t got = 0;
    for (;;) {
      // Never read past the declared size: an entry that expands further is corrupt, and its
      // extra output must not be produced at all.
      const uint64_t want = std::min<uint64_t>(kChunk, st.size - got + 1);
      zip_int64_t r = zip_fread(f.get(), buf.data(), want);
      if (r < 0) return InvalidArgumentError("corrupt zip entry: " + name);
      if (r == 0) break;
      got += static_cast<uint64_t>(r);
      if (got > st.size) break;
    }
    if (got != st.size) return InvalidArgumentError("corrupt zip entry: " + name);
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ListNames(std::string_view zip_bytes, const ReadLimits& limits) {
  NOJ_ASSIGN_OR_RETURN(ArchivePtr z, OpenFromMemory(zip_bytes));
  NOJ_ASSIGN_OR_RETURN(zip_int64_t n, EntryCount(z.get(), limits));
  std::vector<std::string> names;
  names.reserve(static_cast<size_t>(n));
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(z.get(), static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
    if (name == nullptr) return InvalidArgumentError("zip entry without a name");
    names.emplace_back(name);
  }
  return names;
}

Result<std::vector<Entry>> ReadAll(std::string_view zip_bytes, const ReadLimits& limits) {
  NOJ_ASSIGN_OR_RETURN(ArchivePtr z, OpenFromMemory(zip_bytes));
  NOJ_ASSIGN_OR_RETURN(zip_int64_t n, EntryCount(z.get(), limits));
  std::vector<Entry> out;
  uint64_t total = 0;
  for (zip_int64_t i = 0; i < n; ++i) {
    NOJ_ASSIGN_OR_RETURN(zip_stat_t st, Stat(z.get(), i));
    std::string name = st.name;
    if (!IsSafeName(name)) return InvalidArgumentError("unsafe path in zip: " + name);
    total += st.size;
    if (total > limits.max_total_bytes)
      return InvalidArgumentError("zip expands beyond the size limit");
    Entry e{name, {}, IsLink(z.get(), i)};
    if (!name.empty() && name.back() != '/') {
      FilePtr f(zip_fopen_index(z.get(), static_cast<zip_uint64_t>(i), 0));
      if (!f) return InvalidArgumentError("cannot open zip entry: " + name);
      e.data.resize(st.size);
      zip_int64_t got = st.size == 0 ? 0 : zip_fread(f.get(), e.data.data(), st.size);
      if (got < 0 || static_cast<zip_uint64_t>(got) != st.size)
        return InvalidArgumentError("corrupt zip entry: " + name);
      // As CheckReadable does: read on to the end, so that an entry expanding beyond its
      // declared size, or failing its CRC (checked by libzip at the end), is refused too.
      char extra = 0;
      if (zip_fread(f.get(), &extra, 1) != 0)
        return InvalidArgumentError("corrupt zip entry: " + name);
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::string> Build(const std::vector<Entry>& entries) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (src == nullptr) return InternalError("zip_source_buffer_create failed");
  zip_source_keep(src);  // we read the bytes back after zip_close
  std::unique_ptr<zip_source_t, decltype(&zip_source_free)> src_guard(src, &zip_source_free);
  zip_t* z = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  if (z == nullptr) return InternalError("zip_open_from_source failed");
  for (const Entry& e : entries) {
    zip_source_t* data = zip_source_buffer(z, e.data.data(), e.data.size(), 0);
    zip_int64_t index =
        data == nullptr ? -1 : zip_file_add(z, e.name.c_str(), data, ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      if (data) zip_source_free(data);
      zip_discard(z);
      return InternalError("zip_file_add failed for " + e.name);
    }
    if (e.is_link &&
        zip_file_set_external_attributes(z, static_cast<zip_uint64_t>(index), 0, ZIP_OPSYS_UNIX,
                                         static_cast<zip_uint32_t>(S_IFLNK | 0777) << 16) != 0) {
      zip_discard(z);
      return InternalError("zip_file_set_external_attributes failed for " + e.name);
    }
  }
  if (zip_close(z) != 0) {
    zip_discard(z);
    return InternalError("zip_close failed");
  }
  if (zip_source_open(src) != 0) return InternalError("zip_source_open failed");
  std::string out;
  char buf[65536];
  zip_int64_t got;
  while ((got = zip_source_read(src, buf, sizeof buf)) > 0)
    out.append(buf, static_cast<size_t>(got));
  zip_source_close(src);
  if (got < 0) return InternalError("zip_source_read failed");
  return out;
}

}  // namespace noj::zip

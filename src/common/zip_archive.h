#pragma once
// Zip packages (code and testdata) in memory, on libzip. Reading is bounded so that a hostile
// archive (zip bomb, thousands of entries, path tricks) gives kInvalidArgument, never a crash.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace noj::zip {

struct Entry {
  std::string name;      // as stored; directories end with '/'
  std::string data;      // empty for directories; a link's target
  bool is_link = false;  // a Unix symbolic link (Build writes one, ReadAll reports one)
};

// What the central directory says about an entry, without decompressing anything.
struct EntryInfo {
  std::string name;      // as stored, raw bytes; directories end with '/'
  uint64_t size = 0;     // uncompressed size as declared (a forged zip may lie: see CheckReadable)
  bool is_link = false;  // Unix symbolic link, from the external attributes
};

struct ReadLimits {
  size_t max_entries = 4096;
  uint64_t max_total_bytes = uint64_t{1} << 30;  // uncompressed
};

// Names only (cheap: no decompression).
Result<std::vector<std::string>> ListNames(std::string_view zip_bytes,
                                           const ReadLimits& limits = {});

// Every entry's name, declared size and kind, in archive order (cheap: no decompression). Names are
// not judged here: a package validator reports unsafe ones with the rest.
Result<std::vector<EntryInfo>> ListEntries(std::string_view zip_bytes,
                                           const ReadLimits& limits = {});

// Decompresses every entry in 64 KiB chunks (never one whole entry in memory), so a server can
// check an upload without holding its expansion: kInvalidArgument naming the first entry that
// does not yield its declared size or fails its CRC, or when the total passes the limit.
Status CheckReadable(std::string_view zip_bytes, const ReadLimits& limits = {});

// Every entry, decompressed. Rejects absolute names and names with "..".
Result<std::vector<Entry>> ReadAll(std::string_view zip_bytes, const ReadLimits& limits = {});

// Builds a zip (deflate) holding the given files (and links, whose target is `data`).
Result<std::string> Build(const std::vector<Entry>& entries);

}  // namespace noj::zip

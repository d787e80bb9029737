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
  std::string name;  // as stored; directories end with '/'
  std::string data;  // empty for directories
};

struct ReadLimits {
  size_t max_entries = 4096;
  uint64_t max_total_bytes = uint64_t{1} << 30;  // uncompressed
};

// Names only (cheap: no decompression).
Result<std::vector<std::string>> ListNames(std::string_view zip_bytes, const ReadLimits& limits = {});

// Every entry, decompressed. Rejects absolute names and names with "..".
Result<std::vector<Entry>> ReadAll(std::string_view zip_bytes, const ReadLimits& limits = {});

// Builds a zip (deflate) holding the given files.
Result<std::string> Build(const std::vector<Entry>& entries);

}  // namespace noj::zip

#pragma once
// One entry of the compile cache on disk: what one compile produced, with a manifest to check it
// by before it is used.
//   <entry>/manifest   "noj-compile-cache 1" then one line per file: <sha256> <size> <mode> <name>
//   <entry>/files/…    the files, at their paths relative to the compile's collect dir
// A name holding a newline cannot be written down, so such a compile is not cached.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"

namespace noj::runner {

struct CachedFile {
  std::string name;  // relative path ("main", "__pycache__/main.cpython-311.pyc")
  uint64_t size = 0;
  std::string sha256;
  bool executable = false;  // 0755 in the entry, else 0644
};

struct EntryManifest {
  std::vector<CachedFile> files;
  uint64_t bytes = 0;  // the files' sizes together (what the cache's size bound counts)
};

// Copies `names` (relative to `from`) into the empty or absent dir `entry` and writes its
// manifest. kResourceExhausted when they are more than `max_bytes` together; kInvalidArgument for
// a name the manifest cannot hold; kInternal for disk trouble.
Result<EntryManifest> WriteEntry(const std::filesystem::path& from,
                                 const std::vector<std::string>& names,
                                 const std::filesystem::path& entry, uint64_t max_bytes);

// The manifest of `entry`; kNotFound when absent, kFailedPrecondition when it cannot be parsed.
Result<EntryManifest> ReadManifest(const std::filesystem::path& entry);

// Places the entry's files into `to` (hard links when on one filesystem, else copies: PlaceFile)
// and then checks what was placed against the manifest (size and SHA-256), so a changed or missing
// file is caught whichever way it was placed. On any failure what was placed is removed again:
// kFailedPrecondition for an entry that does not match its manifest (evict it), kAlreadyExists when
// `to` already holds one of the names, kInternal for other disk trouble.
Status PlaceEntry(const std::filesystem::path& entry, const EntryManifest& manifest,
                  const std::filesystem::path& to);

}  // namespace noj::runner

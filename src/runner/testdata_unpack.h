#pragma once
// Unpacking a testdata zip into a directory with a manifest, and checking a directory against
// its manifest (the cache's corruption check: every listed file present with its size).

#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace noj::runner {

inline constexpr char kManifestName[] = ".noj-manifest";

// Writes every entry of `zip_bytes` under `dir` (which exists and is empty), then the manifest
// naming `checksum`. kInvalidArgument for a bad zip, kInternal for disk errors.
Status UnpackTestdata(std::string_view zip_bytes, const std::filesystem::path& dir,
                      const std::string& checksum);

// True when `dir` holds a manifest for `checksum` and every file it lists, with the listed size.
bool VerifyTestdataDir(const std::filesystem::path& dir, const std::string& checksum);

}  // namespace noj::runner

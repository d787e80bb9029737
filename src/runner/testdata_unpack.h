#pragma once
// Unpacking a testdata zip and its problem meta into a directory with a manifest, and checking a
// directory against its manifest (the cache's corruption check: every listed file present with
// its size). Names starting with ".noj-" belong to the runner: such zip entries are skipped.

#include <filesystem>
#include <string>
#include <string_view>

#include "common/status.h"

namespace noj::runner {

inline constexpr char kManifestName[] = ".noj-manifest";
inline constexpr char kMetaName[] = ".noj-meta.json";  // the meta's `data` object ("{}": plain)

// Writes every entry of `zip_bytes` under `dir` (which exists and is empty), `meta_json` (empty:
// "{}") as kMetaName, then the manifest naming `checksum` and listing both. kInvalidArgument for
// a bad zip, kInternal for disk errors.
Status UnpackTestdata(std::string_view zip_bytes, std::string_view meta_json,
                      const std::filesystem::path& dir, const std::string& checksum);

// True when `dir` holds a manifest for `checksum` and every file it lists, with the listed size.
bool VerifyTestdataDir(const std::filesystem::path& dir, const std::string& checksum);

}  // namespace noj::runner

#include "runner/testdata_unpack.h"

#include <fstream>
#include <sstream>

#include "common/zip_archive.h"
#include "runner/fs_util.h"

namespace noj::runner {
namespace {

// Version 2 lists the meta file; a version 1 directory (no meta) is downloaded again.
constexpr char kManifestHeader[] = "noj-testdata-manifest 2 ";

}  // namespace

Status UnpackTestdata(std::string_view zip_bytes, std::string_view meta_json, const fs::path& dir,
                      const std::string& checksum) {
  zip::ReadLimits limits{.max_entries = 50000, .max_total_bytes = uint64_t{2} << 30};
  auto entries = zip::ReadAll(zip_bytes, limits);
  if (!entries.ok()) return InvalidArgumentError("bad testdata zip: " + entries.status().message());
  std::string manifest = kManifestHeader + checksum + "\n";
  for (const zip::Entry& e : *entries) {
    if (e.name.starts_with(".noj-")) continue;  // the runner's own names
    fs::path target = dir / e.name;
    if (!e.name.empty() && e.name.back() == '/') {
      NOJ_RETURN_IF_ERROR(MakeDirs(target));
      continue;
    }
    NOJ_RETURN_IF_ERROR(MakeDirs(target.parent_path()));
    NOJ_RETURN_IF_ERROR(WriteFile(target, e.data));
    manifest += std::to_string(e.data.size()) + " " + e.name + "\n";
  }
  std::string_view meta = meta_json.empty() ? std::string_view("{}") : meta_json;
  NOJ_RETURN_IF_ERROR(WriteFile(dir / kMetaName, meta));
  manifest += std::to_string(meta.size()) + " " + kMetaName + "\n";
  return WriteFile(dir / kManifestName, manifest);
}

bool VerifyTestdataDir(const fs::path& dir, const std::string& checksum) {
  std::ifstream in(dir / kManifestName);
  std::string line;
  if (!in || !std::getline(in, line) || line != kManifestHeader + checksum) return false;
  while (std::getline(in, line)) {
    size_t space = line.find(' ');
    if (space == std::string::npos) return false;
    std::error_code ec;
    uint64_t size = fs::file_size(dir / line.substr(space + 1), ec);
    if (ec || std::to_string(size) != line.substr(0, space)) return false;
  }
  return true;
}

}  // namespace noj::runner

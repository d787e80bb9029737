#include "runner/code_package.h"

#include "common/zip_archive.h"

namespace noj::runner {

Result<std::string> ExtractSource(std::string_view zip_bytes, std::string_view source_name) {
  zip::ReadLimits limits{.max_entries = 16, .max_total_bytes = 64u << 20};
  auto entries = zip::ReadAll(zip_bytes, limits);
  if (!entries.ok())
    return InvalidArgumentError("code is not a valid zip: " + entries.status().message());
  std::string want(source_name);
  if (entries->size() != 1 || (*entries)[0].name != want) {
    std::string names;
    for (const auto& e : *entries) names += (names.empty() ? "" : ", ") + e.name;
    return InvalidArgumentError("code zip must hold exactly " + want + ", got [" + names + "]");
  }
  return std::move((*entries)[0].data);
}

}  // namespace noj::runner

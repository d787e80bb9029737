#pragma once
// The status page's files (src/server/ui/static/), embedded at build time by embed_ui.cmake so
// nojd serves them with no files at run time. Names are file names: "index.html", "app.js", …

#include <cstddef>
#include <string_view>

namespace noj::server::ui {

struct UiAsset {
  std::string_view name;
  std::string_view content_type;
  std::string_view body;
};

extern const UiAsset kUiAssets[];
extern const size_t kUiAssetCount;

}  // namespace noj::server::ui

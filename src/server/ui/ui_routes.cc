// The status page (GET /ui and its files): static HTML/CSS/JS embedded in the binary. No auth for
// the files themselves — they hold no data; the page asks for the API token and calls the client
// API with it like any other client. Every file gets a strict CSP (no inline script or style, no
// other origin), no-cache with an ETag (revalidated, so an upgraded nojd is picked up at once),
// and nosniff.

#include <string>
#include <string_view>
#include <vector>

#include "common/crypto.h"
#include "server/api/routes.h"
#include "server/http/respond.h"
#include "server/ui/embedded_ui.h"

namespace noj::server {
namespace {

constexpr std::string_view kIndex = "index.html";

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

const ui::UiAsset* FindAsset(std::string_view name) {
  for (size_t i = 0; i < ui::kUiAssetCount; ++i)
    if (ui::kUiAssets[i].name == name) return &ui::kUiAssets[i];
  return nullptr;
}

// A strong validator per file, computed once (the files cannot change while nojd runs).
const std::string& ETagOf(const ui::UiAsset& asset) {
  static const std::vector<std::string> tags = [] {
    std::vector<std::string> out;
    for (size_t i = 0; i < ui::kUiAssetCount; ++i)
      out.push_back("\"" + crypto::Sha256Hex(ui::kUiAssets[i].body).substr(0, 32) + "\"");
    return out;
  }();
  return tags[static_cast<size_t>(&asset - ui::kUiAssets)];
}

void AddCommonHeaders(Response& r) {
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Content-Security-Policy", kContentSecurityPolicy);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("X-Frame-Options", "DENY");
}

Response Serve(const Request& req, std::string_view name) {
  const ui::UiAsset* asset = FindAsset(name);
  if (asset == nullptr) return ErrorResponse(404, "no such file");
  const std::string& etag = ETagOf(*asset);
  Response r;
  if (const std::string* inm = req.Header("if-none-match"); inm != nullptr && *inm == etag) {
    r = Empty(304);
  } else {
    r.status = 200;
    r.content_type = std::string(asset->content_type);
    r.body = std::string(asset->body);
  }
  r.headers.emplace_back("ETag", etag);
  AddCommonHeaders(r);
  return r;
}

// "/ui/" and "/ui" are the same route (empty segments are dropped), but the page's relative links
// ("ui/app.js") only resolve from "/ui": send "/ui/" there. Relative, so a path prefix added by a
// reverse proxy survives.
bool HasTrailingSlash(const Request& req) {
  std::string_view path(req.target);
  if (size_t q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  return path.size() > 1 && path.back() == '/';
}

}  // namespace

void AddUiRoutes(Router& router) {
  auto index = [](const Request& r, const PathParams&) -> HandlerResult {
    if (HasTrailingSlash(r)) {
      Response redirect = Empty(301);
      redirect.headers.emplace_back("Location", "../ui");
      AddCommonHeaders(redirect);
      return redirect;
    }
    return Serve(r, kIndex);
  };
  auto file = [](const Request& r, const PathParams& p) -> HandlerResult { return Serve(r, p[0]); };
  // Static files, never the store: served on the I/O thread even while the store stalls.
  router.Add("GET", "/ui", index, RouteOptions{RouteKind::kInline});
  router.Add("GET", "/ui/{file}", file, RouteOptions{RouteKind::kInline});
}

}  // namespace noj::server

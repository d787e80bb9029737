#include "api/capabilities_codec.h"

#include <algorithm>
#include <string>
#include <vector>

#include "api/field_reader.h"

namespace noj::api {
namespace {

namespace bj = boost::json;

constexpr size_t kMaxListed = kMaxLanguageCode + 1;

Result<std::vector<int>> LanguagesOf(const bj::value& v) {
  const std::string what =
      "languages must be an array of language codes (0-" + std::to_string(kMaxLanguageCode) + ")";
  if (!v.is_array()) return InvalidArgumentError(what);
  const bj::array& codes = v.as_array();
  if (codes.empty()) return InvalidArgumentError("languages must name at least one language");
  if (codes.size() > kMaxListed)
    return InvalidArgumentError("languages lists more than " + std::to_string(kMaxListed) +
                                " codes");
  std::vector<int> out;
  for (const bj::value& code : codes) {
    bool out_of_range = false;
    std::optional<int64_t> n = internal::IntegerOf(code, &out_of_range);
    if (!n || *n < 0 || *n > kMaxLanguageCode)
      return InvalidArgumentError(what + ", got " + internal::QuoteForMessage(bj::serialize(code)));
    out.push_back(static_cast<int>(*n));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<uint32_t> FeaturesOf(const bj::value& v) {
  constexpr const char* kWhat =
      "features must be an array of feature names (checker, interactive, fileio)";
  if (!v.is_array()) return InvalidArgumentError(kWhat);
  if (v.as_array().size() > kMaxListed) return InvalidArgumentError(kWhat);
  std::vector<std::string> names;
  for (const bj::value& name : v.as_array()) {
    if (!name.is_string()) return InvalidArgumentError(kWhat);
    names.emplace_back(name.as_string());
  }
  return FeaturesFromNames(names);
}

}  // namespace

void AppendRunnerCapabilitiesJson(const RunnerCapabilities& capabilities, bj::object& body) {
  bj::array languages;
  for (int code : capabilities.languages) languages.push_back(code);
  bj::array features;
  for (const std::string& name : FeatureNames(capabilities.features))
    features.push_back(bj::string(name));
  body["languages"] = std::move(languages);
  body["features"] = std::move(features);
}

Result<RunnerCapabilities> RunnerCapabilitiesFromJson(const bj::object& body) {
  RunnerCapabilities caps;
  if (const bj::value* v = body.if_contains("languages"); v != nullptr && !v->is_null()) {
    NOJ_ASSIGN_OR_RETURN(caps.languages, LanguagesOf(*v));
  }
  if (const bj::value* v = body.if_contains("features"); v != nullptr && !v->is_null()) {
    NOJ_ASSIGN_OR_RETURN(caps.features, FeaturesOf(*v));
  }
  return caps;
}

}  // namespace noj::api

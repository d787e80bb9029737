#include "api/requirements.h"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <charconv>

#include "api/field_reader.h"
#include "common/json_util.h"

namespace noj::api {
namespace {

namespace bj = boost::json;

constexpr std::array<const char*, 3> kFeatureNames = {"checker", "interactive", "fileio"};

std::optional<int> ParseDecimal(std::string_view text) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

const char* BuiltinLanguageName(int code) {
  switch (code) {
    case 0:
      return "C";
    case 1:
      return "C++";
    case 2:
      return "Python 3";
    // The codes of the languages file shipped with the runner (config/languages.toml): an
    // operator's own codes show as "language N".
    case 4:
      return "C++20";
    case 5:
      return "Java";
    case 6:
      return "Rust";
    case 7:
      return "Go";
    case 8:
      return "PyPy 3";
    case 9:
      return "JavaScript";
    default:
      return nullptr;
  }
}

std::string RequirementsKey(const JobRequirements& r) {
  return std::to_string(r.language) + ":" + std::to_string(r.features);
}

std::optional<JobRequirements> RequirementsFromKey(std::string_view key) {
  const size_t colon = key.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  std::optional<int> language = ParseDecimal(key.substr(0, colon));
  std::optional<int> features = ParseDecimal(key.substr(colon + 1));
  if (!language || !features || *language < 0 || *language > kMaxLanguageCode || *features < 0 ||
      (static_cast<uint32_t>(*features) & ~kAllFeatures) != 0)
    return std::nullopt;
  return JobRequirements{*language, static_cast<uint32_t>(*features)};
}

std::string RequirementsLabel(const JobRequirements& r) {
  const char* name = BuiltinLanguageName(r.language);
  std::string out = name != nullptr ? name : "language " + std::to_string(r.language);
  for (const std::string& f : FeatureNames(r.features)) out += " + " + f;
  return out;
}

std::vector<std::string> FeatureNames(uint32_t features) {
  std::vector<std::string> out;
  for (size_t i = 0; i < kFeatureNames.size(); ++i)
    if ((features & (1u << i)) != 0) out.emplace_back(kFeatureNames[i]);
  return out;
}

Result<uint32_t> FeaturesFromNames(const std::vector<std::string>& names) {
  uint32_t out = 0;
  for (const std::string& name : names) {
    auto it = std::find(kFeatureNames.begin(), kFeatureNames.end(), name);
    if (it == kFeatureNames.end())
      return InvalidArgumentError("unknown feature " + internal::QuoteForMessage(name) +
                                  " (checker, interactive or fileio)");
    out |= 1u << static_cast<uint32_t>(it - kFeatureNames.begin());
  }
  return out;
}

bool RunnerCapabilities::CanTake(const JobRequirements& r) const {
  return (r.features & ~features) == 0 &&
         std::binary_search(languages.begin(), languages.end(), r.language);
}

std::string RunnerCapabilitiesToText(const RunnerCapabilities& c) {
  bj::object o;
  bj::array langs;
  for (int code : c.languages) langs.push_back(code);
  o["languages"] = std::move(langs);
  bj::array features;
  for (const std::string& f : FeatureNames(c.features)) features.push_back(bj::string(f));
  o["features"] = std::move(features);
  return json::Dump(o);
}

Result<RunnerCapabilities> RunnerCapabilitiesFromText(const std::string& text) {
  if (text.empty()) return RunnerCapabilities{};
  NOJ_ASSIGN_OR_RETURN(bj::value v, json::Parse(text));
  const bj::object* o = v.if_object();
  if (o == nullptr) return InvalidArgumentError("runner capabilities: not an object");
  RunnerCapabilities caps;
  caps.languages.clear();
  if (const bj::value* langs = o->if_contains("languages"); langs != nullptr && langs->is_array())
    for (const bj::value& code : langs->as_array()) {
      bool out_of_range = false;
      std::optional<int64_t> n = internal::IntegerOf(code, &out_of_range);
      if (!n || *n < 0 || *n > kMaxLanguageCode)
        return InvalidArgumentError("runner capabilities: bad language code");
      caps.languages.push_back(static_cast<int>(*n));
    }
  std::sort(caps.languages.begin(), caps.languages.end());
  caps.languages.erase(std::unique(caps.languages.begin(), caps.languages.end()),
                       caps.languages.end());
  std::vector<std::string> names;
  if (const bj::value* fs = o->if_contains("features"); fs != nullptr && fs->is_array())
    for (const bj::value& f : fs->as_array())
      if (f.is_string()) names.emplace_back(f.as_string());
  NOJ_ASSIGN_OR_RETURN(caps.features, FeaturesFromNames(names));
  return caps;
}

}  // namespace noj::api

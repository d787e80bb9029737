#pragma once
// What a job needs from a runner, and what a runner says it can do (judging.md §5). A job's
// requirement class is its language plus the features its problem needs; a runner takes a job
// only when it declared the language and every feature.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/limits.h"
#include "common/status.h"

namespace noj::api {

// Feature bits, in the order of their names in kFeatureNames.
enum Feature : uint32_t {
  kFeatureChecker = 1u << 0,      // "checker": a checker other than `default`
  kFeatureInteractive = 1u << 1,  // "interactive"
  kFeatureFileIo = 1u << 2,       // "fileio": a ContextIO package
};
inline constexpr uint32_t kAllFeatures = kFeatureChecker | kFeatureInteractive | kFeatureFileIo;

struct JobRequirements {
  int language = 0;
  uint32_t features = 0;
  bool operator==(const JobRequirements&) const = default;
  auto operator<=>(const JobRequirements&) const = default;
};

// "C", "C++", "Python 3" for Normal-OJ's codes 0-2, and the names of the codes the runner's
// shipped languages file uses (4 C++20, 5 Java, 6 Rust, 7 Go, 8 PyPy 3, 9 JavaScript);
// nullptr for any other code.
const char* BuiltinLanguageName(int code);

// The stored key of a class: "<language>:<feature bits>", e.g. "1:0", "4:5". Lua parses it too.
std::string RequirementsKey(const JobRequirements& r);
std::optional<JobRequirements> RequirementsFromKey(std::string_view key);
// For people: "C++", "C + checker + fileio", "language 7 + interactive".
std::string RequirementsLabel(const JobRequirements& r);

// "checker", "interactive", "fileio" for the bits set, in bit order.
std::vector<std::string> FeatureNames(uint32_t features);
// kInvalidArgument naming an unknown feature.
Result<uint32_t> FeaturesFromNames(const std::vector<std::string>& names);

struct RunnerCapabilities {
  std::vector<int> languages = {0, 1, 2};  // sorted, distinct; what Normal-OJ's runner can do
  uint32_t features = 0;
  bool operator==(const RunnerCapabilities&) const = default;
  bool CanTake(const JobRequirements& r) const;
};

// Stored form: {"languages":[0,1,2],"features":["checker"]}; "" reads as the default.
std::string RunnerCapabilitiesToText(const RunnerCapabilities& c);
Result<RunnerCapabilities> RunnerCapabilitiesFromText(const std::string& text);

}  // namespace noj::api

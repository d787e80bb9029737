#pragma once
// The problem meta extensions of judging.md §2, next to `tasks`: how output is checked, whether
// the problem is interactive, its output limit and the languages it accepts. Absent keys mean
// what a Normal-OJ problem means, so a plain problem's meta (and checksum) is unchanged.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace noj::api {

namespace bj = boost::json;

enum class CheckerKind { kDefault, kExact, kTokens, kFloat, kCustom };

struct CheckerSpec {
  CheckerKind kind = CheckerKind::kDefault;
  double abs = 0;  // kFloat only: |a - b| <= abs ...
  double rel = 0;  // ... or |a - b| <= rel * |b|
  bool operator==(const CheckerSpec&) const = default;
};

struct ProblemMeta {
  CheckerSpec checker;
  bool interactive = false;                   // the source in interactor/ (§4)
  std::optional<int64_t> output_limit_bytes;  // "outputLimit"; nullopt: the runner's own
  std::vector<int> languages;                 // "languages"; empty: any language
  bool operator==(const ProblemMeta&) const = default;
  bool IsPlain() const { return *this == ProblemMeta{}; }
};

// "default", "exact", "tokens", "float", "custom".
const char* CheckerKindName(CheckerKind kind);

// Appends to `data` the keys that differ from the defaults, in this order: checker,
// interactive, outputLimit, languages (after `tasks`, so the meta endpoint's order is fixed).
void AppendProblemMetaJson(const ProblemMeta& meta, bj::object& data);

// Reads the extension keys of an object that also holds others (title, tasks), which it ignores.
// kInvalidArgument naming the first bad key ("checker.abs: must be a finite number >= 0").
Result<ProblemMeta> ProblemMetaFromJson(const bj::object& obj);

// The stored form (both stores): the extension keys as a JSON object text; "{}" when plain.
std::string ProblemMetaToText(const ProblemMeta& meta);
Result<ProblemMeta> ProblemMetaFromText(const std::string& text);

}  // namespace noj::api

#include "api/problem_meta.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "api/field_reader.h"
#include "api/requirements.h"
#include "common/json_util.h"

namespace noj::api {
namespace {

using internal::FieldReader;
using internal::InvalidAt;

constexpr int64_t kMinOutputLimit = 1024;              // 1 KiB
constexpr int64_t kMaxOutputLimit = int64_t{1} << 30;  // 1 GiB
constexpr double kMaxTolerance = 1e9;

std::optional<CheckerKind> CheckerKindFromName(std::string_view name) {
  for (CheckerKind k : {CheckerKind::kDefault, CheckerKind::kExact, CheckerKind::kTokens,
                        CheckerKind::kFloat, CheckerKind::kCustom})
    if (name == CheckerKindName(k)) return k;
  return std::nullopt;
}

Result<double> ReadTolerance(const bj::object& obj, std::string_view key) {
  const std::string path = "checker." + std::string(key);
  const bj::value* v = obj.if_contains(key);
  if (v == nullptr) return InvalidAt(path, "is required for the float checker");
  double d = 0;
  if (v->is_double())
    d = v->as_double();
  else if (v->is_int64())
    d = static_cast<double>(v->as_int64());
  else if (v->is_uint64())
    d = static_cast<double>(v->as_uint64());
  else
    return InvalidAt(path, "must be a number");
  if (!std::isfinite(d) || d < 0 || d > kMaxTolerance)
    return InvalidAt(path, "must be a finite number between 0 and 1e9");
  return d;
}

Result<CheckerSpec> ParseChecker(const bj::value& v) {
  if (!v.is_object()) return InvalidAt("checker", "must be an object with a type");
  const bj::object& obj = v.as_object();
  const bj::value* type = obj.if_contains("type");
  if (type == nullptr) return InvalidAt("checker.type", "is required");
  if (!type->is_string()) return InvalidAt("checker.type", "must be a string");
  std::optional<CheckerKind> kind = CheckerKindFromName(type->as_string());
  if (!kind)
    return InvalidAt("checker.type", "unknown checker " +
                                         internal::QuoteForMessage(type->as_string()) +
                                         " (default, exact, tokens, float or custom)");
  CheckerSpec spec;
  spec.kind = *kind;
  for (const auto& kv : obj) {
    const bool tolerance = kv.key() == "abs" || kv.key() == "rel";
    if (kv.key() == "type" || (tolerance && spec.kind == CheckerKind::kFloat)) continue;
    return InvalidAt("checker." + std::string(kv.key()),
                     tolerance ? "is only allowed for the float checker" : "unknown key");
  }
  if (spec.kind == CheckerKind::kFloat) {
    NOJ_ASSIGN_OR_RETURN(spec.abs, ReadTolerance(obj, "abs"));
    NOJ_ASSIGN_OR_RETURN(spec.rel, ReadTolerance(obj, "rel"));
  }
  return spec;
}

Result<std::vector<int>> ParseLanguages(const bj::value& v) {
  if (!v.is_array() || v.as_array().empty())
    return InvalidAt("languages", "must be a non-empty array of language codes");
  std::set<int> codes;
  for (size_t i = 0; i < v.as_array().size(); ++i) {
    bool out_of_range = false;
    std::optional<int64_t> code = internal::IntegerOf(v.as_array()[i], &out_of_range);
    const std::string path = "languages[" + std::to_string(i) + "]";
    if (!code || *code < 0 || *code > kMaxLanguageCode || *code == 3)
      return InvalidAt(path, "must be a language code 0..63 other than 3");
    if (!codes.insert(static_cast<int>(*code)).second) return InvalidAt(path, "is a duplicate");
  }
  return std::vector<int>(codes.begin(), codes.end());
}

}  // namespace

const char* CheckerKindName(CheckerKind kind) {
  switch (kind) {
    case CheckerKind::kDefault:
      return "default";
    case CheckerKind::kExact:
      return "exact";
    case CheckerKind::kTokens:
      return "tokens";
    case CheckerKind::kFloat:
      return "float";
    case CheckerKind::kCustom:
      return "custom";
  }
  return "default";
}

void AppendProblemMetaJson(const ProblemMeta& meta, bj::object& data) {
  if (meta.checker.kind != CheckerKind::kDefault) {
    bj::object checker;
    checker["type"] = CheckerKindName(meta.checker.kind);
    if (meta.checker.kind == CheckerKind::kFloat) {
      checker["abs"] = meta.checker.abs;
      checker["rel"] = meta.checker.rel;
    }
    data["checker"] = std::move(checker);
  }
  if (meta.interactive) data["interactive"] = true;
  if (meta.output_limit_bytes) data["outputLimit"] = *meta.output_limit_bytes;
  if (!meta.languages.empty()) {
    bj::array langs;
    for (int code : meta.languages) langs.push_back(code);
    data["languages"] = std::move(langs);
  }
}

Result<ProblemMeta> ProblemMetaFromJson(const bj::object& obj) {
  ProblemMeta meta;
  if (const bj::value* v = obj.if_contains("checker"); v != nullptr && !v->is_null()) {
    NOJ_ASSIGN_OR_RETURN(meta.checker, ParseChecker(*v));
  }
  if (const bj::value* v = obj.if_contains("interactive"); v != nullptr && !v->is_null()) {
    if (!v->is_bool()) return InvalidAt("interactive", "must be true or false");
    meta.interactive = v->as_bool();
  }
  FieldReader r(obj, "", /*camel_names=*/true);
  NOJ_ASSIGN_OR_RETURN(meta.output_limit_bytes,
                       r.OptionalInt("output_limit", kMinOutputLimit, kMaxOutputLimit));
  if (const bj::value* v = obj.if_contains("languages"); v != nullptr && !v->is_null()) {
    NOJ_ASSIGN_OR_RETURN(meta.languages, ParseLanguages(*v));
  }
  return meta;
}

std::string ProblemMetaToText(const ProblemMeta& meta) {
  bj::object data;
  AppendProblemMetaJson(meta, data);
  return json::Dump(data);
}

Result<ProblemMeta> ProblemMetaFromText(const std::string& text) {
  if (text.empty()) return ProblemMeta{};
  NOJ_ASSIGN_OR_RETURN(bj::value v, json::Parse(text));
  if (!v.is_object()) return InvalidArgumentError("problem meta is not a JSON object");
  return ProblemMetaFromJson(v.as_object());
}

}  // namespace noj::api

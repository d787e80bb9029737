#include "api/field_reader.h"

namespace noj::api {

std::string_view Utf8Prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  auto is_continuation = [&](size_t i) {
    return (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
  };
  if (!is_continuation(max_bytes)) return s.substr(0, max_bytes);
  // s[max_bytes] continues a sequence that starts at most 3 bytes earlier: cut before its lead.
  size_t p = max_bytes;
  while (p > 0 && max_bytes - p < 3 && is_continuation(p)) --p;
  if (static_cast<unsigned char>(s[p]) >= 0xC0) return s.substr(0, p);
  return s.substr(0, max_bytes);  // not UTF-8 anyway: a plain cut
}

std::string QuoteForMessage(std::string_view s) {
  constexpr size_t kMax = 32;
  std::string_view cut = Utf8Prefix(s, kMax);
  return "'" + std::string(cut) + (cut.size() < s.size() ? "...'" : "'");
}

Status InvalidAt(std::string_view path, std::string_view what) {
  if (path.empty()) return InvalidArgumentError(std::string(what));
  return InvalidArgumentError(std::string(path) + ": " + std::string(what));
}

const bj::value* FieldReader::Find(std::string_view snake) const { return json::Find(obj_, snake); }

const bj::value* FieldReader::FindSet(std::string_view snake) const {
  const bj::value* v = Find(snake);
  return v != nullptr && !v->is_null() ? v : nullptr;
}

std::string FieldReader::Name(std::string_view snake) const {
  return camel_names_ ? json::SnakeToCamel(snake) : std::string(snake);
}

std::string FieldReader::PathOf(std::string_view snake) const {
  return path_.empty() ? Name(snake) : path_ + "." + Name(snake);
}

Status FieldReader::Missing(std::string_view snake) const {
  return InvalidAt(path_, "missing field '" + Name(snake) + "'");
}

Status FieldReader::Invalid(std::string_view snake, std::string_view what) const {
  return InvalidAt(PathOf(snake), what);
}

Result<int64_t> FieldReader::CheckInt(std::string_view snake, const bj::value& v, int64_t lo,
                                      int64_t hi) const {
  bool out_of_range = false;
  std::optional<int64_t> n = IntegerOf(v, &out_of_range);
  if (!n && !out_of_range) return Invalid(snake, "must be an integer");
  if (n && *n >= lo && *n <= hi) return *n;
  if (lo == 0 && n && *n < 0) return Invalid(snake, "must not be negative");
  return Invalid(snake, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
}

Result<int64_t> FieldReader::Int(std::string_view snake, int64_t lo, int64_t hi) const {
  const bj::value* v = Find(snake);
  if (v == nullptr) return Missing(snake);
  return CheckInt(snake, *v, lo, hi);
}

Result<std::optional<int64_t>> FieldReader::OptionalInt(std::string_view snake, int64_t lo,
                                                        int64_t hi) const {
  const bj::value* v = Find(snake);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  NOJ_ASSIGN_OR_RETURN(int64_t n, CheckInt(snake, *v, lo, hi));
  return std::optional<int64_t>(n);
}

Result<std::string> FieldReader::String(std::string_view snake) const {
  const bj::value* v = Find(snake);
  if (v == nullptr) return Missing(snake);
  if (!v->is_string()) return Invalid(snake, "must be a string");
  return std::string(v->as_string());
}

Result<std::optional<std::string>> FieldReader::OptionalString(std::string_view snake) const {
  const bj::value* v = FindSet(snake);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return Invalid(snake, "must be a string");
  return std::optional<std::string>(std::string(v->as_string()));
}

Result<std::optional<bool>> FieldReader::OptionalBool(std::string_view snake) const {
  const bj::value* v = FindSet(snake);
  if (v == nullptr) return std::optional<bool>();
  if (!v->is_bool()) return Invalid(snake, "must be true or false");
  return std::optional<bool>(v->as_bool());
}

Result<std::vector<std::string>> FieldReader::StringList(std::string_view snake, size_t max_items,
                                                         std::string_view what) const {
  std::vector<std::string> out;
  const bj::value* v = FindSet(snake);
  if (v == nullptr) return out;
  if (!v->is_array()) return Invalid(snake, what);
  if (v->as_array().size() > max_items)
    return Invalid(snake, "lists more than " + std::to_string(max_items) + " items");
  for (const bj::value& item : v->as_array()) {
    if (!item.is_string()) return Invalid(snake, what);
    out.emplace_back(item.as_string());
  }
  return out;
}

}  // namespace noj::api

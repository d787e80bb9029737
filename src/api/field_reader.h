#pragma once
// Internal helper of the codecs: typed access to the fields of one JSON object whose errors name
// the first problem with its place in the document ("tasks[1][0].status: unknown status 'XX'",
// "tasks[0][2]: missing field 'execTime'"). Fields are looked up in snake_case and camelCase.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace noj::api::internal {

namespace bj = boost::json;

// Largest integer a JSON number keeps exactly in every client (2^53 - 1).
inline constexpr int64_t kMaxJsonSafeInt = (int64_t{1} << 53) - 1;

// Converts a JSON number to int64 if it is integral. nullopt for non-numbers, fractions, and
// integers outside int64 (`out_of_range` tells the two apart).
std::optional<int64_t> IntegerOf(const bj::value& v, bool* out_of_range);

// `s` quoted for an error message, cut (on a UTF-8 boundary) if long.
std::string QuoteForMessage(std::string_view s);

// `s` cut to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view Utf8Prefix(std::string_view s, size_t max_bytes);

class FieldReader {
 public:
  // `path` locates `obj` in the document ("" for the top level, "tasks[1][0]", …).
  // `camel_names`: name fields in messages in camelCase (protocol JSON) rather than snake_case.
  FieldReader(const bj::object& obj, std::string path, bool camel_names)
      : obj_(obj), path_(std::move(path)), camel_names_(camel_names) {}

  // The value of `snake` (or its camelCase spelling); nullptr when absent.
  const bj::value* Find(std::string_view snake) const;

  // Required integer in [lo, hi].
  Result<int64_t> Int(std::string_view snake, int64_t lo, int64_t hi) const;
  // Optional integer in [lo, hi]: absent or null gives nullopt.
  Result<std::optional<int64_t>> OptionalInt(std::string_view snake, int64_t lo, int64_t hi) const;
  // Required string.
  Result<std::string> String(std::string_view snake) const;

  // "execTime" or "exec_time", as messages show it.
  std::string Name(std::string_view snake) const;
  // Location of a field: "tasks[0][2].execTime" (or "execTime" at the top level).
  std::string PathOf(std::string_view snake) const;

  Status Missing(std::string_view snake) const;
  Status Invalid(std::string_view snake, std::string_view what) const;

 private:
  Result<int64_t> CheckInt(std::string_view snake, const bj::value& v, int64_t lo,
                           int64_t hi) const;

  const bj::object& obj_;
  std::string path_;
  bool camel_names_;
};

// "path: what" (or just "what" at the top level).
Status InvalidAt(std::string_view path, std::string_view what);

}  // namespace noj::api::internal

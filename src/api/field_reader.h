#pragma once
// The one reader of JSON bodies on the wire (protocol.md §1), used by every codec in api/ and so by
// the server, the runner and nojctl: typed access to the fields of one JSON object, looked up in
// snake_case and in camelCase, with one integer rule (an integral JSON number — 5, -3, 2.0, 1e3 —
// within the field's range; fractions, strings, booleans and out-of-range numbers are refused).
// Errors are kInvalidArgument naming the field by its place in the document
// ("tasks[1][0].status: unknown status 'XX'", "tasks[0][2]: missing field 'execTime'").
// Absent and null are the same for optional fields.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json_util.h"
#include "common/status.h"

namespace noj::api {

namespace bj = boost::json;

// Largest integer a JSON number keeps exactly in every client (2^53 - 1).
inline constexpr int64_t kMaxJsonSafeInt = (int64_t{1} << 53) - 1;

// The integer rule (json::IntegerOf): `v` as int64 if it is an integral number. nullopt for
// non-numbers, fractions, and integers outside int64 (`out_of_range` tells the two apart).
using json::IntegerOf;

// `s` quoted for an error message, cut (on a UTF-8 boundary) if long.
std::string QuoteForMessage(std::string_view s);

// `s` cut to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view Utf8Prefix(std::string_view s, size_t max_bytes);

class FieldReader {
 public:
  // `path` locates `obj` in the document ("" for the top level, "tasks[1][0]", …).
  // `camel_names`: name fields in messages in camelCase (protocol JSON) rather than snake_case.
  // `obj` must outlive the reader.
  explicit FieldReader(const bj::object& obj, std::string path = "", bool camel_names = false)
      : obj_(obj), path_(std::move(path)), camel_names_(camel_names) {}

  // The value of `snake` (or its camelCase spelling; snake_case wins when both are present);
  // nullptr when absent.
  const bj::value* Find(std::string_view snake) const;
  // As Find, but null counts as absent.
  const bj::value* FindSet(std::string_view snake) const;

  // Required integer in [lo, hi].
  Result<int64_t> Int(std::string_view snake, int64_t lo, int64_t hi) const;
  // Optional integer in [lo, hi]: absent or null gives nullopt.
  Result<std::optional<int64_t>> OptionalInt(std::string_view snake, int64_t lo, int64_t hi) const;
  // Required string.
  Result<std::string> String(std::string_view snake) const;
  // Optional string: absent or null gives nullopt.
  Result<std::optional<std::string>> OptionalString(std::string_view snake) const;
  // Optional boolean: absent or null gives nullopt.
  Result<std::optional<bool>> OptionalBool(std::string_view snake) const;
  // Optional array of strings of at most `max_items` (absent or null: empty). `what` is the
  // message for a value that is not an array of strings ("must be an array of job ids").
  Result<std::vector<std::string>> StringList(std::string_view snake, size_t max_items,
                                              std::string_view what) const;

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

// The spelling the codecs were first written with; new code uses the names above.
namespace internal {
using api::FieldReader;
using api::IntegerOf;
using api::InvalidAt;
using api::kMaxJsonSafeInt;
using api::QuoteForMessage;
using api::Utf8Prefix;
}  // namespace internal

}  // namespace noj::api

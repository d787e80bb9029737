#pragma once
// Adapters over Boost.JSON: parsing that never throws, the snake_case/camelCase lookup and the
// integer rule under api::FieldReader (the reader of every wire body), small typed lookups for
// other documents, and Python-compatible serialisation.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace noj::json {

namespace bj = boost::json;

// Parses a whole document; kInvalidArgument with a short reason on malformed input.
Result<bj::value> Parse(std::string_view text);

// Parses and requires an object at the top level.
Result<bj::object> ParseObject(std::string_view text);

// Finds `snake` or its camelCase spelling (computed) in `obj`; nullptr if absent.
const bj::value* Find(const bj::object& obj, std::string_view snake);

// The one integer rule of every JSON reader (api::FieldReader builds on it): `v` as int64 when it
// is an integral number (5, -3, 2.0, 1e3). nullopt for non-numbers, fractions, and integers
// outside int64 (`*out_of_range` is then true).
std::optional<int64_t> IntegerOf(const bj::value& v, bool* out_of_range);

// Typed lookups for documents that are not wire bodies (the sandbox's result line, config files);
// wire bodies are read with api::FieldReader. Absent -> nullopt; present with the wrong type ->
// kInvalidArgument naming the field.
Result<std::optional<std::string>> GetString(const bj::object& obj, std::string_view snake);
Result<std::optional<int64_t>> GetInt(const bj::object& obj, std::string_view snake);
Result<std::optional<bool>> GetBool(const bj::object& obj, std::string_view snake);

// "some_field_name" -> "someFieldName".
std::string SnakeToCamel(std::string_view snake);

// Serialises like Python's json.dumps(v) with default arguments: separators ", " and ": ",
// ensure_ascii=True, key order as stored.
std::string PythonDumps(const bj::value& v);

// Compact serialisation (boost::json::serialize).
std::string Dump(const bj::value& v);

}  // namespace noj::json

#pragma once
// Adapters over Boost.JSON: parsing that never throws, field access accepting both
// snake_case and camelCase names (protocol.md §1), and Python-compatible serialisation.

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

// Typed lookups. Absent -> nullopt; present with the wrong type -> kInvalidArgument naming the field.
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

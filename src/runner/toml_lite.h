#pragma once
// A tiny parser for the TOML subset the runner's --languages file needs (no dependency):
//   # comments, blank lines, [section] headers (bare names), key = value where value is a
//   "basic string" (escapes \" \\ \n \t \r), a 'literal string', an integer, true/false, or an
//   array of strings (may span lines, trailing comma allowed, comments inside).
// Anything else is an error naming the line.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace noj::runner::toml {

using Value = std::variant<std::string, int64_t, bool, std::vector<std::string>>;

struct Entry {
  std::string section;  // "" before the first header
  std::string key;
  Value value;
  int line = 0;  // 1-based line of the key
};

// kInvalidArgument "line N: <reason>" on the first error. Duplicate keys in a section are errors.
Result<std::vector<Entry>> Parse(std::string_view text);

}  // namespace noj::runner::toml

#pragma once
// Log lines are events written as `key=value` pairs: `event=landed job=jb_… attempt=2`. A value
// with spaces is a JSON string (`reason="bad zip"`). This turns one such line into JSON members,
// for --log-format=json, without the call sites knowing the format.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace noj::logging {

// `text` as a JSON string ("…" with escapes) for a log value that may hold spaces, quotes or line
// breaks — anything a client or runner chose — so it can neither break nor forge a line.
std::string Quote(std::string_view text);

// The pairs of `line`, values unquoted. A line that is not all key=value pairs gives one pair
// {"msg", line}, so no text is ever lost.
std::vector<std::pair<std::string, std::string>> ParseKeyValues(std::string_view line);

// {"ts":…,"level":…,<pairs>} on one line. Values that look like integers stay numbers.
std::string JsonLogLine(std::string_view ts, std::string_view level, std::string_view line);

}  // namespace noj::logging

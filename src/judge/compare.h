#pragma once
// The default checker (protocol.md §3): split into lines, strip trailing whitespace from each
// line, drop trailing empty lines, compare. Leading spaces and inner blank lines matter.
// "\r\n" is a line break like "\n" (the trailing '\r' is whitespace).

#include <string_view>

namespace noj::judge {

bool OutputsMatch(std::string_view expected, std::string_view actual);

}  // namespace noj::judge

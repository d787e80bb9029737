#pragma once
// The contestant's code zip (protocol.md §2.3): exactly one file at the root, named by
// api::SourceFileName — `main.<ext>` for the built-in languages, `main` for a code >= 4. Anything
// else (other names, extra files, folders, not a zip) is rejected.

#include <string>
#include <string_view>

#include "common/status.h"

namespace noj::runner {

// The source text. kInvalidArgument naming the problem ("code zip must hold exactly main.cpp, …").
Result<std::string> ExtractSource(std::string_view zip_bytes, std::string_view source_name);

}  // namespace noj::runner

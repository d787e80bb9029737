#pragma once
// The --languages file (docs/languages.md), read with toml++:
//   [java]                      # the section name is the language's key
//   code = 5                    # 4..63, not 3; the built-ins c, cpp, python3 keep 0, 1, 2
//   name = "Java 17"
//   source = "Main.java"
//   compile = ["javac", "-encoding", "UTF-8", "Main.java"]
//   run = ["java", "-Xmx{memory_mib}m", "-cp", ".", "Main"]
//   time_factor = 2.0
//   extra_memory_kib = 131072
//   …
// A section named c, cpp or python3 overrides the keys it gives of that built-in; any other
// section adds a language and must give code, source and run. Unknown keys are errors (a typo
// must not pass silently), and so are a duplicate code, a code out of range and a wrong type.
// Every error reads "<file>:<line>: <reason>".

#include <string>
#include <string_view>

#include "common/status.h"
#include "runner/languages.h"

namespace noj::runner {

// Applies the TOML `text` (named `file` in errors) to `table`: all of it, or nothing (on an error
// `table` is unchanged). kInvalidArgument "<file>:<line>: <reason>" on the first problem.
Status ApplyLanguagesToml(std::string_view text, std::string_view file, LanguageTable& table);

// Reads and applies the file at `path`; kNotFound / kInvalidArgument naming the file.
Status LoadLanguagesFile(const std::string& path, LanguageTable& table);

}  // namespace noj::runner

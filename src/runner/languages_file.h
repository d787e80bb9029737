#pragma once
// The --languages file: a TOML subset overriding the built-in compilers, e.g.
//   [cpp]
//   compile = ["g++", "-DONLINE_JUDGE", "-O2", "-std=c++20", "-o", "main", "main.cpp"]
//   run = ["./main"]
// Sections: c, cpp, python3. Keys: compile (array of strings; [] = nothing to compile) and run
// (non-empty array of strings). Unknown sections or keys are errors: a typo must not pass silently.

#include <string_view>

#include "common/status.h"
#include "runner/languages.h"

namespace noj::runner {

// Applies `text` to `table`. kInvalidArgument "line N: …" on the first problem; `table` may then
// be partly modified (callers discard it).
Status ApplyLanguagesToml(std::string_view text, LanguageTable& table);

// Reads and applies the file at `path`; kNotFound / kInvalidArgument naming the file.
Status LoadLanguagesFile(const std::string& path, LanguageTable& table);

}  // namespace noj::runner

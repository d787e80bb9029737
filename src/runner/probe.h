#pragma once
// `noj-runner --probe`: what this runner's languages table holds and what it could judge — one
// line per language: code, key, name, available or missing (which program), and the version
// (the first line its `version` argv prints, run bare, not in the sandbox).

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/languages.h"

namespace noj::runner {

struct ProbeLine {
  int code = -1;
  std::string key;
  std::string name;
  std::string missing;  // the program not found; "" when available
  std::string version;  // first line of the version command's output; "" when none
};

// Runs a version argv (argv[0] already absolute) and returns the first non-empty line of its
// stdout, else of its stderr (`java -version` writes there); "" when it printed nothing.
using VersionCommand = std::function<std::string(const std::vector<std::string>& argv)>;

// The production VersionCommand: the program run bare for at most `timeout`; a failure to start
// or a timeout reads "(version: …)".
VersionCommand BareVersionCommand(std::chrono::milliseconds timeout = std::chrono::seconds(5));

// One line per entry of `table` (ascending codes), its programs looked up in `path_env`; the
// version command is run only for an available language that has one.
std::vector<ProbeLine> ProbeLanguages(const LanguageTable& table, std::string_view path_env,
                                      const VersionCommand& version);

// "  5  java         Java 17                available  openjdk version "17.0.15" 2025-04-15"
// "  6  rust         Rust 2021              missing    rustc not found in
// /usr/local/bin:/usr/bin:/bin"
std::string FormatProbeLine(const ProbeLine& line, std::string_view path_env);

}  // namespace noj::runner

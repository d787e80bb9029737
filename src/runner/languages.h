#pragma once
// The runner's languages table (judging.md §5): how each language code is compiled and run inside
// the sandbox. The built-ins 0 C, 1 C++, 2 Python 3 (Normal-OJ's codes) always start the table;
// the operator's --languages file (languages_file.h, docs/languages.md) overrides their keys and
// adds codes 4..63. Commands run with /box (the source, chaos/ and include/ files) as the working
// dir. The C, C++ and Python 3 entries also compile and run a problem's checker and interactor
// (tool_cache.h).

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/job_payload.h"
#include "common/status.h"

namespace noj::runner {

struct LanguageSpec {
  int code = -1;
  std::string key;                       // "c", "cpp", "java": the section name in --languages
  std::string name;                      // display name ("Java 17"); the key when not given
  std::string source;                    // the file the submission is written to in /box
  std::vector<std::string> compile;      // empty: nothing to compile
  std::vector<std::string> run;          // argv of each case
  double time_factor = 1.0;              // the box's CPU limit = the task's limit × this
  int64_t extra_memory_kib = 0;          // the box's memory limit = the task's limit + this
  std::optional<int64_t> max_processes;  // of a run; default: the runner's --max-processes
  std::vector<std::string> env;          // K=V added to the compile's and every run's environment
  // The compile's limits; each defaults to the runner's compile limits.
  std::optional<int64_t> compile_time_limit_ms;
  std::optional<int64_t> compile_memory_kib;
  std::optional<int64_t> compile_max_processes;
  std::vector<std::string> version;  // argv printing the version (--probe); empty: none
};

// Where programs are looked up: the PATH a box gets, whose directories the box can see.
inline constexpr char kBoxPath[] = "/usr/local/bin:/usr/bin:/bin";

// A language left out of the table because a program it needs is not installed.
struct UnavailableLanguage {
  int code = -1;
  std::string key;
  std::string program;  // the compiler or runtime not found ("javac")
};

class LanguageTable {
 public:
  // An empty table (no language at all).
  LanguageTable() = default;

  // The built-in compilers: gcc -DONLINE_JUDGE -O2 -std=c11 …, g++ … -std=c++17 …, python3
  // (byte-compiled with py_compile first so syntax errors are CE).
  static LanguageTable BuiltIn();

  // The entry of `code`; nullptr when the table has none (a code it never declared, or dropped).
  const LanguageSpec* Find(int code) const;
  LanguageSpec* Find(int code);
  const LanguageSpec* Find(api::Language lang) const { return Find(static_cast<int>(lang)); }
  LanguageSpec* Find(api::Language lang) { return Find(static_cast<int>(lang)); }

  // Finds an entry by its key ("c", "java"); nullptr if none.
  const LanguageSpec* FindByName(std::string_view key) const;
  LanguageSpec* FindByName(std::string_view key);

  // Adds an entry (its name defaults to its key); kInvalidArgument when its code or key is taken or
  // the code is out of 0..63 or 3 (Normal-OJ's handwritten answers).
  Status Add(LanguageSpec spec);

  // The language codes it can judge, ascending: what the runner declares at registration.
  std::vector<int> Codes() const;
  const std::map<int, LanguageSpec>& entries() const { return specs_; }
  bool empty() const { return specs_.empty(); }

  // Replaces a relative argv[0] without '/' (e.g. "g++") of each compile and run argv by its
  // absolute path found in `path_env` (a PATH value): the sandbox execve()s argv[0] as given.
  // Search the box's PATH (kBoxPath), not the runner's: only /usr is visible in the box.
  // An entry whose compiler or runtime is not there is dropped from the table and returned
  // (the runner logs each once and does not declare it).
  std::vector<UnavailableLanguage> ResolveAvailable(std::string_view path_env);

  // ResolveAvailable, but every entry must resolve: kNotFound naming the first missing program
  // (the table is then unchanged). For tests and benches that need every built-in.
  Status ResolvePrograms(std::string_view path_env);

 private:
  std::map<int, LanguageSpec> specs_;
};

// The first program of `spec` (compiler, then runtime) that `path_env` lacks; nullopt when both
// are there. An argv[0] with a '/' is absolute (checked as it is) or relative to /box (skipped).
std::optional<std::string> MissingProgram(const LanguageSpec& spec, std::string_view path_env);

// Normal-OJ's grader problems (judging.md §1): the sources a language compiles together with
// the submission — every *.c of include/ for C, every *.cpp for C++ (the submission's own
// extension) — and none for the others (Python imports what it needs). "" when none.
std::string_view LinkedSourceExtension(const LanguageSpec& spec);

// `argv` with the placeholders of docs/languages.md replaced in every argument: {memory_kib} and
// {memory_mib} by `memory_kib` (the task's memory limit, without the entry's extra; MiB rounded
// down), {source} by spec.source. Other text, braces included, is kept as it is.
std::vector<std::string> ExpandArgv(const std::vector<std::string>& argv, const LanguageSpec& spec,
                                    int64_t memory_kib);

// spec.compile (placeholders expanded with `memory_kib`) with `extra_sources` inserted right after
// the submission's source (or appended when the argv does not name it), so libraries given after
// it (-lm) still serve them.
std::vector<std::string> CompileArgv(const LanguageSpec& spec,
                                     const std::vector<std::string>& extra_sources,
                                     int64_t memory_kib = 0);

// Absolute path of `program` in the colon-separated `path_env`, if executable there.
Result<std::string> FindInPath(std::string_view program, std::string_view path_env);

}  // namespace noj::runner

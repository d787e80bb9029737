#pragma once
// How each language is compiled and run inside the sandbox (issue: 0 C, 1 C++, 2 Python 3).
// Commands run with /box (holding main.<ext> and the testdata's chaos/ and include/ files) as the
// working dir. The same table compiles and runs a problem's checker and interactor (tool_cache.h).

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "api/job_payload.h"
#include "common/status.h"

namespace noj::runner {

struct LanguageSpec {
  std::string name;                  // "c", "cpp", "python3" (section name in --languages)
  std::string source;                // "main.c", …: the one file the code zip must hold
  std::vector<std::string> compile;  // empty: nothing to compile
  std::vector<std::string> run;      // argv of each case
};

// Where programs are looked up: the PATH a box gets, whose directories the box can see.
inline constexpr char kBoxPath[] = "/usr/local/bin:/usr/bin:/bin";

class LanguageTable {
 public:
  // The built-in compilers: gcc -DONLINE_JUDGE -O2 -std=c11 …, g++ … -std=c++17 …, python3
  // (byte-compiled with py_compile first so syntax errors are CE).
  static LanguageTable BuiltIn();

  const LanguageSpec& Get(api::Language lang) const { return specs_[Index(lang)]; }
  LanguageSpec& Mutable(api::Language lang) { return specs_[Index(lang)]; }

  // Finds a spec by section name ("c", "cpp", "python3"); nullptr if unknown.
  LanguageSpec* FindByName(std::string_view name);

  // The language codes it can judge, ascending: what the runner declares at registration.
  std::vector<int> Codes() const {
    std::vector<int> codes;
    for (size_t i = 0; i < specs_.size(); ++i) codes.push_back(static_cast<int>(i));
    return codes;
  }

  // Replaces a relative argv[0] without '/' (e.g. "g++") by its absolute path found in `path_env`
  // (a PATH value): the sandbox execve()s argv[0] as given. Search the box's PATH (kBoxPath), not
  // the runner's: only /usr is visible in the box. kNotFound names the program.
  Status ResolvePrograms(std::string_view path_env);

 private:
  static size_t Index(api::Language lang) { return static_cast<size_t>(lang); }
  std::array<LanguageSpec, 3> specs_;
};

// Normal-OJ's grader problems (judging.md §1): the sources a language compiles together with
// the submission — every *.c of include/ for C, every *.cpp for C++ (the submission's own
// extension) — and none for the others (Python imports what it needs). "" when none.
std::string_view LinkedSourceExtension(const LanguageSpec& spec);

// spec.compile with `extra_sources` inserted right after the submission's source (or appended
// when the argv does not name it), so libraries given after it (-lm) still serve them.
std::vector<std::string> CompileArgv(const LanguageSpec& spec,
                                     const std::vector<std::string>& extra_sources);

// Absolute path of `program` in the colon-separated `path_env`, if executable there.
Result<std::string> FindInPath(std::string_view program, std::string_view path_env);

}  // namespace noj::runner

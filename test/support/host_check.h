#pragma once
// Checks of what the host offers, for the tests that need more than a compiler and a kernel:
// each returns "" when the need is met, else a reason naming what is missing, for
// `GTEST_SKIP() << reason`. The list of such tests is in docs/testing.md ("Host-dependent tests").

#include <unistd.h>

#include <initializer_list>
#include <string>
#include <string_view>

namespace noj::testing {

// The PATH the runner resolves its compilers in (runner::kBoxPath).
inline constexpr char kHostProgramPath[] = "/usr/local/bin:/usr/bin:/bin";

// "" if `program` is executable in one of the colon-separated `dirs`.
inline std::string MissingProgram(std::string_view program,
                                  std::string_view dirs = kHostProgramPath) {
  for (size_t start = 0; start <= dirs.size();) {
    size_t end = dirs.find(':', start);
    if (end == std::string_view::npos) end = dirs.size();
    std::string_view dir = dirs.substr(start, end - start);
    start = end + 1;
    if (dir.empty() || dir.front() != '/') continue;  // only absolute directories
    std::string candidate = std::string(dir) + "/" + std::string(program);
    if (::access(candidate.c_str(), X_OK) == 0) return "";
  }
  return "needs " + std::string(program) + ": not found in " + std::string(dirs);
}

// The first of `programs` that is missing, or "".
inline std::string MissingPrograms(std::initializer_list<std::string_view> programs,
                                   std::string_view dirs = kHostProgramPath) {
  for (std::string_view p : programs) {
    if (std::string why = MissingProgram(p, dirs); !why.empty()) return why;
  }
  return "";
}

// "" when running as root (noj-sandbox needs it: dedicated uids, cgroups, namespaces).
inline std::string MissingRoot(std::string_view what = "noj-sandbox") {
  if (::geteuid() == 0) return "";
  return "needs root: " + std::string(what) + " uses dedicated uids, cgroups and namespaces";
}

}  // namespace noj::testing

#pragma once
// The problem's own programs (judging.md §3, §4): the source in checker/ or interactor/ —
// exactly one of <folder>.c, <folder>.cpp, <folder>.py, plus the files it includes (testlib.h) —
// compiled once per testdata version, inside the sandbox with the compile limits, by the
// language table's compiler for C, C++ or Python 3, and kept next to the testdata:
//   <testdata>/.noj-build/<folder>/          the compiled program with its sources (its box dir)
//   <testdata>/.noj-build/<folder>.failed    what the compiler said when it did not compile
// The version directory is named by the checksum, so new sources are a new directory, and the
// build is removed with its version. Concurrent requests for one (version, folder) compile once;
// the others wait and reuse it. A sandbox error is not remembered (the next job tries again).

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/thread_annotations.h"
#include "runner/case_executor.h"
#include "runner/compile_cache.h"
#include "runner/compile_step.h"
#include "runner/languages.h"

namespace noj::runner {

inline constexpr char kBuildDirName[] = ".noj-build";

struct CompiledTool {
  std::filesystem::path dir;     // the program and its sources: bound read-only into its box
  std::vector<std::string> run;  // argv in the box before the per-run arguments ({"./main"})
};

struct ToolBuild {
  std::optional<CompiledTool> tool;  // nullopt: cannot be run, `failure` says why
  // "checker did not compile: <compiler output>", "checker/ holds no checker.c, checker.cpp or
  // checker.py", "sandbox error while compiling the checker: …".
  std::string failure;
};

class ToolCache {
 public:
  // The source `<folder>.cpp` is compiled as the C++ entry's (code 1) source name (main.cpp)
  // with its compile argv and env, and run with its run argv; the same for C (0) and Python 3
  // (2). Placeholders: {memory_mib} is the compile's memory limit in the compile argv and
  // `run_memory_kib` (the checker's memory limit) in the run argv. The compile goes through
  // `compile_cache` when given (a new testdata version with the same checker skips it).
  ToolCache(CaseExecutor& executor, const LanguageTable& languages, CompileLimits limits,
            size_t report_bytes, int64_t run_memory_kib = 1 << 20,
            CompileCache* compile_cache = nullptr);
  ToolCache(const ToolCache&) = delete;
  ToolCache& operator=(const ToolCache&) = delete;

  // `folder`: "checker" or "interactor" (a folder of `testdata_dir`). `box_id`: a box no other
  // run uses meanwhile. kAborted when stopped, kInternal for local disk trouble; a source that
  // does not compile (the problem's fault) is a ToolBuild without a tool. kFailedPrecondition
  // when the runner's table lacks the tool's language (its compiler is not installed: the
  // runner's fault, not the problem's). Thread-safe.
  Result<ToolBuild> Get(const std::filesystem::path& testdata_dir, const std::string& folder,
                        int box_id, std::stop_token stop);

 private:
  Result<ToolBuild> GetLocked(const std::filesystem::path& testdata_dir, const std::string& folder,
                              int box_id, std::stop_token stop);
  Result<ToolBuild> Compile(const std::filesystem::path& testdata_dir, const std::string& folder,
                            const LanguageSpec& spec, const std::string& source, int box_id,
                            std::stop_token stop);

  CaseExecutor& executor_;
  const LanguageTable& languages_;
  const CompileLimits limits_;
  const size_t report_bytes_;
  const int64_t run_memory_kib_;
  CompileCache* const compile_cache_;
  Mutex mu_;
  // By build path, while in use: one build of a tool at a time.
  std::map<std::string, std::shared_ptr<std::mutex>> locks_ GUARDED_BY(mu_);
};

}  // namespace noj::runner

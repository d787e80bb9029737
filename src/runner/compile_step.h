#pragma once
// One compile inside the sandbox, as the judge pipeline compiles a submission and the tool cache
// a checker or interactor: a fresh scratch /box holding read-only binds of `src`'s entries;
// whatever the compiler made there is collected into `prog` (which already holds the same
// files as `src`, so the program's box has its sources and data next to it).

#include <cstdint>
#include <filesystem>
#include <stop_token>
#include <string>
#include <vector>

#include "runner/case_executor.h"

namespace noj::runner {

// The wall limit of every run the runner asks for: max(2 × CPU limit, CPU limit + 1 s).
int64_t WallLimitMs(int64_t cpu_ms);

struct CompileLimits {
  int64_t cpu_ms = 20000;
  int64_t memory_kib = 1 << 20;               // 1 GiB
  int64_t output_bytes = int64_t{256} << 20;  // the binary is written under this limit
  int64_t max_processes = 64;
};

struct CompileRun {
  std::vector<std::string> argv;
  std::filesystem::path src;   // box dir of the compile
  std::filesystem::path prog;  // collect dir
  std::filesystem::path io;    // compile.out / compile.err are written here
  int box_id = 0;
  CompileLimits limits;
  std::vector<std::string> env;     // K=V for the compiler (the language entry's env)
  size_t report_bytes = 64 * 1024;  // of the compiler's stdout and stderr, each, in `message`
};

struct CompileOutcome {
  enum class Kind { kOk, kFailed, kSandboxError };
  Kind kind = Kind::kSandboxError;
  // kFailed: a note for a limit ("compilation exceeded the time limit") + the compiler's stdout
  // + its stderr; kSandboxError: the sandbox's error.
  std::string message;
  int64_t wall_ms = 0;
  bool cached = false;  // kOk from the compile cache (compile_cache.h): no compiler ran
};

// Never fails as a call; a stop request ends the compile as a sandbox error ("cancelled").
CompileOutcome CompileInBox(CaseExecutor& executor, const CompileRun& run, std::stop_token stop);

}  // namespace noj::runner

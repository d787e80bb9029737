#pragma once
// The compile cache's key (docs/runner.md, "Compile cache"): SHA-256 over everything that decides
// what a compile makes — the language entry (code, name, source name), the compile as it is run
// (the expanded argv, env and limits), the compiler's identity (the content of the file argv[0]
// resolves to) and every file of the compile's box dir (names and contents: the source, include/
// and chaos/ files). Two compiles with one key make the same program.

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <tuple>

#include "common/status.h"
#include "common/thread_annotations.h"
#include "runner/compile_step.h"
#include "runner/languages.h"

namespace noj::runner {

// The compiler's identity: "sha256:<hex>" of the file `argv0` resolves to (links followed), or
// "unresolved:<argv0>" when that is not a regular file this process can read (a path relative to
// /box). The content is hashed once per (path, inode, size, mtime): an upgraded compiler is a new
// identity without rehashing it for every job. Thread-safe.
class CompilerIdentities {
 public:
  std::string Of(const std::string& argv0);
  // How many times a compiler's content was read (for tests: the memo works).
  int hashed() const;

 private:
  using FileId = std::tuple<std::string, uint64_t, uint64_t, int64_t>;  // path, inode, size, mtime
  mutable Mutex mu_;
  std::map<FileId, std::string> known_ GUARDED_BY(mu_);
  int hashed_ GUARDED_BY(mu_) = 0;
};

// The key (64 hex digits) of compiling `run` (argv already expanded) as `spec`'s entry with the
// compiler `compiler_identity` (CompilerIdentities::Of). kInternal when run.src cannot be read;
// kResourceExhausted when its files are larger than `max_source_bytes` together.
Result<std::string> CompileKey(const LanguageSpec& spec, const CompileRun& run,
                               const std::string& compiler_identity,
                               uint64_t max_source_bytes = uint64_t{256} << 20);

}  // namespace noj::runner

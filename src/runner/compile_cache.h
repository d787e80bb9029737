#pragma once
// The compiled-program cache (docs/runner.md, "Compile cache"): a rejudge, or the same code
// submitted twice, is not compiled again. Keyed by CompileKey (compile_cache_key.h); the value is
// what the compile added to its collect dir, one directory per key (compile_cache_entry.h):
//   <dir>/<key>/            an entry (manifest + files)
//   <dir>/.tmp-*            an entry being written (renamed to <key> when whole)
//   <dir>/.trash-*          an evicted entry being removed
// Only successful compiles are kept. A hit is checked against its manifest as it is placed; an
// entry that does not match is evicted and the program compiled again. The files' sizes together
// stay under `max_bytes` (least recently used evicted first). Two compiles of one key at once run
// once: the second waits and hits. The index is rebuilt by scanning at Open (last use: the
// manifest's mtime, touched on each hit), so the cache survives a restart. One process per dir
// (a DirLock is held).

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "common/status.h"
#include "common/thread_annotations.h"
#include "runner/case_executor.h"
#include "runner/compile_cache_key.h"
#include "runner/compile_step.h"
#include "runner/fs_util.h"
#include "runner/languages.h"
#include "runner/runner_metrics.h"

namespace noj::runner {

struct CompileCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;     // compiled (successfully or not) because no usable entry was there
  uint64_t evictions = 0;  // for room, plus corrupted entries
  uint64_t corrupted = 0;  // entries that did not match their manifest
  uint64_t bytes = 0;      // the entries' files together
  size_t entries = 0;
};

class CompileCache {
 public:
  // Opens (creates) `dir`: removes .tmp-/.trash- leftovers and entries without a readable
  // manifest, indexes the others and evicts down to `max_bytes`. kFailedPrecondition when another
  // process holds the dir, kInternal for disk trouble.
  static Result<std::unique_ptr<CompileCache>> Open(const std::filesystem::path& dir,
                                                    uint64_t max_bytes,
                                                    RunnerMetrics* metrics = nullptr);
  CompileCache(const CompileCache&) = delete;
  CompileCache& operator=(const CompileCache&) = delete;
  ~CompileCache();

  // CompileInBox(executor, run, stop) through the cache: on a hit the cached files are placed
  // into run.prog and the outcome is kOk with `cached` set (no compiler output: io/compile.* are
  // not written). Local trouble with the cache never fails the compile: it is then compiled as
  // without a cache. Thread-safe.
  CompileOutcome Compile(CaseExecutor& executor, const CompileRun& run, const LanguageSpec& spec,
                         std::stop_token stop);

  CompileCacheStats stats() const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  struct Entry {
    uint64_t bytes = 0;
    uint64_t last_use = 0;  // ticks of use_clock_: larger is more recent
  };

  CompileCache(std::filesystem::path dir, uint64_t max_bytes, RunnerMetrics* metrics, DirLock lock);
  Status Scan();
  // Under the key's lock: the cached program placed into run.prog, or false (then compile).
  bool TryHit(const std::string& key, const CompileRun& run);
  void Store(const std::string& key, const CompileRun& run, const std::vector<std::string>& before);
  // Forgets `key` and removes its directory (moved aside under mu_, removed outside it).
  void Evict(const std::string& key, bool corrupted);
  // Entries to remove so the total fits `max_bytes_`, least recently used first, skipping keys
  // being compiled or placed. Moves each aside; returns the moved paths.
  std::vector<std::filesystem::path> EvictForRoomLocked() REQUIRES(mu_);
  // By value: callers pass an index key, which this erases.
  std::filesystem::path MoveAsideLocked(std::string key) REQUIRES(mu_);
  void Report() const;

  const std::filesystem::path dir_;
  const uint64_t max_bytes_;
  RunnerMetrics* const metrics_;
  DirLock lock_;
  CompilerIdentities compilers_;
  mutable Mutex mu_;
  std::map<std::string, Entry> index_ GUARDED_BY(mu_);
  uint64_t use_clock_ GUARDED_BY(mu_) = 0;
  CompileCacheStats stats_ GUARDED_BY(mu_);
  // By key, while a compile or placement of it is in flight: one at a time per key.
  std::map<std::string, std::shared_ptr<std::mutex>> locks_ GUARDED_BY(mu_);
};

// `cache` when there is one, else CompileInBox: what both the judge pipeline and the tool cache
// call.
CompileOutcome CompileMaybeCached(CompileCache* cache, CaseExecutor& executor,
                                  const CompileRun& run, const LanguageSpec& spec,
                                  std::stop_token stop);

}  // namespace noj::runner

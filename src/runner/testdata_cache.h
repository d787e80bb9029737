#pragma once
// Per-problem on-disk testdata cache keyed by the server's checksum (protocol.md §2.6), which
// covers the zip and the problem's meta (judging.md §2):
//   root/<pid>/<checksum>/   unpacked zip (SimpleIO or ContextIO cases, chaos/, share/, include/,
//                            checker/, interactor/) + .noj-meta.json + .noj-manifest
//                            (+ .noj-build/: the checker and interactor compiled, tool_cache.h)
// Get() asks the source for the checksum (or takes the one the job's payload gave, judging.md §6:
// the version its lease judges), and downloads and unpacks only when the checksum has no intact
// directory yet. Unpacking goes to a temp dir renamed into place (atomic: readers never
// see half a version). Concurrent Get()s of one problem download once (per-problem mutex); other
// problems proceed in parallel. Old versions are removed once no handle refers to them.
// One runner per cache dir (the runner holds a DirLock on it).

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>

#include "api/problem_meta.h"
#include "common/status.h"
#include "common/thread_annotations.h"
#include "runner/package_layout.h"
#include "runner/runner_metrics.h"

namespace noj::runner {

struct TestdataDownload {
  std::string zip;
  // The `data` object of GET /problem/{pid}/meta as JSON text (tasks and the meta extensions);
  // empty when the server has no meta endpoint (the problem is then plain).
  std::string meta_json;
};

class TestdataSource {
 public:
  TestdataSource() = default;
  TestdataSource(const TestdataSource&) = delete;
  TestdataSource& operator=(const TestdataSource&) = delete;
  virtual ~TestdataSource() = default;

  // The current checksum of the problem's testdata. Thread-safe.
  virtual Result<std::string> Checksum(int64_t problem_id, std::stop_token stop) = 0;
  // The zip bytes and the meta; implementations may verify them against `checksum`
  // (kUnavailable on mismatch).
  virtual Result<TestdataDownload> Download(int64_t problem_id, const std::string& checksum,
                                            std::stop_token stop) = 0;
  // The zip and meta of one version of the problem (judging.md §6), whose checksum the job's
  // payload gave. The default, for a source that knows no versions, downloads the current ones
  // (Download verifies them against `checksum`). kFailedPrecondition when the source cannot serve
  // that version: the cache then falls back to the current one.
  virtual Result<TestdataDownload> DownloadVersion(int64_t problem_id, int64_t version,
                                                   const std::string& checksum,
                                                   std::stop_token stop) {
    (void)version;
    return Download(problem_id, checksum, stop);
  }
};

// Which testdata a job needs: the next-job payload's extensions (api::JobPayload).
struct TestdataVersion {
  int64_t version = 0;   // the problem version its lease judges; 0: not said (current)
  std::string checksum;  // that version's checksum; empty: ask the source for the current one
};

// An installed, verified version. The directory stays in place while any handle lives.
struct TestdataDir {
  std::filesystem::path dir;
  std::string checksum;
  api::ProblemMeta meta;                         // checker, interactive, outputLimit, languages
  PackageKind package = PackageKind::kSimpleIO;  // the case format of the package
};
using TestdataHandle = std::shared_ptr<const TestdataDir>;

class TestdataCache {
 public:
  TestdataCache(std::filesystem::path root, TestdataSource& source,
                RunnerMetrics* metrics = nullptr);
  TestdataCache(const TestdataCache&) = delete;
  TestdataCache& operator=(const TestdataCache&) = delete;

  // Errors: those of the source (kUnavailable, kNotFound, kAborted on stop, …), kInvalidArgument
  // for a bad zip, checksum or meta, kInternal for local disk trouble. Thread-safe.
  // A version cached by an older runner (no meta file: manifest version 1) counts as corrupt and
  // is downloaded again.
  Result<TestdataHandle> Get(int64_t problem_id, std::stop_token stop);
  // The same for the version `want` names: with a checksum, the source is not asked for the
  // current one, so a job leased before the problem changed gets its own version (a runner's
  // cache then holds both while jobs use them) and a new job the new one.
  Result<TestdataHandle> Get(int64_t problem_id, const TestdataVersion& want, std::stop_token stop);

 private:
  struct Problem {
    Mutex mu;  // held while checking and installing: one download per problem at a time
    std::map<std::string, std::weak_ptr<const TestdataDir>> handles GUARDED_BY(mu);  // by checksum
  };

  Problem& ProblemFor(int64_t problem_id);
  Result<TestdataHandle> GetLocked(Problem& p, int64_t problem_id, const std::string& checksum,
                                   int64_t version, std::stop_token stop) REQUIRES(p.mu);
  Result<TestdataHandle> MakeHandle(Problem& p, const std::filesystem::path& dir,
                                    const std::string& checksum) REQUIRES(p.mu);
  // Removes temp leftovers and versions other than `keep` that no handle refers to.
  void Sweep(Problem& p, const std::filesystem::path& problem_dir, const std::string& keep)
      REQUIRES(p.mu);

  const std::filesystem::path root_;
  TestdataSource& source_;
  RunnerMetrics* const metrics_;
  Mutex mu_;  // the map, not the entries
  std::map<int64_t, std::unique_ptr<Problem>> problems_ GUARDED_BY(mu_);
};

}  // namespace noj::runner

#pragma once
// The testdata package of judging.md §1, validated together with the problem's tasks and meta.
// Pure: it judges a zip's entry list (names, declared sizes, links), never the bytes.
//
// A package holds exactly one case format:
//   SimpleIO   TTCC.in + TTCC.out (two-digit task and case, from 00)
//   ContextIO  test-case/TTCC/STDIN + STDOUT, optional test-case/TTCC/in/… and out/…
// and optionally chaos/…, share/…, include/…, checker/ (exactly one checker.c|cpp|py plus the
// files it includes) and interactor/ (same rule). checker/ is there iff the checker is custom,
// interactor/ iff the problem is interactive; an interactive problem cannot use ContextIO.

#include <cstdint>
#include <string>
#include <vector>

#include "api/problem_meta.h"
#include "api/task_spec.h"

namespace noj::judge {

struct PackageEntry {
  std::string name;      // as stored in the zip; directories end with '/'
  uint64_t size = 0;     // uncompressed, as declared
  bool is_link = false;  // a symbolic link
};

struct PackageLimits {
  size_t max_entries = 10000;
  uint64_t max_entry_bytes = uint64_t{256} << 20;  // one entry, uncompressed
  uint64_t max_total_bytes = uint64_t{1} << 30;    // the whole package, uncompressed
};

// One reason a package is refused. `entry` is a name in the zip, a name the package lacks
// ("0001.out", "checker/"), or a folder the reason is about ("test-case/").
struct PackageIssue {
  std::string entry;
  std::string reason;
  bool operator==(const PackageIssue&) const = default;
};

struct PackageReport {
  bool context_io = false;  // the package's cases are ContextIO (decided even when refused)
  // Every issue: entries in archive order, then what is missing, then the package as a whole.
  std::vector<PackageIssue> issues;
  // The older summary (kept for clients of the first protocol): names present that should not be
  // (sorted, unique) and names expected but absent (sorted).
  std::vector<std::string> extra;
  std::vector<std::string> missing;
  bool ok() const { return issues.empty(); }
};

PackageReport CheckPackage(const std::vector<PackageEntry>& entries, const api::TaskSpecs& tasks,
                           const api::ProblemMeta& meta, const PackageLimits& limits = {});

// "0102.in" for task 1, case 2.
std::string CaseFileName(int task, int case_index, const char* ext);
// "test-case/0102" for task 1, case 2 (ContextIO; STDIN, STDOUT, in/ and out/ are below it).
std::string ContextCaseDir(int task, int case_index);

}  // namespace noj::judge

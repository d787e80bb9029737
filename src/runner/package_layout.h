#pragma once
// Where one case's files are in an installed testdata package (judging.md §1):
//   SimpleIO   TTCC.in (stdin) and TTCC.out (expected stdout)
//   ContextIO  test-case/TTCC/STDIN, test-case/TTCC/STDOUT, and the optional folders
//              test-case/TTCC/in/ (placed in the program's working directory) and
//              test-case/TTCC/out/ (files the program must leave there)
// The folders chaos/, share/, include/, checker/ and interactor/ sit at the top in both.

#include <filesystem>
#include <string_view>

#include "api/task_spec.h"
#include "common/status.h"

namespace noj::runner {

enum class PackageKind { kSimpleIO, kContextIO };

// "SimpleIO", "ContextIO".
std::string_view PackageKindName(PackageKind kind);

// ContextIO when `dir` holds a test-case/ folder (a package holds exactly one format).
PackageKind DetectPackageKind(const std::filesystem::path& dir);

struct CaseFiles {
  std::filesystem::path stdin_file;  // TTCC.in | test-case/TTCC/STDIN
  std::filesystem::path answer;      // TTCC.out | test-case/TTCC/STDOUT
  std::filesystem::path in_dir;      // ContextIO: test-case/TTCC/in (may be absent); else empty
  std::filesystem::path out_dir;     // ContextIO: test-case/TTCC/out (may be absent); else empty
};

CaseFiles CaseFilesOf(const std::filesystem::path& dir, PackageKind kind, int task, int case_index);

// kInvalidArgument naming the first stdin or expected-output file of `tasks` missing from `dir`
// ("testdata lacks 0001.out", "testdata lacks test-case/0001/STDIN").
Status CheckCasesPresent(const api::TaskSpecs& tasks, const std::filesystem::path& dir,
                         PackageKind kind);

}  // namespace noj::runner

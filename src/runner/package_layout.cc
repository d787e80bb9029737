#include "runner/package_layout.h"

#include "judge/testdata_layout.h"

namespace noj::runner {

namespace fs = std::filesystem;

std::string_view PackageKindName(PackageKind kind) {
  return kind == PackageKind::kContextIO ? "ContextIO" : "SimpleIO";
}

PackageKind DetectPackageKind(const fs::path& dir) {
  std::error_code ec;
  return fs::is_directory(dir / "test-case", ec) ? PackageKind::kContextIO : PackageKind::kSimpleIO;
}

CaseFiles CaseFilesOf(const fs::path& dir, PackageKind kind, int task, int case_index) {
  if (kind == PackageKind::kSimpleIO)
    return CaseFiles{.stdin_file = dir / judge::CaseFileName(task, case_index, "in"),
                     .answer = dir / judge::CaseFileName(task, case_index, "out")};
  fs::path c = dir / judge::ContextCaseDir(task, case_index);
  return CaseFiles{
      .stdin_file = c / "STDIN", .answer = c / "STDOUT", .in_dir = c / "in", .out_dir = c / "out"};
}

Status CheckCasesPresent(const api::TaskSpecs& tasks, const fs::path& dir, PackageKind kind) {
  for (size_t t = 0; t < tasks.size(); ++t) {
    for (int c = 0; c < tasks[t].case_count; ++c) {
      CaseFiles files = CaseFilesOf(dir, kind, static_cast<int>(t), c);
      for (const fs::path& p : {files.stdin_file, files.answer}) {
        std::error_code ec;
        if (!fs::is_regular_file(p, ec))
          return InvalidArgumentError("testdata lacks " + p.lexically_relative(dir).string());
      }
    }
  }
  return Status::Ok();
}

}  // namespace noj::runner

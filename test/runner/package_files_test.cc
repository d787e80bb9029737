// The pieces under the judge pipeline's boxes: the package layouts, placing files for a box,
// the compile argv with include/ sources, the compile-once tool cache.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "runner/box_files.h"
#include "runner/fakes.h"
#include "runner/fs_util.h"
#include "runner/languages.h"
#include "runner/package_layout.h"
#include "runner/tool_cache.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

namespace fs = std::filesystem;
using noj::testing::StatusIs;
using ::testing::ElementsAre;
using testing::FakeExecutor;
using ::testing::HasSubstr;
using testing::Ok;

struct Files : ::testing::Test {
  noj::testing::TempDir tmp;
  fs::path dir = tmp.path() / "pkg";
  void Put(const std::string& name, const std::string& data = "x") {
    ASSERT_OK(MakeDirs((dir / name).parent_path()));
    ASSERT_OK(WriteFile(dir / name, data));
  }
};

const api::TaskSpecs kTwoTasks = {
    {.score = 50, .case_count = 1, .memory_limit_kib = 1024, .time_limit_ms = 1000},
    {.score = 50, .case_count = 2, .memory_limit_kib = 1024, .time_limit_ms = 1000}};

TEST_F(Files, SimpleIOCasesAreTTCCFiles) {
  for (const char* f : {"0000.in", "0000.out", "0100.in", "0100.out", "0101.in", "0101.out"})
    Put(f);
  Put("chaos/a.h");
  EXPECT_EQ(DetectPackageKind(dir), PackageKind::kSimpleIO);
  CaseFiles c = CaseFilesOf(dir, PackageKind::kSimpleIO, 1, 1);
  EXPECT_EQ(c.stdin_file, dir / "0101.in");
  EXPECT_EQ(c.answer, dir / "0101.out");
  EXPECT_TRUE(c.in_dir.empty());
  EXPECT_TRUE(c.out_dir.empty());
  EXPECT_OK(CheckCasesPresent(kTwoTasks, dir, PackageKind::kSimpleIO));
  fs::remove(dir / "0101.out");
  EXPECT_THAT(CheckCasesPresent(kTwoTasks, dir, PackageKind::kSimpleIO),
              StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(CheckCasesPresent(kTwoTasks, dir, PackageKind::kSimpleIO).message(),
              HasSubstr("0101.out"));
}

TEST_F(Files, ContextIOCasesAreTestCaseFolders) {
  for (const char* c : {"0000", "0100", "0101"}) {
    Put(std::string("test-case/") + c + "/STDIN");
    Put(std::string("test-case/") + c + "/STDOUT");
  }
  Put("test-case/0101/in/data.txt");
  EXPECT_EQ(DetectPackageKind(dir), PackageKind::kContextIO);
  CaseFiles c = CaseFilesOf(dir, PackageKind::kContextIO, 1, 1);
  EXPECT_EQ(c.stdin_file, dir / "test-case/0101/STDIN");
  EXPECT_EQ(c.answer, dir / "test-case/0101/STDOUT");
  EXPECT_EQ(c.in_dir, dir / "test-case/0101/in");
  EXPECT_EQ(c.out_dir, dir / "test-case/0101/out");
  EXPECT_OK(CheckCasesPresent(kTwoTasks, dir, PackageKind::kContextIO));
  // The SimpleIO names are not what a ContextIO package holds.
  EXPECT_THAT(CheckCasesPresent(kTwoTasks, dir, PackageKind::kSimpleIO),
              StatusIs(ErrorCode::kInvalidArgument));
  fs::remove(dir / "test-case/0100/STDIN");
  EXPECT_THAT(CheckCasesPresent(kTwoTasks, dir, PackageKind::kContextIO).message(),
              HasSubstr("test-case/0100/STDIN"));
}

TEST_F(Files, PlaceTreeLinksKeepsTheFirstNameAndSkipsLinks) {
  Put("a.txt", "a");
  Put("sub/b.txt", "b");
  fs::create_symlink("/etc/passwd", dir / "evil");
  fs::path box = tmp.path() / "box";
  ASSERT_OK(FreshDir(box));
  ASSERT_OK(WriteFile(box / "a.txt", "mine"));
  ASSERT_OK(PlaceTree(dir, box));
  EXPECT_EQ(ReadFilePrefix(box / "a.txt", 10), "mine");  // kept
  EXPECT_EQ(ReadFilePrefix(box / "sub/b.txt", 10), "b");
  EXPECT_FALSE(fs::exists(fs::symlink_status(box / "evil")));
  struct stat a {
  }, b{};
  ASSERT_EQ(::stat((dir / "sub/b.txt").c_str(), &a), 0);
  ASSERT_EQ(::stat((box / "sub/b.txt").c_str(), &b), 0);
  EXPECT_EQ(a.st_ino, b.st_ino);  // a hard link, not a copy
  EXPECT_EQ(fs::status(box / "sub").permissions(), fs::perms(0755));
  ASSERT_OK_AND_ASSIGN(auto listed, ListFilesBelow(dir));
  EXPECT_THAT(listed, ElementsAre("a.txt", "sub/b.txt"));
}

TEST_F(Files, AFileOthersCannotReadIsCopiedAndLeftAsItWas) {
  Put("secret.txt", "s");
  fs::permissions(dir / "secret.txt", fs::perms(0600));
  fs::path box = tmp.path() / "box";
  ASSERT_OK(FreshDir(box));
  ASSERT_OK(PlaceFile(dir / "secret.txt", box / "secret.txt"));
  EXPECT_EQ(fs::status(box / "secret.txt").permissions(), fs::perms(0644));
  EXPECT_EQ(fs::status(dir / "secret.txt").permissions(), fs::perms(0600));
  EXPECT_EQ(ReadFilePrefix(box / "secret.txt", 10), "s");
}

TEST(CompileArgv, ExtraSourcesFollowTheSubmissionsSource) {
  LanguageTable t = LanguageTable::BuiltIn();
  EXPECT_EQ(LinkedSourceExtension(*t.Find(api::Language::kC)), ".c");
  EXPECT_EQ(LinkedSourceExtension(*t.Find(api::Language::kCpp)), ".cpp");
  EXPECT_EQ(LinkedSourceExtension(*t.Find(api::Language::kPython3)), "");
  EXPECT_THAT(CompileArgv(*t.Find(api::Language::kC), {"a.c", "b.c"}),
              ElementsAre("gcc", "-DONLINE_JUDGE", "-O2", "-std=c11", "-o", "main", "main.c", "a.c",
                          "b.c", "-lm"));
  LanguageSpec custom{.name = "cpp", .source = "main.cpp", .compile = {"clang++", "-O2"}};
  EXPECT_THAT(CompileArgv(custom, {"g.cpp"}), ElementsAre("clang++", "-O2", "g.cpp"));
}

struct ToolCacheTest : Files {
  LanguageTable languages = LanguageTable::BuiltIn();
  int compiles = 0;
  FakeExecutor exec{[this](const sandbox::RunRequest& r) {
    ++compiles;
    EXPECT_OK(WriteFile(fs::path(r.collect_dir) / "compiled", "yes"));
    return Ok();
  }};
  ToolCache cache{exec, languages, CompileLimits{}, 1024};
};

TEST_F(ToolCacheTest, APythonInteractorIsByteCompiledAndRunByPython) {
  Put("interactor/interactor.py", "print(1)\n");
  Put("interactor/lib.py", "X = 1\n");
  ASSERT_OK_AND_ASSIGN(ToolBuild b, cache.Get(dir, "interactor", 9, {}));
  ASSERT_TRUE(b.tool.has_value()) << b.failure;
  EXPECT_THAT(b.tool->run, ElementsAre("python3", "main.py"));
  EXPECT_EQ(b.tool->dir, dir / ".noj-build" / "interactor");
  EXPECT_EQ(ReadFilePrefix(b.tool->dir / "main.py", 100), "print(1)\n");
  EXPECT_EQ(ReadFilePrefix(b.tool->dir / "lib.py", 100), "X = 1\n");
  EXPECT_EQ(ReadFilePrefix(b.tool->dir / "compiled", 100), "yes");
  auto reqs = exec.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_THAT(reqs[0].argv, ElementsAre("python3", "-m", "py_compile", "main.py"));
  EXPECT_EQ(reqs[0].box_id, 9);
  // Again: the build on disk, no compile. Nothing of the compile's scratch is left.
  ASSERT_OK_AND_ASSIGN(ToolBuild again, cache.Get(dir, "interactor", 9, {}));
  EXPECT_TRUE(again.tool.has_value());
  EXPECT_EQ(compiles, 1);
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir / ".noj-build")) ++entries;
  EXPECT_EQ(entries, 1);
}

TEST_F(ToolCacheTest, CheckerAndInteractorAreBuiltApart) {
  Put("checker/checker.c", "int main(void){return 0;}\n");
  Put("interactor/interactor.cpp", "int main(){}\n");
  ASSERT_OK_AND_ASSIGN(ToolBuild c, cache.Get(dir, "checker", 9, {}));
  ASSERT_OK_AND_ASSIGN(ToolBuild i, cache.Get(dir, "interactor", 9, {}));
  ASSERT_TRUE(c.tool && i.tool);
  EXPECT_NE(c.tool->dir, i.tool->dir);
  auto reqs = exec.requests();
  ASSERT_EQ(reqs.size(), 2u);
  EXPECT_THAT(reqs[0].argv, ::testing::Contains("main.c"));
  EXPECT_THAT(reqs[1].argv, ::testing::Contains("main.cpp"));
}

}  // namespace
}  // namespace noj::runner

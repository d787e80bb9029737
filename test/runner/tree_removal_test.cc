#include "runner/tree_removal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <string>

#include "runner/deep_tree.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

namespace fs = std::filesystem;
using noj::testing::IsOk;
using noj::testing::StatusIs;
using testing::MakeDeepChain;
using testing::ScopedFdLimit;

void Touch(const fs::path& p, const std::string& text = "x") { std::ofstream(p) << text; }

class TreeRemovalTest : public ::testing::Test {
 protected:
  // Whatever a failed test leaves is removed with the function under test: TempDir's
  // fs::remove_all cannot remove a 40,000-level chain.
  void TearDown() override { RemoveTreeBounded(tmp_.path() / "t").IgnoreError(); }

  fs::path Top() const { return tmp_.path() / "t"; }
  noj::testing::TempDir tmp_;
};

TEST_F(TreeRemovalTest, Removes40000LevelChainWith64Descriptors) {
  ASSERT_TRUE(fs::create_directory(Top()));
  ASSERT_TRUE(MakeDeepChain(Top(), 40000)) << std::strerror(errno);
  ScopedFdLimit limit(64);  // fs::remove_all fails with EMFILE here: one descriptor per level
  ASSERT_TRUE(limit.ok());
  auto start = std::chrono::steady_clock::now();
  Status removed = RemoveTreeBounded(Top());
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  RecordProperty("remove_seconds", std::to_string(took.count()));
  EXPECT_THAT(removed, IsOk());
  EXPECT_FALSE(fs::exists(tmp_.path() / "t"));
}

TEST_F(TreeRemovalTest, NeedsNoMoreThanThreeDescriptors) {
  ASSERT_TRUE(fs::create_directory(Top()));
  ASSERT_TRUE(MakeDeepChain(Top(), 3000, /*files=*/true));
  fs::create_directories(Top() / "wide" / "a" / "b");
  for (int i = 0; i < 50; ++i) fs::create_directories(Top() / "wide" / std::to_string(i) / "x");
  ScopedFdLimit limit(ScopedFdLimit::LeavingFree(3));
  ASSERT_TRUE(limit.ok());
  EXPECT_THAT(RemoveTreeBounded(Top()), IsOk());
  EXPECT_FALSE(fs::exists(Top()));
}

TEST_F(TreeRemovalTest, MissingPathIsOk) {
  EXPECT_THAT(RemoveTreeBounded(Top()), IsOk());
  EXPECT_THAT(RemoveTreeBounded(Top() / "below" / "missing"), IsOk());
  Touch(tmp_.path() / "file");
  EXPECT_THAT(RemoveTreeBounded(tmp_.path() / "file" / "x"), IsOk());  // a file's "child"
}

TEST_F(TreeRemovalTest, RemovesAFileAndADirectoryNamedWithATrailingSlash) {
  Touch(tmp_.path() / "file");
  EXPECT_THAT(RemoveTreeBounded(tmp_.path() / "file"), IsOk());
  EXPECT_FALSE(fs::exists(tmp_.path() / "file"));
  fs::create_directories(Top() / "a");
  EXPECT_THAT(RemoveTreeBounded(Top().string() + "/"), IsOk());
  EXPECT_FALSE(fs::exists(Top()));
}

TEST_F(TreeRemovalTest, RefusesDotAndDotDot) {
  fs::create_directories(Top() / "a");
  EXPECT_THAT(RemoveTreeBounded(Top() / "a" / ".."), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(RemoveTreeBounded(Top() / "."), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(RemoveTreeBounded(""), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_TRUE(fs::exists(Top() / "a"));
}

TEST_F(TreeRemovalTest, SymlinksAreRemovedNeverFollowed) {
  fs::path outside = tmp_.path() / "outside";
  fs::create_directories(outside / "sub");
  Touch(outside / "keep.txt");
  Touch(outside / "sub" / "keep.txt");
  fs::create_directories(Top() / "a");
  fs::create_directory_symlink(outside, Top() / "a" / "abs_dir");
  fs::create_directory_symlink("../../outside", Top() / "a" / "rel_dir");
  fs::create_symlink(outside / "keep.txt", Top() / "a" / "file_link");
  fs::create_symlink("/nonexistent/x", Top() / "dangling");
  fs::create_directory_symlink(outside, tmp_.path() / "top_link");

  EXPECT_THAT(RemoveTreeBounded(Top()), IsOk());
  EXPECT_FALSE(fs::exists(Top()));
  EXPECT_THAT(RemoveTreeBounded(tmp_.path() / "top_link"), IsOk());  // the link, not its target
  EXPECT_FALSE(fs::exists(fs::symlink_status(tmp_.path() / "top_link")));
  EXPECT_TRUE(fs::exists(outside / "keep.txt"));
  EXPECT_TRUE(fs::exists(outside / "sub" / "keep.txt"));
}

TEST_F(TreeRemovalTest, RemovesFilesAndDirectoriesWithoutPermissions) {
  fs::create_directories(Top() / "locked" / "inner");
  Touch(Top() / "locked" / "inner" / "f");
  Touch(Top() / "locked" / "f");
  Touch(Top() / "mode000");
  ::mkfifo((Top() / "fifo").c_str(), 0);
  fs::permissions(Top() / "mode000", fs::perms::none);
  fs::permissions(Top() / "locked" / "f", fs::perms::none);
  fs::permissions(Top() / "locked" / "inner", fs::perms::none);
  fs::permissions(Top() / "locked", fs::perms::none);
  fs::create_directories(Top() / "sticky");
  fs::permissions(Top() / "sticky", fs::perms::sticky_bit | fs::perms::owner_read);

  EXPECT_THAT(RemoveTreeBounded(Top()), IsOk());
  EXPECT_FALSE(fs::exists(Top()));
}

TEST_F(TreeRemovalTest, RemovesAWideDirectory) {
  fs::create_directories(Top() / "wide");
  for (int i = 0; i < 10000; ++i) Touch(Top() / "wide" / ("file-" + std::to_string(i)), "");
  for (int i = 0; i < 2000; ++i) fs::create_directory(Top() / ("dir-" + std::to_string(i)));
  EXPECT_THAT(RemoveTreeBounded(Top()), IsOk());
  EXPECT_FALSE(fs::exists(Top()));
}

TEST_F(TreeRemovalTest, AStopRequestedLeavesTheTreeAndSaysAborted) {
  fs::create_directories(Top() / "a" / "b");
  std::stop_source stop;
  stop.request_stop();
  EXPECT_THAT(RemoveTreeBounded(Top(), stop.get_token()), StatusIs(ErrorCode::kAborted));
  EXPECT_TRUE(fs::exists(Top() / "a" / "b"));
}

// A mount inside the tree (which only a bug can put there) is reported and not deleted through,
// be it another filesystem or a bind mount of the same one (same st_dev); everything else goes.
// In a child, in a mount namespace of its own: the host never sees the mounts.
TEST_F(TreeRemovalTest, AMountInsideIsReportedNotDeletedThrough) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting needs root";
  fs::path outside = tmp_.path() / "outside";
  fs::create_directories(outside);
  Touch(outside / "precious");
  fs::create_directories(Top() / "a" / "mnt");
  fs::create_directories(Top() / "b" / "c");
  fs::create_directories(Top() / "e" / "bind");
  Touch(Top() / "a" / "sibling");
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        ::mount("tmpfs", (Top() / "a" / "mnt").c_str(), "tmpfs", 0, "size=1m") != 0 ||
        ::mount(outside.c_str(), (Top() / "e" / "bind").c_str(), nullptr, MS_BIND, nullptr) != 0)
      ::_exit(77);  // no mount namespaces here
    Touch(Top() / "a" / "mnt" / "precious");
    Status removed = RemoveTreeBounded(Top());
    if (removed.code() != ErrorCode::kFailedPrecondition) ::_exit(1);
    if (removed.message().find(" is a mount point") == std::string::npos) ::_exit(2);
    if (!fs::exists(Top() / "a" / "mnt" / "precious")) ::_exit(3);
    if (!fs::exists(outside / "precious")) ::_exit(4);
    if (fs::exists(Top() / "b") || fs::exists(Top() / "a" / "sibling")) ::_exit(5);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "no mount namespace";
  EXPECT_EQ(WEXITSTATUS(status), 0)
      << "1: wrong code, 2: message, 3: tmpfs deleted through, 4: bind deleted through, 5: rest";
  EXPECT_TRUE(fs::exists(outside / "precious"));
  EXPECT_THAT(RemoveTreeBounded(Top()), IsOk());  // the mounts went with the child's namespace
}

TEST_F(TreeRemovalTest, ErrorsNameTheDeepPathShortened) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting needs root";
  ASSERT_TRUE(fs::create_directory(Top()));
  ASSERT_TRUE(MakeDeepChain(Top(), 100));
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::string deep = Top().string();
    for (int i = 0; i < 100; ++i) deep += "/d";
    if (::unshare(CLONE_NEWNS) != 0 ||
        ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        ::mount("tmpfs", deep.c_str(), "tmpfs", 0, "size=1m") != 0)
      ::_exit(77);
    Status removed = RemoveTreeBounded(Top());
    // "…/t/d/<97 more levels>/d/d is on another filesystem…"
    bool named =
        removed.message().find("/t/d/<97 more levels>/d/d is a mount point") != std::string::npos;
    ::_exit(named ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "no mount namespace";
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace noj::runner

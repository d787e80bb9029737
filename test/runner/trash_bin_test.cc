#include "runner/trash_bin.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <set>
#include <string>

#include "runner/deep_tree.h"
#include "runner/tree_removal.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

namespace fs = std::filesystem;
using noj::testing::IsOk;
using noj::testing::StatusIs;
using testing::MakeDeepChain;
using testing::ScopedFdLimit;
using namespace std::chrono_literals;

std::set<std::string> Names(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

class TrashBinTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(work_); }
  // TempDir's fs::remove_all cannot remove a 40,000-level chain that a failed test leaves.
  void TearDown() override { RemoveTreeBounded(work_).IgnoreError(); }

  noj::testing::TempDir tmp_;
  fs::path work_ = tmp_.path() / "work";
};

// What noj-runner does at start when a crash left a contestant's deep chain behind: start-up
// takes a rename, the removal runs in the background with few descriptors. 5,000 levels with
// 64 descriptors show the bound (tree_removal_test and the e2e test take 40,000: each such
// chain costs 5-60 s of this disk, and runner_test also runs in the sanitizer lane).
TEST_F(TrashBinTest, StartUpMovesADeepChainAsideAndRemovesItInTheBackground) {
  std::ofstream(work_ / ".lock") << "";
  fs::create_directories(work_ / "jb_old" / "box");
  ASSERT_TRUE(MakeDeepChain(work_ / "jb_old" / "box", 5000));
  std::ofstream(work_ / "stray-file") << "x";
  ScopedFdLimit limit(64);
  ASSERT_TRUE(limit.ok());

  auto trash = TrashBin::Open(work_ / ".trash");
  ASSERT_THAT(trash, IsOk());
  EXPECT_EQ(MoveLeftoversAside(work_, ".lock", **trash), 2);
  EXPECT_EQ(Names(work_), (std::set<std::string>{".lock", ".trash"}));
  // Generous: removing the chain is bound by the disk (6-150 s seen on a shared VM, ext4 with
  // `discard`), not by the CPU.
  ASSERT_TRUE((*trash)->WaitIdle(240s));
  EXPECT_TRUE(Names(work_ / ".trash").empty());
}

TEST_F(TrashBinTest, RemovesWhatTheTrashHeldAtOpen) {
  fs::create_directories(work_ / ".trash" / "old.x" / "a" / "b");
  std::ofstream(work_ / ".trash" / "old.x" / "a" / "f") << "x";
  auto trash = TrashBin::Open(work_ / ".trash");
  ASSERT_THAT(trash, IsOk());
  ASSERT_TRUE((*trash)->WaitIdle(60s));
  EXPECT_TRUE(Names(work_ / ".trash").empty());
}

TEST_F(TrashBinTest, MoveAsideOfAMissingPathIsOk) {
  auto trash = TrashBin::Open(work_ / ".trash");
  ASSERT_THAT(trash, IsOk());
  EXPECT_THAT((*trash)->MoveAside(work_ / "missing"), IsOk());
  EXPECT_EQ(MoveLeftoversAside(work_, ".lock", **trash), 0);
}

TEST_F(TrashBinTest, MovesTwoEntriesOfTheSameNameWithoutClash) {
  auto trash = TrashBin::Open(work_ / ".trash");
  ASSERT_THAT(trash, IsOk());
  for (int i = 0; i < 2; ++i) {
    fs::create_directories(work_ / "jb_1" / "box");
    ASSERT_THAT((*trash)->MoveAside(work_ / "jb_1"), IsOk());
    EXPECT_FALSE(fs::exists(work_ / "jb_1"));
  }
  ASSERT_TRUE((*trash)->WaitIdle(60s));
  EXPECT_TRUE(Names(work_ / ".trash").empty());
}

TEST_F(TrashBinTest, MakesTheTrashAgainIfItWasRemoved) {
  auto trash = TrashBin::Open(work_ / ".trash");
  ASSERT_THAT(trash, IsOk());
  ASSERT_TRUE((*trash)->WaitIdle(60s));
  fs::remove(work_ / ".trash");
  fs::create_directories(work_ / "jb_2");
  EXPECT_THAT((*trash)->MoveAside(work_ / "jb_2"), IsOk());
  ASSERT_TRUE((*trash)->WaitIdle(60s));
  EXPECT_TRUE(Names(work_ / ".trash").empty());
}

TEST_F(TrashBinTest, OpenFailsWhenTheTrashIsNotADirectory) {
  std::ofstream(work_ / ".trash") << "x";
  EXPECT_THAT(TrashBin::Open(work_ / ".trash"), StatusIs(ErrorCode::kInternal));
}

// Destruction does not wait for a large removal to end: it stops it, and what is left stays in
// the trash for the next start.
TEST_F(TrashBinTest, StopsOnDestructionAndTheNextOpenFinishes) {
  fs::create_directories(work_ / "jb_big");
  ASSERT_TRUE(MakeDeepChain(work_ / "jb_big", 5000, /*files=*/true));
  {
    auto trash = TrashBin::Open(work_ / ".trash");
    ASSERT_THAT(trash, IsOk());
    EXPECT_EQ(MoveLeftoversAside(work_, ".lock", **trash), 1);
  }  // destroyed at once, most likely mid-removal
  auto trash = TrashBin::Open(work_ / ".trash");
  ASSERT_THAT(trash, IsOk());
  ASSERT_TRUE((*trash)->WaitIdle(240s));
  EXPECT_TRUE(Names(work_ / ".trash").empty());
}

}  // namespace
}  // namespace noj::runner

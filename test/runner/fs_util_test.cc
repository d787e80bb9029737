#include "runner/fs_util.h"

#include <gtest/gtest.h>

#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

// The WorkerFixture flake of issue 11: a 2-byte file read with a 64 MiB limit came back empty
// whenever buffer + limit passed the top of the address space (read() said EFAULT). A limit of
// 2^46 passes it from any buffer, so this failed on every machine before the fix.
TEST(ReadFilePrefix, AHugeLimitReadsASmallFileWhole) {
  noj::testing::TempDir tmp;
  ASSERT_OK(WriteFile(tmp.File("f"), "3\n"));
  EXPECT_EQ(ReadFilePrefix(tmp.File("f"), uint64_t{1} << 46), "3\n");
}

TEST(ReadFilePrefix, StopsAtTheLimitAcrossChunks) {
  noj::testing::TempDir tmp;
  std::string big(200 * 1024 + 7, 'x');
  big[150 * 1024] = 'y';
  ASSERT_OK(WriteFile(tmp.File("big"), big));
  EXPECT_EQ(ReadFilePrefix(tmp.File("big"), big.size()), big);
  EXPECT_EQ(ReadFilePrefix(tmp.File("big"), 150 * 1024 + 1), big.substr(0, 150 * 1024 + 1));
  EXPECT_EQ(ReadFilePrefix(tmp.File("missing"), 10), "");
}

}  // namespace
}  // namespace noj::runner

#include "runner/code_package.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/zip_archive.h"
#include "support/status_matchers.h"

namespace noj::runner {
namespace {

using noj::testing::StatusIs;

std::string Zip(std::vector<zip::Entry> entries) {
  auto z = zip::Build(entries);
  EXPECT_TRUE(z.ok());
  return z.value_or("");
}

TEST(CodePackage, ExtractsTheOneSource) {
  std::string zip = Zip({{"main.cpp", "int main(){}"}});
  ASSERT_OK_AND_ASSIGN(std::string src, ExtractSource(zip, "main.cpp"));
  EXPECT_EQ(src, "int main(){}");
}

TEST(CodePackage, WrongNameIsRejected) {
  std::string zip = Zip({{"main.c", "int main(){}"}});
  auto r = ExtractSource(zip, "main.cpp");
  EXPECT_THAT(r, StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(r.status().message(), ::testing::HasSubstr("main.c"));
}

TEST(CodePackage, ExtraFilesAreRejected) {
  EXPECT_THAT(ExtractSource(Zip({{"main.py", "print(1)"}, {"evil.py", "x"}}), "main.py"),
              StatusIs(ErrorCode::kInvalidArgument));
}

TEST(CodePackage, NestedSourceIsRejected) {
  EXPECT_THAT(ExtractSource(Zip({{"src/main.py", "print(1)"}}), "main.py"),
              StatusIs(ErrorCode::kInvalidArgument));
}

TEST(CodePackage, GarbageIsRejected) {
  EXPECT_THAT(ExtractSource("this is not a zip", "main.c"), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ExtractSource("", "main.c"), StatusIs(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace noj::runner

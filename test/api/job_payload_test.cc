#include "api/job_payload.h"

#include <gtest/gtest.h>

#include <string>

namespace noj::api {
namespace {

TEST(JobPayload, IsValidLanguageAcceptsZeroToSixtyThreeButThree) {
  EXPECT_TRUE(IsValidLanguage(0));
  EXPECT_TRUE(IsValidLanguage(1));
  EXPECT_TRUE(IsValidLanguage(2));
  EXPECT_TRUE(IsValidLanguage(4));  // the languages files' codes (judging.md §5)
  EXPECT_TRUE(IsValidLanguage(63));
  EXPECT_FALSE(IsValidLanguage(-1));
  EXPECT_FALSE(IsValidLanguage(3));  // reserved: Normal-OJ's handwritten answers
  EXPECT_FALSE(IsValidLanguage(64));
  EXPECT_FALSE(IsValidLanguage(int64_t{1} << 40));
  EXPECT_TRUE(IsBuiltinLanguage(2));
  EXPECT_FALSE(IsBuiltinLanguage(4));
}

TEST(JobPayload, SourceFileNames) {
  EXPECT_EQ(std::string(SourceFileName(Language::kC)), "main.c");
  EXPECT_EQ(std::string(SourceFileName(Language::kCpp)), "main.cpp");
  EXPECT_EQ(std::string(SourceFileName(Language::kPython3)), "main.py");
  // Other codes: one file `main`, installed by the runner under its table's source name.
  EXPECT_EQ(std::string(SourceFileName(static_cast<Language>(5))), "main");
}

}  // namespace
}  // namespace noj::api

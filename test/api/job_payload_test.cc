#include "api/job_payload.h"

#include <gtest/gtest.h>

#include <string>

namespace noj::api {
namespace {

TEST(JobPayload, IsValidLanguageAcceptsZeroToTwo) {
  EXPECT_TRUE(IsValidLanguage(0));
  EXPECT_TRUE(IsValidLanguage(1));
  EXPECT_TRUE(IsValidLanguage(2));
  EXPECT_FALSE(IsValidLanguage(-1));
  EXPECT_FALSE(IsValidLanguage(3));
  EXPECT_FALSE(IsValidLanguage(int64_t{1} << 40));
}

TEST(JobPayload, SourceFileNames) {
  EXPECT_EQ(std::string(SourceFileName(Language::kC)), "main.c");
  EXPECT_EQ(std::string(SourceFileName(Language::kCpp)), "main.cpp");
  EXPECT_EQ(std::string(SourceFileName(Language::kPython3)), "main.py");
}

}  // namespace
}  // namespace noj::api

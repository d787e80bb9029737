#include "judge/testdata_layout.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace noj::judge {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const api::TaskSpecs kLayoutTasks = {{40, 2, 65536, 1000}, {60, 1, 65536, 1000}};

std::vector<std::string> Complete() {
  return {"0000.in", "0000.out", "0001.in", "0001.out", "0100.in", "0100.out"};
}

TEST(CaseFileName, TwoDigitsEachZeroBased) {
  EXPECT_EQ(CaseFileName(0, 0, "in"), "0000.in");
  EXPECT_EQ(CaseFileName(1, 2, "in"), "0102.in");
  EXPECT_EQ(CaseFileName(12, 98, "out"), "1298.out");
}

TEST(TestdataLayout, ExactLayoutIsOk) {
  LayoutReport r = CheckTestdataLayout(kLayoutTasks, Complete());
  EXPECT_TRUE(r.ok());
  EXPECT_THAT(r.extra, IsEmpty());
  EXPECT_THAT(r.missing, IsEmpty());
}

TEST(TestdataLayout, OrderOfNamesDoesNotMatter) {
  std::vector<std::string> names = Complete();
  std::reverse(names.begin(), names.end());
  EXPECT_TRUE(CheckTestdataLayout(kLayoutTasks, names).ok());
}

TEST(TestdataLayout, ReportsMissingSorted) {
  LayoutReport r = CheckTestdataLayout(kLayoutTasks, {"0100.out", "0000.in", "0001.out"});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.extra, IsEmpty());
  EXPECT_THAT(r.missing, ElementsAre("0000.out", "0001.in", "0100.in"));
}

TEST(TestdataLayout, ReportsExtraSorted) {
  std::vector<std::string> names = Complete();
  names.push_back("0002.in");   // case beyond caseCount
  names.push_back("0200.out");  // task beyond the declared ones
  names.push_back("README");
  names.push_back("0000.IN");
  LayoutReport r = CheckTestdataLayout(kLayoutTasks, names);
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.extra, ElementsAre("0000.IN", "0002.in", "0200.out", "README"));
  EXPECT_THAT(r.missing, IsEmpty());
}

TEST(TestdataLayout, OneBasedNamesAreBothExtraAndMissing) {
  LayoutReport r = CheckTestdataLayout({{100, 1, 65536, 1000}}, {"0101.in", "0101.out"});
  EXPECT_THAT(r.extra, ElementsAre("0101.in", "0101.out"));
  EXPECT_THAT(r.missing, ElementsAre("0000.in", "0000.out"));
}

TEST(TestdataLayout, ChaosFolderIsAllowed) {
  std::vector<std::string> names = Complete();
  names.push_back("chaos/");
  names.push_back("chaos/helper.h");
  names.push_back("chaos/lib/deep.txt");
  EXPECT_TRUE(CheckTestdataLayout(kLayoutTasks, names).ok());
}

TEST(TestdataLayout, OtherDirectoriesAreExtra) {
  std::vector<std::string> names = Complete();
  names.push_back("data/");
  names.push_back("data/0000.in");
  names.push_back("chaos");  // a file named chaos, not the folder
  LayoutReport r = CheckTestdataLayout(kLayoutTasks, names);
  EXPECT_THAT(r.extra, ElementsAre("chaos", "data/", "data/0000.in"));
  EXPECT_THAT(r.missing, IsEmpty());
}

TEST(TestdataLayout, NestedCaseFilesDoNotCount) {
  LayoutReport r = CheckTestdataLayout({{100, 1, 65536, 1000}}, {"x/0000.in", "x/0000.out"});
  EXPECT_THAT(r.extra, ElementsAre("x/0000.in", "x/0000.out"));
  EXPECT_THAT(r.missing, ElementsAre("0000.in", "0000.out"));
}

TEST(TestdataLayout, EmptyZipMissesEverything) {
  LayoutReport r = CheckTestdataLayout(kLayoutTasks, {});
  EXPECT_THAT(r.extra, IsEmpty());
  EXPECT_EQ(r.missing.size(), 6u);
  EXPECT_EQ(r.missing.front(), "0000.in");
}

TEST(TestdataLayout, DuplicateExtraNamesAreReportedOnce) {
  std::vector<std::string> names = Complete();
  names.push_back("x");
  names.push_back("x");
  EXPECT_THAT(CheckTestdataLayout(kLayoutTasks, names).extra, ElementsAre("x"));
}

}  // namespace
}  // namespace noj::judge

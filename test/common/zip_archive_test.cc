#include "common/zip_archive.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/zip_forge.h"

namespace noj::zip {
namespace {

using ::testing::ElementsAre;

std::string MustBuild(const std::vector<Entry>& entries) {
  auto r = Build(entries);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : std::string();
}

TEST(ZipArchive, BuildThenReadRoundTrips) {
  std::string big(200000, 'x');
  std::string binary("\0\1\2\xff", 4);
  std::string zip = MustBuild(
      {{"main.cpp", "int main() {}\n"}, {"0000.in", big}, {"empty.txt", ""}, {"bin", binary}});
  auto all = ReadAll(zip);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].name, "main.cpp");
  EXPECT_EQ((*all)[0].data, "int main() {}\n");
  EXPECT_EQ((*all)[1].data, big);
  EXPECT_EQ((*all)[2].data, "");
  EXPECT_EQ((*all)[3].data, binary);
  EXPECT_LT(zip.size(), big.size());  // deflated
}

TEST(ZipArchive, ListNamesGivesNamesInOrder) {
  std::string zip =
      MustBuild({{"0000.in", "1"}, {"0000.out", "2"}, {"chaos/", ""}, {"chaos/x", "3"}});
  auto names = ListNames(zip);
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  EXPECT_THAT(*names, ElementsAre("0000.in", "0000.out", "chaos/", "chaos/x"));
}

TEST(ZipArchive, DirectoryEntriesHaveNoData) {
  auto all = ReadAll(MustBuild({{"chaos/", ""}, {"chaos/a.txt", "a"}}));
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "chaos/");
  EXPECT_EQ((*all)[0].data, "");
  EXPECT_EQ((*all)[1].data, "a");
}

TEST(ZipArchive, RejectsGarbageAndEmptyInput) {
  for (std::string bad : {std::string(), std::string("not a zip at all"), std::string(1000, '\0'),
                          std::string("PK\x03\x04garbage", 11)}) {
    auto all = ReadAll(bad);
    ASSERT_FALSE(all.ok());
    EXPECT_EQ(all.status().code(), ErrorCode::kInvalidArgument);
    auto names = ListNames(bad);
    ASSERT_FALSE(names.ok());
    EXPECT_EQ(names.status().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(ZipArchive, RejectsTruncatedArchive) {
  std::string zip = MustBuild({{"a", std::string(1000, 'a')}, {"b", "b"}});
  auto r = ReadAll(std::string_view(zip).substr(0, zip.size() / 2));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
}

TEST(ZipArchive, ReadAllRejectsPathTraversal) {
  for (std::string name : {"../evil", "a/../../evil", "..", "/etc/passwd", "a\\..\\b"}) {
    std::string zip = MustBuild({{"ok.txt", "fine"}, {name, "x"}});
    auto r = ReadAll(zip);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << name;
  }
}

TEST(ZipArchive, AcceptsNamesThatOnlyLookLikeDots) {
  auto r = ReadAll(MustBuild({{"a..b", "1"}, {"..hidden", "2"}, {"dir/.x", "3"}}));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size(), 3u);
}

TEST(ZipArchive, RejectsTooManyEntries) {
  std::vector<Entry> entries;
  for (int i = 0; i < 5; ++i) entries.push_back({"f" + std::to_string(i), "x"});
  std::string zip = MustBuild(entries);
  ReadLimits limits;
  limits.max_entries = 4;
  auto all = ReadAll(zip, limits);
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.status().code(), ErrorCode::kInvalidArgument);
  auto names = ListNames(zip, limits);
  ASSERT_FALSE(names.ok());
  EXPECT_EQ(names.status().code(), ErrorCode::kInvalidArgument);
  limits.max_entries = 5;
  EXPECT_TRUE(ReadAll(zip, limits).ok());
}

TEST(ZipArchive, RejectsArchivesExpandingBeyondTheLimit) {
  // 1 MB of zeros deflates to about a kilobyte: a small bomb.
  std::string zip = MustBuild({{"zeros", std::string(1 << 20, '\0')}});
  ReadLimits limits;
  limits.max_total_bytes = 64 * 1024;
  auto r = ReadAll(zip, limits);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  limits.max_total_bytes = 1 << 20;
  EXPECT_TRUE(ReadAll(zip, limits).ok());
}

TEST(ZipArchive, ListEntriesGivesNamesSizesAndLinks) {
  std::string zip = MustBuild({{"0000.in", std::string(5000, 'x')},
                               {"chaos/", ""},
                               {"evil", "/etc/passwd", /*is_link=*/true},
                               {"../up", "y"}});
  auto entries = ListEntries(zip);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 4u);
  EXPECT_EQ((*entries)[0].name, "0000.in");
  EXPECT_EQ((*entries)[0].size, 5000u);
  EXPECT_FALSE((*entries)[0].is_link);
  EXPECT_EQ((*entries)[1].name, "chaos/");
  EXPECT_EQ((*entries)[1].size, 0u);
  EXPECT_EQ((*entries)[2].name, "evil");
  EXPECT_TRUE((*entries)[2].is_link);
  EXPECT_EQ((*entries)[3].name, "../up");  // listed as it is: judging names is the caller's job
}

TEST(ZipArchive, ReadAllReportsLinksWithTheirTarget) {
  auto all = ReadAll(MustBuild({{"a", "1"}, {"ln", "a", true}}));
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_FALSE((*all)[0].is_link);
  EXPECT_TRUE((*all)[1].is_link);
  EXPECT_EQ((*all)[1].data, "a");
}

TEST(ZipArchive, ListEntriesHonoursTheEntryLimit) {
  std::string zip = MustBuild({{"a", "1"}, {"b", "2"}, {"c", "3"}});
  ReadLimits limits;
  limits.max_entries = 2;
  EXPECT_EQ(ListEntries(zip, limits).status().code(), ErrorCode::kInvalidArgument);
  limits.max_entries = 3;
  EXPECT_TRUE(ListEntries(zip, limits).ok());
}

TEST(ZipArchive, CheckReadableAcceptsAWholeArchive) {
  std::string zip = MustBuild({{"big", std::string(300000, 'z')},
                               {"dir/", ""},
                               {"empty", ""},
                               {"dir/x", std::string("\0\1\xff", 3)}});
  EXPECT_TRUE(CheckReadable(zip).ok());
}

TEST(ZipArchive, CheckReadableRefusesBombsAndLies) {
  std::string zip = MustBuild({{"zeros", std::string(1 << 20, '\0')}});
  ReadLimits limits;
  limits.max_total_bytes = 64 * 1024;
  EXPECT_EQ(CheckReadable(zip, limits).code(), ErrorCode::kInvalidArgument);
  // A declared size the data does not have: larger, and smaller.
  for (uint32_t declared : {uint32_t{300} << 20, uint32_t{1000}}) {
    std::string forged = noj::testing::WithDeclaredSize(zip, "zeros", declared);
    ASSERT_FALSE(forged.empty());
    auto entries = ListEntries(forged);
    ASSERT_TRUE(entries.ok()) << entries.status().ToString();
    EXPECT_EQ((*entries)[0].size, declared);  // what a validator sees, without decompressing
    Status s = CheckReadable(forged);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument) << declared;
  }
}

TEST(ZipArchive, CheckReadableRefusesGarbage) {
  EXPECT_EQ(CheckReadable("PK\x03\x04garbage").code(), ErrorCode::kInvalidArgument);
  std::string zip = MustBuild({{"a", std::string(1000, 'a')}, {"b", "b"}});
  std::string flipped = zip;
  // Inside a's deflated data, which follows its local header (30 bytes), name and extra field.
  const size_t data = 30 + 1 + static_cast<uint8_t>(zip[28]) + 256 * static_cast<uint8_t>(zip[29]);
  flipped[data + 2] = static_cast<char>(flipped[data + 2] ^ 0x55);
  EXPECT_EQ(CheckReadable(flipped).code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace noj::zip

#include "judge/testdata_layout.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace noj::judge {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const api::TaskSpecs kLayoutTasks = {{40, 2, 65536, 1000}, {60, 1, 65536, 1000}};

std::vector<PackageEntry> Entries(const std::vector<std::string>& names) {
  std::vector<PackageEntry> out;
  for (const std::string& n : names) out.push_back({n, 3, false});
  return out;
}

std::vector<std::string> Complete() {
  return {"0000.in", "0000.out", "0001.in", "0001.out", "0100.in", "0100.out"};
}

std::vector<std::string> CompleteContext() {
  return {"test-case/",
          "test-case/0000/",
          "test-case/0000/STDIN",
          "test-case/0000/STDOUT",
          "test-case/0001/STDIN",
          "test-case/0001/STDOUT",
          "test-case/0001/in/",
          "test-case/0001/in/data.txt",
          "test-case/0001/out/result.txt",
          "test-case/0100/STDIN",
          "test-case/0100/STDOUT"};
}

std::vector<std::string> With(std::vector<std::string> names,
                              const std::vector<std::string>& more) {
  names.insert(names.end(), more.begin(), more.end());
  return names;
}

PackageReport Check(const std::vector<std::string>& names, const api::ProblemMeta& meta = {}) {
  return CheckPackage(Entries(names), kLayoutTasks, meta);
}

api::ProblemMeta Custom() {
  api::ProblemMeta m;
  m.checker.kind = api::CheckerKind::kCustom;
  return m;
}

api::ProblemMeta Interactive() {
  api::ProblemMeta m;
  m.interactive = true;
  return m;
}

// The reasons given for `entry`.
std::vector<std::string> ReasonsFor(const PackageReport& r, const std::string& entry) {
  std::vector<std::string> out;
  for (const PackageIssue& i : r.issues)
    if (i.entry == entry) out.push_back(i.reason);
  return out;
}

std::vector<std::string> IssueEntries(const PackageReport& r) {
  std::vector<std::string> out;
  for (const PackageIssue& i : r.issues) out.push_back(i.entry);
  return out;
}

TEST(CaseFileName, TwoDigitsEachZeroBased) {
  EXPECT_EQ(CaseFileName(0, 0, "in"), "0000.in");
  EXPECT_EQ(CaseFileName(1, 2, "in"), "0102.in");
  EXPECT_EQ(CaseFileName(12, 98, "out"), "1298.out");
  EXPECT_EQ(ContextCaseDir(1, 2), "test-case/0102");
}

// ---- SimpleIO, as before ----

TEST(PackageLayout, ExactSimpleLayoutIsOk) {
  PackageReport r = Check(Complete());
  EXPECT_TRUE(r.ok());
  EXPECT_FALSE(r.context_io);
  EXPECT_THAT(r.issues, IsEmpty());
  EXPECT_THAT(r.extra, IsEmpty());
  EXPECT_THAT(r.missing, IsEmpty());
}

TEST(PackageLayout, OrderOfNamesDoesNotMatter) {
  std::vector<std::string> names = Complete();
  std::reverse(names.begin(), names.end());
  EXPECT_TRUE(Check(names).ok());
}

TEST(PackageLayout, ReportsMissingSorted) {
  PackageReport r = Check({"0100.out", "0000.in", "0001.out"});
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.extra, IsEmpty());
  EXPECT_THAT(r.missing, ElementsAre("0000.out", "0001.in", "0100.in"));
  EXPECT_THAT(IssueEntries(r), ElementsAre("0000.out", "0001.in", "0100.in"));
  EXPECT_THAT(r.issues[0].reason, HasSubstr("missing"));
}

TEST(PackageLayout, ReportsExtraSortedWithReasons) {
  PackageReport r = Check(With(Complete(), {"0002.in", "0200.out", "README", "0000.IN"}));
  EXPECT_FALSE(r.ok());
  EXPECT_THAT(r.extra, ElementsAre("0000.IN", "0002.in", "0200.out", "README"));
  EXPECT_THAT(r.missing, IsEmpty());
  EXPECT_THAT(ReasonsFor(r, "0002.in"), ElementsAre(HasSubstr("no case 2 in task 0")));
  EXPECT_THAT(ReasonsFor(r, "0200.out"), ElementsAre(HasSubstr("no task 2")));
  EXPECT_THAT(ReasonsFor(r, "README"), ElementsAre(HasSubstr("not part of the package layout")));
  // Entries in archive order.
  EXPECT_THAT(IssueEntries(r), ElementsAre("0002.in", "0200.out", "README", "0000.IN"));
}

TEST(PackageLayout, OneBasedNamesAreBothExtraAndMissing) {
  PackageReport r = CheckPackage(Entries({"0101.in", "0101.out"}), {{100, 1, 65536, 1000}}, {});
  EXPECT_THAT(r.extra, ElementsAre("0101.in", "0101.out"));
  EXPECT_THAT(r.missing, ElementsAre("0000.in", "0000.out"));
  EXPECT_EQ(r.issues.size(), 4u);
}

TEST(PackageLayout, FreeFoldersAreAllowed) {
  EXPECT_TRUE(
      Check(With(Complete(), {"chaos/", "chaos/helper.h", "chaos/lib/deep.txt", "share/",
                              "share/dict.txt", "include/", "include/grader.c", "include/x/y.h"}))
          .ok());
}

TEST(PackageLayout, OtherFoldersAndLookalikesAreExtra) {
  PackageReport r = Check(With(Complete(), {"data/", "data/0000.in", "chaos", "shared/x"}));
  EXPECT_THAT(r.extra, ElementsAre("chaos", "data/", "data/0000.in", "shared/x"));
  EXPECT_THAT(r.missing, IsEmpty());
}

TEST(PackageLayout, NestedCaseFilesDoNotCount) {
  PackageReport r = CheckPackage(Entries({"x/0000.in", "x/0000.out"}), {{100, 1, 65536, 1000}}, {});
  EXPECT_THAT(r.extra, ElementsAre("x/0000.in", "x/0000.out"));
  EXPECT_THAT(r.missing, ElementsAre("0000.in", "0000.out"));
}

TEST(PackageLayout, EmptyZipMissesEverySimpleCase) {
  PackageReport r = Check({});
  EXPECT_FALSE(r.context_io);
  EXPECT_THAT(r.extra, IsEmpty());
  EXPECT_EQ(r.missing.size(), 6u);
  EXPECT_EQ(r.missing.front(), "0000.in");
}

TEST(PackageLayout, DuplicatesAreReportedEachTimeAndListedOnce) {
  PackageReport r = Check(With(Complete(), {"x", "x", "0000.in"}));
  EXPECT_THAT(r.extra, ElementsAre("0000.in", "x"));
  EXPECT_THAT(ReasonsFor(r, "0000.in"), ElementsAre(HasSubstr("duplicate")));
  EXPECT_THAT(ReasonsFor(r, "x"), ElementsAre(HasSubstr("not part"), HasSubstr("duplicate")));
}

// ---- unsafe names and links ----

TEST(PackageLayout, UnsafeNamesAndLinksAreEachReported) {
  std::vector<PackageEntry> entries =
      Entries(With(Complete(), {"../x", "chaos/../../etc", "/etc/passwd", "chaos\\x", "chaos//x",
                                "chaos/./x", "", ".."}));
  entries.push_back({"chaos/link", 11, true});
  PackageReport r = CheckPackage(entries, kLayoutTasks, {});
  EXPECT_THAT(ReasonsFor(r, "../x"), ElementsAre(HasSubstr("'..'")));
  EXPECT_THAT(ReasonsFor(r, ".."), ElementsAre(HasSubstr("'..'")));
  EXPECT_THAT(ReasonsFor(r, "chaos/../../etc"), ElementsAre(HasSubstr("'..'")));
  EXPECT_THAT(ReasonsFor(r, "/etc/passwd"), ElementsAre(HasSubstr("absolute")));
  EXPECT_THAT(ReasonsFor(r, "chaos\\x"), ElementsAre(HasSubstr("backslash")));
  EXPECT_THAT(ReasonsFor(r, "chaos//x"), ElementsAre(HasSubstr("empty or '.'")));
  EXPECT_THAT(ReasonsFor(r, "chaos/./x"), ElementsAre(HasSubstr("empty or '.'")));
  EXPECT_THAT(ReasonsFor(r, ""), ElementsAre(HasSubstr("empty name")));
  EXPECT_THAT(ReasonsFor(r, "chaos/link"), ElementsAre(HasSubstr("symbolic link")));
  EXPECT_EQ(r.issues.size(), 9u);
  EXPECT_EQ(r.extra.size(), 9u);
}

TEST(PackageLayout, AFileUsedAsAFolderIsReported) {
  PackageReport r = Check(With(Complete(), {"chaos/a", "chaos/a/b"}));
  EXPECT_THAT(IssueEntries(r), ElementsAre("chaos/a"));
  EXPECT_THAT(r.issues[0].reason, HasSubstr("as a folder"));
}

// ---- bounds ----

TEST(PackageLayout, HugeEntriesAndTotalsAreReported) {
  PackageLimits limits;
  limits.max_entry_bytes = 100;
  limits.max_total_bytes = 250;
  std::vector<PackageEntry> entries = Entries(Complete());  // 6 × 3 bytes
  entries[1].size = 101;
  entries.push_back({"chaos/a", 100, false});
  entries.push_back({"chaos/b", 100, false});  // the total passes 250 here
  entries.push_back({"chaos/c", 5000, false});
  PackageReport r = CheckPackage(entries, kLayoutTasks, {}, limits);
  EXPECT_THAT(ReasonsFor(r, "0000.out"), ElementsAre(HasSubstr("more than 100 bytes per entry")));
  EXPECT_THAT(ReasonsFor(r, "chaos/b"), ElementsAre(HasSubstr("expands beyond 250 bytes")));
  EXPECT_THAT(ReasonsFor(r, "chaos/c"), ElementsAre(HasSubstr("5000 bytes, more than 100")));
  EXPECT_EQ(r.issues.size(), 3u);
}

TEST(PackageLayout, DefaultBoundsAre256MiBPerEntryAnd1GiBInAll) {
  std::vector<PackageEntry> entries = Entries(Complete());
  entries.push_back({"share/a", uint64_t{256} << 20, false});
  EXPECT_TRUE(CheckPackage(entries, kLayoutTasks, {}).ok());
  entries.back().size += 1;
  EXPECT_THAT(ReasonsFor(CheckPackage(entries, kLayoutTasks, {}), "share/a"),
              ElementsAre(HasSubstr("more than 256 MiB per entry")));
  entries.back().size = uint64_t{200} << 20;
  for (int i = 0; i < 4; ++i) entries.push_back({"share/" + std::to_string(i), 250 << 20, false});
  EXPECT_THAT(ReasonsFor(CheckPackage(entries, kLayoutTasks, {}), "share/3"),
              ElementsAre(HasSubstr("beyond 1 GiB")));
}

TEST(PackageLayout, TooManyEntriesIsReportedOnce) {
  PackageLimits limits;
  limits.max_entries = 8;
  std::vector<std::string> names = With(Complete(), {"chaos/1", "chaos/2", "chaos/3", "chaos/4"});
  PackageReport r = CheckPackage(Entries(names), kLayoutTasks, {}, limits);
  EXPECT_THAT(IssueEntries(r), ElementsAre("chaos/3"));
  EXPECT_THAT(r.issues[0].reason, HasSubstr("10 entries, more than 8"));
  EXPECT_EQ(PackageLimits{}.max_entries, 10000u);
}

// ---- ContextIO ----

TEST(PackageLayout, ContextIoLayoutIsOk) {
  PackageReport r = Check(With(CompleteContext(), {"chaos/x", "include/a.h"}));
  EXPECT_TRUE(r.ok()) << (r.issues.empty() ? "" : r.issues[0].entry + ": " + r.issues[0].reason);
  EXPECT_TRUE(r.context_io);
}

TEST(PackageLayout, ContextIoNeedsStdinAndStdoutOfEveryCase) {
  std::vector<std::string> names = CompleteContext();
  names.erase(std::find(names.begin(), names.end(), "test-case/0100/STDOUT"));
  names.erase(std::find(names.begin(), names.end(), "test-case/0000/STDIN"));
  PackageReport r = Check(names);
  EXPECT_TRUE(r.context_io);
  EXPECT_THAT(r.missing, ElementsAre("test-case/0000/STDIN", "test-case/0100/STDOUT"));
  EXPECT_THAT(r.extra, IsEmpty());
}

TEST(PackageLayout, ContextIoStrayEntriesAreReported) {
  PackageReport r = Check(
      With(CompleteContext(), {"test-case/0000/stdin", "test-case/0000/STDIN/", "test-case/x",
                               "test-case/0300/STDIN", "test-case/0001/tmp/a", "test-case/0002/"}));
  // STDIN is also used as a folder by STDIN/: both are refused.
  EXPECT_THAT(r.extra, ElementsAre("test-case/0000/STDIN", "test-case/0000/STDIN/",
                                   "test-case/0000/stdin", "test-case/0001/tmp/a",
                                   "test-case/0002/", "test-case/0300/STDIN", "test-case/x"));
  EXPECT_THAT(ReasonsFor(r, "test-case/x"), ElementsAre(HasSubstr("case folders")));
  EXPECT_THAT(ReasonsFor(r, "test-case/0300/STDIN"), ElementsAre(HasSubstr("no task 3")));
  EXPECT_THAT(ReasonsFor(r, "test-case/0001/tmp/a"), ElementsAre(HasSubstr("only STDIN")));
}

TEST(PackageLayout, BothFormatsAtOnceFlagTheSmallerOne) {
  PackageReport r = Check(With(CompleteContext(), {"0000.in", "0000.out"}));
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.context_io);
  EXPECT_THAT(r.extra, ElementsAre("0000.in", "0000.out"));
  EXPECT_THAT(ReasonsFor(r, "0000.in"), ElementsAre(HasSubstr("one case format")));
  r = Check(With(Complete(), {"test-case/0000/STDIN"}));
  EXPECT_FALSE(r.context_io);
  EXPECT_THAT(r.extra, ElementsAre("test-case/0000/STDIN"));
  EXPECT_THAT(r.missing, IsEmpty());
}

// ---- checker/ and interactor/ against the meta ----

TEST(PackageLayout, CustomCheckerFolderWithOneSourceAndItsIncludes) {
  for (const char* source : {"checker/checker.c", "checker/checker.cpp", "checker/checker.py"}) {
    PackageReport r = Check(With(Complete(), {"checker/", source, "checker/testlib.h"}), Custom());
    EXPECT_TRUE(r.ok()) << source;
  }
}

TEST(PackageLayout, CheckerFolderWithTwoSourcesFlagsEach) {
  PackageReport r = Check(
      With(Complete(), {"checker/checker.c", "checker/testlib.h", "checker/checker.py"}), Custom());
  EXPECT_THAT(IssueEntries(r), ElementsAre("checker/checker.c", "checker/checker.py"));
  EXPECT_THAT(r.issues[0].reason, HasSubstr("exactly one of checker.c, checker.cpp or checker.py"));
}

TEST(PackageLayout, CustomCheckerNeedsASource) {
  PackageReport r = Check(Complete(), Custom());
  EXPECT_THAT(IssueEntries(r), ElementsAre("checker/"));
  EXPECT_THAT(r.missing, ElementsAre("checker/"));
  r = Check(With(Complete(), {"checker/testlib.h", "checker/sub/checker.cpp", "checker/main.cpp"}),
            Custom());
  EXPECT_THAT(IssueEntries(r), ElementsAre("checker/"));
  EXPECT_THAT(r.issues[0].reason, HasSubstr("missing checker/checker.c|cpp|py"));
}

TEST(PackageLayout, CheckerFolderWithoutACustomCheckerIsRefused) {
  for (api::CheckerKind kind : {api::CheckerKind::kDefault, api::CheckerKind::kFloat}) {
    api::ProblemMeta meta;
    meta.checker.kind = kind;
    PackageReport r = Check(With(Complete(), {"checker/", "checker/checker.cpp"}), meta);
    EXPECT_THAT(r.extra, ElementsAre("checker/", "checker/checker.cpp"));
    EXPECT_THAT(r.issues[0].reason,
                HasSubstr(std::string("checker is \"") + api::CheckerKindName(kind)));
  }
}

TEST(PackageLayout, AnEmptyUnwantedFolderEntryIsHarmless) {
  // zip -r keeps empty folders; only files make checker/ or interactor/ present.
  EXPECT_TRUE(Check(With(Complete(), {"checker/", "interactor/", "interactor/sub/"})).ok());
  PackageReport r = Check(With(Complete(), {"interactor/", "interactor/sub/", "interactor/x"}));
  EXPECT_THAT(r.extra, ElementsAre("interactor/", "interactor/sub/", "interactor/x"));
}

TEST(PackageLayout, InteractorFolderFollowsTheInteractiveFlag) {
  EXPECT_TRUE(
      Check(With(Complete(), {"interactor/interactor.cpp", "interactor/testlib.h"}), Interactive())
          .ok());
  PackageReport r = Check(Complete(), Interactive());
  EXPECT_THAT(r.missing, ElementsAre("interactor/"));
  r = Check(With(Complete(), {"interactor/interactor.cpp"}));
  EXPECT_THAT(ReasonsFor(r, "interactor/interactor.cpp"),
              ElementsAre(HasSubstr("not interactive")));
  r = Check(With(Complete(), {"interactor/interactor.c", "interactor/interactor.cpp"}),
            Interactive());
  EXPECT_EQ(r.issues.size(), 2u);
  // A checker's source does not count as the interactor's, nor the reverse.
  r = Check(With(Complete(), {"interactor/checker.cpp"}), Interactive());
  EXPECT_THAT(r.missing, ElementsAre("interactor/"));
}

TEST(PackageLayout, InteractiveWithContextIoIsRefusedWithTheReason) {
  PackageReport r = Check(With(CompleteContext(), {"interactor/interactor.py"}), Interactive());
  EXPECT_TRUE(r.context_io);
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].entry, "test-case/");
  EXPECT_THAT(r.issues[0].reason, HasSubstr("interactive problem cannot use ContextIO"));
}

TEST(PackageLayout, InteractiveWithACustomCheckerTakesBothFolders) {
  api::ProblemMeta meta = Custom();
  meta.interactive = true;
  EXPECT_TRUE(
      Check(With(Complete(), {"checker/checker.cpp", "interactor/interactor.cpp"}), meta).ok());
}

TEST(PackageLayout, EveryOffendingEntryIsListedOnce) {
  std::vector<PackageEntry> entries = Entries(With(
      Complete(), {"../a", "/b", "c", "checker/checker.c", "test-case/0000/STDIN", "0000.in"}));
  entries.push_back({"chaos/l", 1, true});
  PackageReport r = CheckPackage(entries, kLayoutTasks, {});
  EXPECT_THAT(IssueEntries(r), UnorderedElementsAre("../a", "/b", "c", "checker/checker.c",
                                                    "test-case/0000/STDIN", "0000.in", "chaos/l"));
  for (const PackageIssue& i : r.issues) EXPECT_FALSE(i.reason.empty()) << i.entry;
}

}  // namespace
}  // namespace noj::judge

#include "runner/testdata_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "common/zip_archive.h"
#include "runner/fs_util.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using noj::testing::StatusIs;

std::string TestdataZip(const std::string& answer) {
  auto z = zip::Build({{"0000.in", "1 2\n"},
                       {"0000.out", answer},
                       {"chaos/", ""},
                       {"chaos/helper.h", "#define X 1\n"}});
  EXPECT_TRUE(z.ok());
  return z.value_or("");
}

// Serves a checksum and a zip the test can change; counts downloads.
class FakeSource final : public TestdataSource {
 public:
  Result<std::string> Checksum(int64_t, std::stop_token) override {
    ++checksums;
    std::lock_guard lock(mu);
    return checksum;
  }
  Result<TestdataDownload> Download(int64_t, const std::string&, std::stop_token) override {
    ++downloads;
    if (on_download) on_download();
    std::lock_guard lock(mu);
    if (fail_downloads > 0) {
      --fail_downloads;
      return UnavailableError("network");
    }
    return TestdataDownload{zip, meta};
  }
  void Set(std::string sum, std::string z) {
    std::lock_guard lock(mu);
    checksum = std::move(sum);
    zip = std::move(z);
  }

  std::mutex mu;
  std::string checksum = "aaa111";
  std::string zip = TestdataZip("3\n");
  std::string meta;  // the meta's data object; empty: no meta endpoint
  int fail_downloads = 0;
  std::atomic<int> checksums = 0;
  std::atomic<int> downloads = 0;
  std::function<void()> on_download;
};

std::string Slurp(const std::filesystem::path& p) { return ReadFilePrefix(p, 1 << 20); }

struct CacheFixture : ::testing::Test {
  noj::testing::TempDir tmp;
  FakeSource source;
  TestdataCache cache{tmp.path() / "cache", source};
};

TEST_F(CacheFixture, MissDownloadsAndUnpacks) {
  ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {}));
  EXPECT_EQ(source.downloads.load(), 1);
  EXPECT_EQ(h->checksum, "aaa111");
  EXPECT_EQ(h->dir, tmp.path() / "cache" / "7" / "aaa111");
  EXPECT_EQ(Slurp(h->dir / "0000.in"), "1 2\n");
  EXPECT_EQ(Slurp(h->dir / "0000.out"), "3\n");
  EXPECT_EQ(Slurp(h->dir / "chaos" / "helper.h"), "#define X 1\n");
}

TEST_F(CacheFixture, HitDoesNotDownloadAgain) {
  ASSERT_OK(cache.Get(7, {}).status());
  ASSERT_OK(cache.Get(7, {}).status());
  TestdataCache restarted(tmp.path() / "cache", source);  // a new process, same disk
  ASSERT_OK_AND_ASSIGN(TestdataHandle h, restarted.Get(7, {}));
  EXPECT_EQ(source.downloads.load(), 1);
  EXPECT_EQ(source.checksums.load(), 3);
  EXPECT_EQ(Slurp(h->dir / "0000.out"), "3\n");
}

TEST_F(CacheFixture, ChangedChecksumDownloadsAndDropsTheOldVersion) {
  { ASSERT_OK(cache.Get(7, {}).status()); }
  source.Set("bbb222", TestdataZip("4\n"));
  ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {}));
  EXPECT_EQ(source.downloads.load(), 2);
  EXPECT_EQ(Slurp(h->dir / "0000.out"), "4\n");
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "cache" / "7" / "aaa111"));
}

TEST_F(CacheFixture, OldVersionStaysWhileAJobUsesIt) {
  ASSERT_OK_AND_ASSIGN(TestdataHandle old_handle, cache.Get(7, {}));
  source.Set("bbb222", TestdataZip("4\n"));
  ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {}));
  EXPECT_EQ(Slurp(old_handle->dir / "0000.out"), "3\n");
  old_handle.reset();
  source.Set("ccc333", TestdataZip("5\n"));
  ASSERT_OK(cache.Get(7, {}).status());
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "cache" / "7" / "aaa111"));
  EXPECT_TRUE(std::filesystem::exists(h->dir));  // still held
}

TEST_F(CacheFixture, CorruptCacheIsDownloadedAgain) {
  std::filesystem::path dir;
  {
    ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {}));
    dir = h->dir;
  }
  ASSERT_OK(WriteFile(dir / "0000.out", "truncat"));  // size no longer matches the manifest
  ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {}));
  EXPECT_EQ(source.downloads.load(), 2);
  EXPECT_EQ(Slurp(h->dir / "0000.out"), "3\n");
}

TEST_F(CacheFixture, MissingFileOrManifestIsCorruption) {
  std::filesystem::path dir;
  {
    ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {}));
    dir = h->dir;
  }
  std::filesystem::remove(dir / "0000.in");
  ASSERT_OK(cache.Get(7, {}).status());
  EXPECT_EQ(source.downloads.load(), 2);
  std::filesystem::remove(dir / ".noj-manifest");
  ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {}));
  EXPECT_EQ(source.downloads.load(), 3);
  EXPECT_EQ(Slurp(h->dir / "0000.in"), "1 2\n");
}

TEST_F(CacheFixture, ConcurrentJobsOfOneProblemDownloadOnce) {
  std::atomic<int> entered = 0;
  source.on_download = [&] {
    ++entered;
    // Hold the first download until every other Get() has asked for the checksum (and so is
    // waiting on the per-problem lock).
    while (source.checksums.load() < 8) std::this_thread::yield();
  };
  std::vector<std::thread> threads;
  std::atomic<int> ok = 0;
  for (int i = 0; i < 8; ++i) threads.emplace_back([&] { ok += cache.Get(7, {}).ok(); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(source.downloads.load(), 1);
  EXPECT_EQ(entered.load(), 1);
}

TEST_F(CacheFixture, DifferentProblemsAreIndependent) {
  ASSERT_OK(cache.Get(1, {}).status());
  ASSERT_OK(cache.Get(2, {}).status());
  EXPECT_EQ(source.downloads.load(), 2);
}

TEST_F(CacheFixture, FailedDownloadLeavesNothingBehind) {
  source.fail_downloads = 1;
  EXPECT_THAT(cache.Get(7, {}), StatusIs(ErrorCode::kUnavailable));
  ASSERT_OK(cache.Get(7, {}).status());
  EXPECT_EQ(source.downloads.load(), 2);
}

TEST_F(CacheFixture, BadZipIsInvalidAndLeavesNoTempDir) {
  source.Set("ddd444", "not a zip");
  EXPECT_THAT(cache.Get(7, {}), StatusIs(ErrorCode::kInvalidArgument));
  int entries = 0;
  for ([[maybe_unused]] const auto& e :
       std::filesystem::directory_iterator(tmp.path() / "cache" / "7"))
    ++entries;
  EXPECT_EQ(entries, 0);
}

TEST_F(CacheFixture, UnsafeChecksumIsRefused) {
  source.Set("../../etc", TestdataZip("3\n"));
  EXPECT_THAT(cache.Get(7, {}), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_EQ(source.downloads.load(), 0);
}

TEST_F(CacheFixture, TheMetaIsKeptWithItsVersion) {
  source.meta =
      R"({"tasks": [], "checker": {"type": "float", "abs": 1e-06, "rel": 0.0}, "outputLimit": 4096})";
  ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {}));
  EXPECT_EQ(h->meta.checker.kind, api::CheckerKind::kFloat);
  EXPECT_EQ(h->meta.checker.abs, 1e-6);
  EXPECT_EQ(h->meta.output_limit_bytes, 4096);
  EXPECT_EQ(h->package, PackageKind::kSimpleIO);
  h.reset();
  TestdataCache restarted(tmp.path() / "cache", source);  // a hit reads it back from the disk
  ASSERT_OK_AND_ASSIGN(TestdataHandle again, restarted.Get(7, {}));
  EXPECT_EQ(source.downloads.load(), 1);
  EXPECT_EQ(again->meta.checker.kind, api::CheckerKind::kFloat);
  EXPECT_EQ(again->meta.output_limit_bytes, 4096);
}

TEST_F(CacheFixture, NoMetaEndpointMeansAPlainProblem) {
  ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {}));
  EXPECT_TRUE(h->meta.IsPlain());
}

TEST_F(CacheFixture, ContextIOPackageIsRecognised) {
  auto z = zip::Build({{"test-case/0000/STDIN", "1 2\n"},
                       {"test-case/0000/STDOUT", "3\n"},
                       {"test-case/0000/in/a.txt", "a"},
                       {"test-case/0000/out/b.txt", "b"}});
  ASSERT_TRUE(z.ok());
  source.Set("eee555", *z);
  ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {}));
  EXPECT_EQ(h->package, PackageKind::kContextIO);
  EXPECT_EQ(Slurp(h->dir / "test-case/0000/in/a.txt"), "a");
}

TEST_F(CacheFixture, AVersionCachedByTheEarlierRunnerIsDownloadedAgain) {
  // What the runner before problem metas left: manifest version 1, no meta file.
  std::filesystem::path dir = tmp.path() / "cache" / "7" / "aaa111";
  ASSERT_OK(MakeDirs(dir));
  ASSERT_OK(WriteFile(dir / "0000.in", "1 2\n"));
  ASSERT_OK(WriteFile(dir / "0000.out", "3\n"));
  ASSERT_OK(
      WriteFile(dir / ".noj-manifest", "noj-testdata-manifest 1 aaa111\n4 0000.in\n2 0000.out\n"));
  source.meta = R"({"tasks": [], "checker": {"type": "tokens"}})";
  ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {}));
  EXPECT_EQ(source.downloads.load(), 1);
  EXPECT_EQ(h->meta.checker.kind, api::CheckerKind::kTokens);
  EXPECT_TRUE(std::filesystem::exists(h->dir / ".noj-meta.json"));
}

TEST_F(CacheFixture, AMetaThatDoesNotParseIsInvalid) {
  source.meta = R"({"checker": {"type": "psychic"}})";
  EXPECT_THAT(cache.Get(7, {}), StatusIs(ErrorCode::kInvalidArgument));
}

TEST_F(CacheFixture, ZipEntriesWithTheRunnersOwnNamesAreSkipped) {
  // A package cannot plant a "compiled checker" or a meta of its own.
  auto z = zip::Build({{"0000.in", "1 2\n"},
                       {"0000.out", "3\n"},
                       {".noj-build/checker/main", "#!/bin/sh\n"},
                       {".noj-meta.json", R"({"checker": {"type": "exact"}})"}});
  ASSERT_TRUE(z.ok());
  source.Set("fff666", *z);
  ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {}));
  EXPECT_FALSE(std::filesystem::exists(h->dir / ".noj-build"));
  EXPECT_TRUE(h->meta.IsPlain());
}

// Serves versions of one problem (judging.md §6): version 2 answers "3", version 3 answers "4";
// the current checksum is version 3's. Counts what it was asked.
class VersionedSource final : public TestdataSource {
 public:
  Result<std::string> Checksum(int64_t, std::stop_token) override {
    ++checksums;
    return std::string("ccc333");
  }
  Result<TestdataDownload> Download(int64_t, const std::string&, std::stop_token) override {
    ++current_downloads;
    return TestdataDownload{TestdataZip("4\n"), ""};
  }
  Result<TestdataDownload> DownloadVersion(int64_t, int64_t version, const std::string&,
                                           std::stop_token) override {
    versions.push_back(version);
    if (version != 2 && version != 3) return NotFoundError("version dropped");
    return TestdataDownload{TestdataZip(version == 2 ? "3\n" : "4\n"), ""};
  }
  std::atomic<int> checksums = 0;
  std::atomic<int> current_downloads = 0;
  std::vector<int64_t> versions;
};

TEST(TestdataCacheVersions, EachJobGetsTheVersionItsLeaseJudges) {
  noj::testing::TempDir tmp;
  VersionedSource source;
  TestdataCache cache(tmp.path() / "cache", source);
  // A job leased before the problem changed, and one claimed after.
  ASSERT_OK_AND_ASSIGN(TestdataHandle old_job, cache.Get(7, {2, "bbb222"}, {}));
  ASSERT_OK_AND_ASSIGN(TestdataHandle new_job, cache.Get(7, {3, "ccc333"}, {}));
  EXPECT_EQ(old_job->checksum, "bbb222");
  EXPECT_EQ(Slurp(old_job->dir / "0000.out"), "3\n");
  EXPECT_EQ(new_job->checksum, "ccc333");
  EXPECT_EQ(Slurp(new_job->dir / "0000.out"), "4\n");
  EXPECT_EQ(source.versions, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(source.checksums.load(), 0);  // the payload said which: no checksum request
  // Both stay while used; a job without the extensions (a Normal-OJ server) gets the current one
  // from the cache.
  ASSERT_OK_AND_ASSIGN(TestdataHandle plain, cache.Get(7, {}));
  EXPECT_EQ(plain->checksum, "ccc333");
  EXPECT_EQ(source.current_downloads.load(), 0);
  EXPECT_TRUE(std::filesystem::exists(old_job->dir));
  // A dropped version is the source's error.
  EXPECT_THAT(cache.Get(7, {1, "aaa111"}, {}), StatusIs(ErrorCode::kNotFound));
  // An unusable checksum in a payload is refused before any download.
  EXPECT_THAT(cache.Get(7, {4, "../x"}, {}), StatusIs(ErrorCode::kInvalidArgument));
}

TEST(TestdataCacheVersions, ASourceWithoutVersionsDownloadsTheCurrentOne) {
  noj::testing::TempDir tmp;
  FakeSource source;  // knows no versions: DownloadVersion is Download
  TestdataCache cache(tmp.path() / "cache", source);
  ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {5, "aaa111"}, {}));
  EXPECT_EQ(h->checksum, "aaa111");
  EXPECT_EQ(source.downloads.load(), 1);
  EXPECT_EQ(source.checksums.load(), 0);
}

// A source that cannot serve an older version (one the server has dropped).
class CurrentOnlySource final : public TestdataSource {
 public:
  Result<std::string> Checksum(int64_t, std::stop_token) override { return std::string("ccc333"); }
  Result<TestdataDownload> Download(int64_t, const std::string&, std::stop_token) override {
    ++downloads;
    return TestdataDownload{TestdataZip("4\n"), ""};
  }
  Result<TestdataDownload> DownloadVersion(int64_t, int64_t, const std::string& checksum,
                                           std::stop_token stop) override {
    if (checksum != "ccc333") return FailedPreconditionError("no longer current");
    return Download(7, checksum, stop);
  }
  std::atomic<int> downloads = 0;
};

TEST(TestdataCacheVersions, AVersionTheSourceCannotServeFallsBackToTheCurrentOne) {
  noj::testing::TempDir tmp;
  CurrentOnlySource source;
  TestdataCache cache(tmp.path() / "cache", source);
  ASSERT_OK_AND_ASSIGN(TestdataHandle h, cache.Get(7, {2, "bbb222"}, {}));
  EXPECT_EQ(h->checksum, "ccc333");
  EXPECT_EQ(Slurp(h->dir / "0000.out"), "4\n");
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "cache" / "7" / "bbb222"));
  ASSERT_OK_AND_ASSIGN(h, cache.Get(7, {3, "ccc333"}, {}));
  EXPECT_EQ(source.downloads.load(), 1);
}

}  // namespace
}  // namespace noj::runner

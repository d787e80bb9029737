#include "runner/compile_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "runner/compile_cache_entry.h"
#include "runner/fakes.h"
#include "runner/fs_util.h"
#include "runner/judge_pipeline.h"
#include "runner/runner_flags.h"
#include "runner/runner_metrics.h"
#include "runner/tool_cache.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using testing::FakeExecutor;
using testing::Ok;
using Kind = CompileOutcome::Kind;

// A "compiler" that writes `main` into the collect dir: "bin(<the box dir's main.cpp>)" padded to
// `size_` bytes, so each source has its own program and every entry a known size.
struct CompileCacheTest : ::testing::Test {
  noj::testing::TempDir tmp;
  std::filesystem::path cache_dir = tmp.path() / "cache";
  std::filesystem::path compiler = tmp.path() / "g++";
  LanguageSpec spec{.code = 1, .key = "cpp", .name = "C++", .source = "main.cpp"};
  std::atomic<int> compiles{0};
  size_t size = 100;
  int jobs = 0;
  FakeExecutor exec{[this](const sandbox::RunRequest& r) {
    ++compiles;
    if (on_compile) on_compile();
    std::string bin =
        "bin(" + ReadFilePrefix(std::filesystem::path(r.box_dir) / "main.cpp", 1000) + ")";
    bin.resize(size, '.');
    EXPECT_OK(WriteFile(std::filesystem::path(r.collect_dir) / "main", bin));
    std::filesystem::permissions(std::filesystem::path(r.collect_dir) / "main",
                                 std::filesystem::perms::owner_exec,
                                 std::filesystem::perm_options::add);
    return Ok();
  }};
  std::function<void()> on_compile;

  void SetUp() override { ASSERT_OK(WriteFile(compiler, "compiler version 1")); }

  // A fresh job: src/ and prog/ holding the source (and `extra` files), as the pipeline lays out.
  CompileRun Job(const std::string& source,
                 const std::vector<std::pair<std::string, std::string>>& extra = {}) {
    std::filesystem::path job = tmp.path() / ("job" + std::to_string(++jobs));
    CompileRun run{.argv = {compiler.string(), "-o", "main", "main.cpp"},
                   .src = job / "src",
                   .prog = job / "prog",
                   .io = job / "io"};
    for (const auto& dir : {run.src, run.prog}) {
      EXPECT_OK(MakeDirs(dir));
      EXPECT_OK(WriteFile(dir / "main.cpp", source));
      for (const auto& [name, content] : extra) EXPECT_OK(WriteFile(dir / name, content));
    }
    EXPECT_OK(MakeDirs(run.io));
    return run;
  }

  static std::string Program(const CompileRun& run) {
    return ReadFilePrefix(run.prog / "main", 1000);
  }

  // The directory of the only entry in the cache.
  std::filesystem::path OnlyEntry() {
    std::vector<std::filesystem::path> entries;
    for (const auto& e : std::filesystem::directory_iterator(cache_dir))
      if (e.path().filename().string().size() == 64) entries.push_back(e.path());
    EXPECT_EQ(entries.size(), 1u);
    return entries.empty() ? cache_dir : entries.front();
  }
};

TEST_F(CompileCacheTest, SameSourceTwiceCompilesOnce) {
  ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 1 << 20));
  CompileRun first = Job("int main(){}");
  CompileOutcome a = cache->Compile(exec, first, spec, {});
  EXPECT_EQ(a.kind, Kind::kOk);
  EXPECT_FALSE(a.cached);
  CompileRun second = Job("int main(){}");
  CompileOutcome b = cache->Compile(exec, second, spec, {});
  EXPECT_EQ(b.kind, Kind::kOk);
  EXPECT_TRUE(b.cached);
  EXPECT_EQ(compiles, 1);
  EXPECT_EQ(Program(second), Program(first));
  EXPECT_EQ(Program(second).substr(0, 17), "bin(int main(){})");
  // Executable as the compiler left it, whether linked or copied.
  EXPECT_NE(std::filesystem::status(second.prog / "main").permissions() &
                std::filesystem::perms::owner_exec,
            std::filesystem::perms::none);
  CompileCacheStats s = cache->stats();
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.entries, 1u);
  EXPECT_EQ(s.bytes, 100u);
}

TEST_F(CompileCacheTest, MissesOnAnythingTheCompileDependsOn) {
  ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 1 << 20));
  cache->Compile(exec, Job("A"), spec, {});
  ASSERT_EQ(compiles, 1);
  cache->Compile(exec, Job("B"), spec, {});  // another source
  EXPECT_EQ(compiles, 2);
  LanguageSpec other = spec;  // another language entry compiling the same way
  other.code = 7;
  other.name = "C++ 20";
  cache->Compile(exec, Job("A"), other, {});
  EXPECT_EQ(compiles, 3);
  cache->Compile(exec, Job("A", {{"grader.h", "v1"}}), spec, {});  // an include/ file
  EXPECT_EQ(compiles, 4);
  cache->Compile(exec, Job("A", {{"grader.h", "v2"}}), spec, {});  // its content
  EXPECT_EQ(compiles, 5);
  CompileRun more_memory = Job("A");  // the expanded argv ({memory_mib})
  more_memory.argv.push_back("-Xmx512m");
  cache->Compile(exec, more_memory, spec, {});
  EXPECT_EQ(compiles, 6);
  // Everything above is a hit now, each with its own program.
  CompileRun again = Job("A", {{"grader.h", "v2"}});
  EXPECT_TRUE(cache->Compile(exec, again, spec, {}).cached);
  EXPECT_TRUE(cache->Compile(exec, Job("B"), spec, {}).cached);
  EXPECT_TRUE(cache->Compile(exec, Job("A"), other, {}).cached);
  EXPECT_EQ(compiles, 6);
  // An upgraded compiler (same path, new content): a new key.
  ASSERT_OK(WriteFile(compiler, "compiler version 2, longer"));
  EXPECT_FALSE(cache->Compile(exec, Job("A"), spec, {}).cached);
  EXPECT_EQ(compiles, 7);
  EXPECT_EQ(cache->stats().entries, 7u);
}

TEST_F(CompileCacheTest, CompilerContentHashedOncePerFileVersion) {
  CompilerIdentities ids;
  std::string v1 = ids.Of(compiler.string());
  EXPECT_EQ(ids.Of(compiler.string()), v1);
  EXPECT_EQ(ids.hashed(), 1);
  EXPECT_THAT(v1, ::testing::StartsWith("sha256:"));
  ASSERT_OK(WriteFile(compiler, "compiler version 2 is longer"));
  EXPECT_NE(ids.Of(compiler.string()), v1);
  EXPECT_EQ(ids.hashed(), 2);
  // A link to it is the same compiler.
  std::filesystem::create_symlink(compiler, tmp.path() / "c++");
  EXPECT_EQ(ids.Of((tmp.path() / "c++").string()), ids.Of(compiler.string()));
  EXPECT_EQ(ids.hashed(), 2);
  EXPECT_EQ(ids.Of("g++"), "unresolved:g++");
}

TEST_F(CompileCacheTest, FailedCompilesAreNotCached) {
  FakeExecutor failing([this](const sandbox::RunRequest&) {
    ++compiles;
    auto r = Ok();
    r.exit_code = 1;
    return r;
  });
  ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 1 << 20));
  EXPECT_EQ(cache->Compile(failing, Job("bad"), spec, {}).kind, Kind::kFailed);
  EXPECT_EQ(cache->Compile(failing, Job("bad"), spec, {}).kind, Kind::kFailed);
  EXPECT_EQ(compiles, 2);
  EXPECT_EQ(cache->stats().entries, 0u);
}

TEST_F(CompileCacheTest, EvictsLeastRecentlyUsedToStayUnderItsSize) {
  ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 250));
  cache->Compile(exec, Job("A"), spec, {});
  cache->Compile(exec, Job("B"), spec, {});
  EXPECT_TRUE(cache->Compile(exec, Job("A"), spec, {}).cached);  // A now more recent than B
  cache->Compile(exec, Job("C"), spec, {});                      // 300 bytes: B goes
  EXPECT_EQ(compiles, 3);
  CompileCacheStats s = cache->stats();
  EXPECT_EQ(s.entries, 2u);
  EXPECT_EQ(s.bytes, 200u);
  EXPECT_EQ(s.evictions, 1u);
  EXPECT_TRUE(cache->Compile(exec, Job("A"), spec, {}).cached);
  EXPECT_TRUE(cache->Compile(exec, Job("C"), spec, {}).cached);
  EXPECT_FALSE(cache->Compile(exec, Job("B"), spec, {}).cached);  // evicted: compiled again
  EXPECT_EQ(compiles, 4);
  EXPECT_LE(cache->stats().bytes, 250u);
  // Gone from the disk too, temp and trash dirs included: 2 entries and the lock.
  int names = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(cache_dir)) ++names;
  EXPECT_EQ(names, 3);
}

TEST_F(CompileCacheTest, AProgramLargerThanTheCacheIsNotKept) {
  ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 250));
  size = 300;
  EXPECT_EQ(cache->Compile(exec, Job("big"), spec, {}).kind, Kind::kOk);
  EXPECT_EQ(cache->Compile(exec, Job("big"), spec, {}).kind, Kind::kOk);
  EXPECT_EQ(compiles, 2);
  EXPECT_EQ(cache->stats().bytes, 0u);
}

TEST_F(CompileCacheTest, ChangedCachedFileIsRecompiledAndReplaced) {
  ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 1 << 20));
  cache->Compile(exec, Job("A"), spec, {});
  std::filesystem::path cached = OnlyEntry() / "files" / "main";
  std::filesystem::remove(cached);  // a new file, not the job's hard link, is the one changed
  ASSERT_OK(WriteFile(cached, std::string(100, 'X')));  // same size, other content
  CompileRun second = Job("A");
  CompileOutcome out = cache->Compile(exec, second, spec, {});
  EXPECT_EQ(out.kind, Kind::kOk);
  EXPECT_FALSE(out.cached);
  EXPECT_EQ(compiles, 2);
  EXPECT_EQ(Program(second).substr(0, 6), "bin(A)");
  EXPECT_EQ(cache->stats().corrupted, 1u);
  // The entry was replaced by the new compile: a good hit now.
  CompileRun third = Job("A");
  EXPECT_TRUE(cache->Compile(exec, third, spec, {}).cached);
  EXPECT_EQ(Program(third).substr(0, 6), "bin(A)");
  EXPECT_EQ(compiles, 2);
}

TEST_F(CompileCacheTest, MissingCachedFileIsRecompiled) {
  ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 1 << 20));
  cache->Compile(exec, Job("A"), spec, {});
  std::filesystem::remove(OnlyEntry() / "files" / "main");
  CompileRun second = Job("A");
  EXPECT_FALSE(cache->Compile(exec, second, spec, {}).cached);
  EXPECT_EQ(compiles, 2);
  EXPECT_EQ(Program(second).substr(0, 6), "bin(A)");
  EXPECT_EQ(cache->stats().corrupted, 1u);
  EXPECT_TRUE(cache->Compile(exec, Job("A"), spec, {}).cached);
}

TEST_F(CompileCacheTest, BrokenManifestIsRecompiled) {
  ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 1 << 20));
  cache->Compile(exec, Job("A"), spec, {});
  ASSERT_OK(WriteFile(OnlyEntry() / "manifest", "garbage\n"));
  CompileRun second = Job("A");
  EXPECT_FALSE(cache->Compile(exec, second, spec, {}).cached);
  EXPECT_EQ(Program(second).substr(0, 6), "bin(A)");
  EXPECT_EQ(compiles, 2);
}

TEST_F(CompileCacheTest, TwoJobsWithOneSourceAtOnceCompileOnce) {
  ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 1 << 20));
  std::promise<void> entered;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  on_compile = [&] {
    if (compiles == 1) entered.set_value();
    released.wait();
  };
  CompileRun a = Job("same"), b = Job("same");
  CompileOutcome out_a, out_b;
  std::thread ta([&] { out_a = cache->Compile(exec, a, spec, {}); });
  entered.get_future().wait();  // the first compile is running
  std::thread tb([&] { out_b = cache->Compile(exec, b, spec, {}); });
  // Give the second job time to reach the key's lock (were it not taken, it would be compiling
  // now, and `compiles` would end at 2). A slow machine only makes the test weaker, never red.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  release.set_value();
  ta.join();
  tb.join();
  EXPECT_EQ(compiles, 1);
  EXPECT_EQ(out_a.kind, Kind::kOk);
  EXPECT_EQ(out_b.kind, Kind::kOk);
  EXPECT_NE(out_a.cached, out_b.cached);
  EXPECT_EQ(Program(a), Program(b));
}

TEST_F(CompileCacheTest, RestartRebuildsTheIndexAndSweepsLeftovers) {
  {
    ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 1 << 20));
    cache->Compile(exec, Job("A"), spec, {});
    cache->Compile(exec, Job("B"), spec, {});
    EXPECT_TRUE(cache->Compile(exec, Job("A"), spec, {}).cached);  // A is the most recent
    // A second process on the same dir is refused while this one holds it.
    EXPECT_FALSE(CompileCache::Open(cache_dir, 1 << 20).ok());
  }
  // What a crash leaves: a half-written entry, a half-removed one, an entry with no manifest.
  ASSERT_OK(MakeDirs(cache_dir / ".tmp-abc" / "files"));
  ASSERT_OK(WriteFile(cache_dir / ".tmp-abc" / "files" / "main", "half"));
  ASSERT_OK(MakeDirs(cache_dir / ".trash-def"));
  ASSERT_OK(MakeDirs(cache_dir / std::string(64, 'a') / "files"));
  {
    ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 1 << 20));
    CompileCacheStats s = cache->stats();
    EXPECT_EQ(s.entries, 2u);
    EXPECT_EQ(s.bytes, 200u);
    EXPECT_FALSE(std::filesystem::exists(cache_dir / ".tmp-abc"));
    EXPECT_FALSE(std::filesystem::exists(cache_dir / ".trash-def"));
    EXPECT_FALSE(std::filesystem::exists(cache_dir / std::string(64, 'a')));
    EXPECT_TRUE(cache->Compile(exec, Job("A"), spec, {}).cached);
    EXPECT_TRUE(cache->Compile(exec, Job("B"), spec, {}).cached);
    EXPECT_TRUE(cache->Compile(exec, Job("A"), spec, {}).cached);  // A most recent again
    EXPECT_EQ(compiles, 2);
  }
  // Reopened smaller: the least recently used (B, by the manifests' times) goes first.
  ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 150));
  EXPECT_EQ(cache->stats().entries, 1u);
  EXPECT_TRUE(cache->Compile(exec, Job("A"), spec, {}).cached);
  EXPECT_FALSE(cache->Compile(exec, Job("B"), spec, {}).cached);
}

TEST_F(CompileCacheTest, ManifestRoundTrip) {
  ASSERT_OK(MakeDirs(tmp.path() / "from" / "__pycache__"));
  ASSERT_OK(WriteFile(tmp.path() / "from" / "__pycache__" / "a b.pyc", "xyz"));
  ASSERT_OK(WriteFile(tmp.path() / "from" / "main", "12345"));
  ASSERT_OK_AND_ASSIGN(
      EntryManifest written,
      WriteEntry(tmp.path() / "from", {"__pycache__/a b.pyc", "main"}, tmp.path() / "entry", 1000));
  EXPECT_EQ(written.bytes, 8u);
  ASSERT_OK_AND_ASSIGN(EntryManifest read, ReadManifest(tmp.path() / "entry"));
  ASSERT_EQ(read.files.size(), 2u);
  EXPECT_EQ(read.files[0].name, "__pycache__/a b.pyc");
  EXPECT_EQ(read.files[1].size, 5u);
  EXPECT_EQ(read.files[1].sha256, written.files[1].sha256);
  ASSERT_OK(MakeDirs(tmp.path() / "to"));
  ASSERT_OK(PlaceEntry(tmp.path() / "entry", read, tmp.path() / "to"));
  EXPECT_EQ(ReadFilePrefix(tmp.path() / "to" / "__pycache__" / "a b.pyc", 10), "xyz");
  // A name already there: nothing placed, nothing left behind.
  ASSERT_OK(MakeDirs(tmp.path() / "busy"));
  ASSERT_OK(WriteFile(tmp.path() / "busy" / "main", "mine"));
  EXPECT_FALSE(PlaceEntry(tmp.path() / "entry", read, tmp.path() / "busy").ok());
  EXPECT_FALSE(std::filesystem::exists(tmp.path() / "busy" / "__pycache__"));
  EXPECT_EQ(ReadFilePrefix(tmp.path() / "busy" / "main", 10), "mine");
  // Names the manifest cannot hold, or that leave the dir, are refused.
  EXPECT_FALSE(WriteEntry(tmp.path() / "from", {"../x"}, tmp.path() / "e2", 1000).ok());
}

// Through the judge pipeline: a rejudge of the same submission runs only the cases.
TEST_F(CompileCacheTest, JudgePipelineRejudgeSkipsTheCompile) {
  std::filesystem::path testdata = tmp.path() / "testdata";
  ASSERT_OK(MakeDirs(testdata));
  ASSERT_OK(WriteFile(testdata / "0000.in", "1 2\n"));
  ASSERT_OK(WriteFile(testdata / "0000.out", "3\n"));
  std::atomic<int> gpp{0};
  FakeExecutor pipeline_exec([&](const sandbox::RunRequest& r) {
    if (r.argv[0] == "g++") {
      ++gpp;
      EXPECT_OK(WriteFile(std::filesystem::path(r.collect_dir) / "main", "binary"));
      return Ok();
    }
    // The "program" is there for every case, compiled or placed from the cache.
    EXPECT_EQ(ReadFilePrefix(std::filesystem::path(r.box_dir) / "main", 100), "binary");
    EXPECT_OK(WriteFile(r.stdout_path, "3\n"));
    return Ok();
  });
  LanguageTable languages = LanguageTable::BuiltIn();
  ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 1 << 20));
  JudgePipeline pipeline(pipeline_exec, languages, JudgeLimits{}, nullptr, cache.get());
  for (int round = 0; round < 3; ++round) {
    std::filesystem::path work = tmp.path() / ("work" + std::to_string(round));
    ASSERT_OK(MakeDirs(work));
    JudgeInput input{.language = api::Language::kCpp,
                     .tasks = {{.score = 100,
                                .case_count = 1,
                                .memory_limit_kib = 65536,
                                .time_limit_ms = 1000}},
                     .source = "int main(){}",
                     .testdata_dir = testdata,
                     .work_dir = work,
                     .box_id = 7};
    ASSERT_OK_AND_ASSIGN(api::ReportedCases cases, pipeline.Judge(input, {}));
    ASSERT_EQ(cases.size(), 1u);
    EXPECT_EQ(cases[0][0].status, api::Verdict::kAC);
  }
  EXPECT_EQ(gpp, 1);
  EXPECT_EQ(cache->stats().hits, 2u);
}

// A new testdata version with the same checker: the tool cache's compile is a hit.
TEST_F(CompileCacheTest, CheckerOfANewTestdataVersionIsNotCompiledAgain) {
  std::atomic<int> gpp{0};
  FakeExecutor tool_exec([&](const sandbox::RunRequest& r) {
    ++gpp;
    EXPECT_OK(WriteFile(std::filesystem::path(r.collect_dir) / "main", "checker binary"));
    return Ok();
  });
  LanguageTable languages = LanguageTable::BuiltIn();
  ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 1 << 20));
  ToolCache tools(tool_exec, languages, CompileLimits{}, 1024, 1 << 20, cache.get());
  for (const char* version : {"v1", "v2"}) {
    std::filesystem::path testdata = tmp.path() / version;
    ASSERT_OK(MakeDirs(testdata / "checker"));
    ASSERT_OK(WriteFile(testdata / "checker" / "checker.cpp", "int main(){return 0;}"));
    ASSERT_OK(WriteFile(testdata / "checker" / "testlib.h", "// testlib"));
    ASSERT_OK_AND_ASSIGN(ToolBuild build, tools.Get(testdata, "checker", 9, {}));
    ASSERT_TRUE(build.tool.has_value()) << build.failure;
    EXPECT_EQ(ReadFilePrefix(build.tool->dir / "main", 100), "checker binary");
  }
  EXPECT_EQ(gpp, 1);
  EXPECT_EQ(cache->stats().hits, 1u);
}

TEST_F(CompileCacheTest, CountsInTheRunnersMetrics) {
  RunnerMetrics metrics;
  ASSERT_OK_AND_ASSIGN(auto cache, CompileCache::Open(cache_dir, 150, &metrics));
  cache->Compile(exec, Job("A"), spec, {});
  cache->Compile(exec, Job("A"), spec, {});
  cache->Compile(exec, Job("B"), spec, {});  // 200 bytes: A evicted
  std::string text = metrics.Render();
  EXPECT_THAT(text, ::testing::HasSubstr("noj_runner_compile_cache_total{event=\"hit\"} 1"));
  EXPECT_THAT(text, ::testing::HasSubstr("noj_runner_compile_cache_total{event=\"miss\"} 2"));
  EXPECT_THAT(text, ::testing::HasSubstr("noj_runner_compile_cache_total{event=\"evicted\"} 1"));
  EXPECT_THAT(text, ::testing::HasSubstr("noj_runner_compile_cache_bytes 100"));
}

// --compile-cache-dir / --compile-cache-mib (and their NOJ_ variables) into RunnerOptions.
TEST(CompileCacheFlags, DefaultsEnvironmentAndPlacement) {
  noj::testing::TempDir bin;
  for (const char* name : {"gcc", "g++", "python3"}) {
    ASSERT_OK(WriteFile(bin.File(name), ""));
    std::filesystem::permissions(bin.File(name), std::filesystem::perms::owner_all);
  }
  setenv("NOJ_COMPILE_CACHE_MIB", "64", 1);
  const char* argv[] = {"noj-runner", "--server",   "http://s:1", "--registration-token",
                        "t",          "--work-dir", "/tmp/w",     "--cache-dir",
                        "/tmp/c"};
  RunnerFlags f;
  EXPECT_EQ(ParseRunnerFlags(9, const_cast<char**>(argv), &f), -1);
  unsetenv("NOJ_COMPILE_CACHE_MIB");
  EXPECT_EQ(f.compile_cache_mib, 64);
  ASSERT_OK_AND_ASSIGN(RunnerOptions o, BuildRunnerOptions(f, bin.path().string()));
  EXPECT_EQ(o.compile_cache_dir, std::filesystem::path("/tmp/c/compiled"));  // survives restarts
  EXPECT_EQ(o.compile_cache_bytes, uint64_t{64} << 20);
  EXPECT_EQ(RunnerFlags{}.compile_cache_mib, 1024);
  f.compile_cache_dir = "/tmp/w/compiled";  // the work dir is emptied at every start
  EXPECT_FALSE(BuildRunnerOptions(f, bin.path().string()).ok());
  f.compile_cache_dir = "/srv/cc";
  ASSERT_OK_AND_ASSIGN(o, BuildRunnerOptions(f, bin.path().string()));
  EXPECT_EQ(o.compile_cache_dir, std::filesystem::path("/srv/cc"));
}

}  // namespace
}  // namespace noj::runner

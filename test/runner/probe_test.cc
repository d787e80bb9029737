#include "runner/probe.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "runner/fs_util.h"
#include "runner/runner.h"
#include "runner/runner_flags.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

void FakeProgram(const noj::testing::TempDir& dir, const std::string& name,
                 const std::string& script) {
  ASSERT_OK(WriteFile(dir.File(name), "#!/bin/sh\n" + script));
  std::filesystem::permissions(dir.File(name), std::filesystem::perms::owner_all);
}

TEST(Probe, ListsEveryLanguageAvailableOrMissingWithItsVersion) {
  noj::testing::TempDir bin;
  for (const char* p : {"gcc", "g++", "python3", "java"}) FakeProgram(bin, p, "exit 0\n");
  LanguageTable t = LanguageTable::BuiltIn();
  ASSERT_OK(t.Add({.code = 5,
                   .key = "java",
                   .name = "Java 17",
                   .source = "Main.java",
                   .compile = {"javac", "Main.java"},
                   .run = {"java", "Main"},
                   .version = {"java", "-version"}}));
  ASSERT_OK(t.Add({.code = 6, .key = "rust", .source = "main.rs", .run = {"./main"}}));
  std::vector<std::vector<std::string>> asked;
  auto version = [&](const std::vector<std::string>& argv) {
    asked.push_back(argv);
    return "v-" + argv.front().substr(argv.front().rfind('/') + 1);
  };
  const std::string path = bin.path().string();
  std::vector<ProbeLine> lines = ProbeLanguages(t, path, version);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0].key, "c");
  EXPECT_EQ(lines[0].name, "C");
  EXPECT_EQ(lines[0].version, "v-gcc");
  EXPECT_EQ(lines[3].code, 5);
  EXPECT_EQ(lines[3].missing, "javac");  // a missing compiler: no version asked
  EXPECT_EQ(lines[3].version, "");
  EXPECT_EQ(lines[4].code, 6);
  EXPECT_EQ(lines[4].missing, "");  // runs ./main, compiles nothing: available
  EXPECT_EQ(lines[4].version, "");  // no version argv
  // Version commands run with argv[0] resolved in the PATH.
  ASSERT_EQ(asked.size(), 3u);
  EXPECT_THAT(asked[1], ElementsAre(bin.File("g++"), "--version"));

  EXPECT_EQ(FormatProbeLine(lines[1], path),
            "  1  cpp          C++                    available  v-g++");
  EXPECT_EQ(FormatProbeLine(lines[3], path),
            "  5  java         Java 17                missing    javac not found in " + path);
  EXPECT_EQ(FormatProbeLine(lines[4], path), "  6  rust         rust                   available");
}

TEST(Probe, TheBareVersionCommandReadsTheFirstLineOfStdoutElseStderr) {
  noj::testing::TempDir bin;
  FakeProgram(bin, "out", "echo\necho 'tool 1.2.3  '\necho second\n");
  FakeProgram(bin, "err", "echo 'openjdk version \"17\"' >&2\necho more >&2\n");
  FakeProgram(bin, "silent", "exit 3\n");
  FakeProgram(bin, "slow", "exec sleep 30\n");
  VersionCommand run = BareVersionCommand(std::chrono::milliseconds(300));
  EXPECT_EQ(run({bin.File("out")}), "tool 1.2.3");
  EXPECT_EQ(run({bin.File("err"), "-version"}), "openjdk version \"17\"");
  EXPECT_EQ(run({bin.File("silent")}), "");
  EXPECT_THAT(run({bin.File("slow")}), StartsWith("(version: "));
  EXPECT_THAT(run({bin.File("absent")}), StartsWith("(version: "));
}

// --probe needs no server; without it --server stays required.
TEST(Probe, TheFlagNeedsNoServer) {
  unsetenv("NOJ_SERVER");
  const char* probe[] = {"noj-runner", "--probe", "--languages", "/etc/noj/langs.toml"};
  RunnerFlags f;
  EXPECT_EQ(ParseRunnerFlags(4, const_cast<char**>(probe), &f), -1);
  EXPECT_TRUE(f.probe);
  EXPECT_EQ(f.languages_file, "/etc/noj/langs.toml");
  const char* bare[] = {"noj-runner", "--languages", "/etc/noj/langs.toml"};
  RunnerFlags g;
  EXPECT_EQ(ParseRunnerFlags(3, const_cast<char**>(bare), &g), kExitFailure);
}

// The table --probe shows: the built-ins and the file's entries, before any is dropped.
TEST(Probe, LoadLanguageTableAppliesTheFile) {
  noj::testing::TempDir dir;
  ASSERT_OK(
      WriteFile(dir.File("l.toml"), "[go]\ncode = 7\nsource = \"main.go\"\nrun = [\"./main\"]\n"));
  RunnerFlags f;
  f.languages_file = dir.File("l.toml");
  ASSERT_OK_AND_ASSIGN(LanguageTable t, LoadLanguageTable(f));
  EXPECT_EQ(t.Codes(), (std::vector<int>{0, 1, 2, 7}));
  ASSERT_OK(WriteFile(dir.File("l.toml"), "[go]\ncode = 3\n"));
  EXPECT_FALSE(LoadLanguageTable(f).ok());
}

}  // namespace
}  // namespace noj::runner

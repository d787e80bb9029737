#include "runner/runner_flags.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "runner/fs_util.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using noj::testing::StatusIs;

TEST(ParseSize, Units) {
  EXPECT_EQ(ParseSize("65536").value_or(-1), 65536);
  EXPECT_EQ(ParseSize("64K").value_or(-1), 65536);
  EXPECT_EQ(ParseSize("64KiB").value_or(-1), 65536);
  EXPECT_EQ(ParseSize("64MiB").value_or(-1), int64_t{64} << 20);
  EXPECT_EQ(ParseSize(" 1G ").value_or(-1), int64_t{1} << 30);
  EXPECT_THAT(ParseSize("64Q"), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseSize("MiB"), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseSize("-5"), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(ParseSize("99999999999999G"), StatusIs(ErrorCode::kInvalidArgument));
}

TEST(RegistrationTokenFile, ReadsNojdSecretsJson) {
  noj::testing::TempDir tmp;
  ASSERT_OK(WriteFile(tmp.File("secrets.json"),
                      R"({"registration_token":"reg-123","api_token":"api-456"})"));
  EXPECT_EQ(ReadRegistrationTokenFile(tmp.File("secrets.json")).value_or(""), "reg-123");
}

TEST(RegistrationTokenFile, ReadsPlainText) {
  noj::testing::TempDir tmp;
  ASSERT_OK(WriteFile(tmp.File("token"), "  plain-token\n"));
  EXPECT_EQ(ReadRegistrationTokenFile(tmp.File("token")).value_or(""), "plain-token");
}

TEST(RegistrationTokenFile, Errors) {
  noj::testing::TempDir tmp;
  ASSERT_OK(WriteFile(tmp.File("other.json"), R"({"api_token":"x"})"));
  ASSERT_OK(WriteFile(tmp.File("empty"), "\n"));
  EXPECT_FALSE(ReadRegistrationTokenFile(tmp.File("other.json")).ok());
  EXPECT_FALSE(ReadRegistrationTokenFile(tmp.File("empty")).ok());
  EXPECT_FALSE(ReadRegistrationTokenFile(tmp.File("absent")).ok());
}

RunnerFlags Flags() {
  RunnerFlags f;
  f.server = "http://127.0.0.1:1";
  f.registration_token = "t";
  f.work_dir = "/tmp/w";
  f.cache_dir = "/tmp/c";
  return f;
}

TEST(BuildRunnerOptions, TurnsFlagsIntoOptions) {
  // The built-in compilers as empty executables of our own: the host's are not needed here.
  noj::testing::TempDir bin;
  for (const char* name : {"gcc", "g++", "python3"}) {
    ASSERT_OK(WriteFile(bin.File(name), ""));
    std::filesystem::permissions(bin.File(name), std::filesystem::perms::owner_all);
  }
  RunnerFlags f = Flags();
  f.output_limit = "1M";
  f.report_limit = "1K";
  f.max_processes = 8;
  f.drain_timeout_sec = 5;
  std::string path = "/nonexistent:" + bin.path().string();
  ASSERT_OK_AND_ASSIGN(RunnerOptions o, BuildRunnerOptions(f, path));
  EXPECT_EQ(o.registration_token, "t");
  EXPECT_EQ(o.limits.output_limit_bytes, 1 << 20);
  EXPECT_EQ(o.limits.report_bytes, 1024u);
  EXPECT_EQ(o.limits.max_processes, 8);
  EXPECT_EQ(o.drain_timeout, std::chrono::seconds(5));
  EXPECT_EQ(o.languages.Find(api::Language::kCpp)->compile[0], bin.File("g++"));  // resolved
  // Declared at registration: the table's languages, every feature unless narrowed.
  EXPECT_EQ(o.languages.Codes(), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(o.features, api::kAllFeatures);
  f.features = "checker";
  ASSERT_OK_AND_ASSIGN(RunnerOptions narrowed, BuildRunnerOptions(f, path));
  EXPECT_EQ(narrowed.features, api::kFeatureChecker);
  f.features = "checker,magic";
  EXPECT_THAT(BuildRunnerOptions(f, path), StatusIs(ErrorCode::kInvalidArgument));
}

TEST(BuildRunnerOptions, CheckerLimits) {
  noj::testing::TempDir bin;
  for (const char* name : {"gcc", "g++", "python3"}) {
    ASSERT_OK(WriteFile(bin.File(name), ""));
    std::filesystem::permissions(bin.File(name), std::filesystem::perms::owner_all);
  }
  RunnerFlags f = Flags();
  ASSERT_OK_AND_ASSIGN(RunnerOptions defaults, BuildRunnerOptions(f, bin.path().string()));
  EXPECT_EQ(defaults.limits.checker.cpu_ms, 10000);        // judging.md §3
  EXPECT_EQ(defaults.limits.checker.memory_kib, 1 << 20);  // 1 GiB
  EXPECT_EQ(defaults.limits.checker.max_processes, 64);
  f.checker_time_limit_ms = 2500;
  f.checker_memory_limit = "512M";
  f.checker_max_processes = 8;
  ASSERT_OK_AND_ASSIGN(RunnerOptions o, BuildRunnerOptions(f, bin.path().string()));
  EXPECT_EQ(o.limits.checker.cpu_ms, 2500);
  EXPECT_EQ(o.limits.checker.memory_kib, 512 * 1024);
  EXPECT_EQ(o.limits.checker.max_processes, 8);
  f.checker_memory_limit = "1M";  // below what any checker needs
  EXPECT_THAT(BuildRunnerOptions(f, bin.path().string()), StatusIs(ErrorCode::kInvalidArgument));
}

TEST(BuildRunnerOptions, TokenRules) {
  RunnerFlags f = Flags();
  f.registration_token.clear();
  EXPECT_THAT(BuildRunnerOptions(f, "/usr/bin"), StatusIs(ErrorCode::kInvalidArgument));
  f.registration_token = "a";
  f.registration_token_file = "/x";
  EXPECT_THAT(BuildRunnerOptions(f, "/usr/bin"), StatusIs(ErrorCode::kInvalidArgument));
}

TEST(BuildRunnerOptions, RejectsBadServerAndOverlappingDirs) {
  RunnerFlags f = Flags();
  f.server = "ftp://x";
  EXPECT_THAT(BuildRunnerOptions(f, "/usr/bin"), StatusIs(ErrorCode::kInvalidArgument));
  f = Flags();
  f.cache_dir = "/tmp/w/cache";
  EXPECT_THAT(BuildRunnerOptions(f, "/usr/bin"), StatusIs(ErrorCode::kInvalidArgument));
  f.cache_dir = "/tmp/w";
  EXPECT_THAT(BuildRunnerOptions(f, "/usr/bin"), StatusIs(ErrorCode::kInvalidArgument));
}

TEST(ParseRunnerFlags, FlagsAndEnvironment) {
  setenv("NOJ_SLOTS", "3", 1);
  setenv("NOJ_REGISTRATION_TOKEN", "from-env", 1);
  const char* argv[] = {"noj-runner", "--server",
                        "http://s:1", "--name",
                        "judge-9",    "--output-limit",
                        "2M",         "--checker-time-limit",
                        "3000",       "--checker-memory-limit",
                        "256MiB",     "--checker-max-processes",
                        "16"};
  RunnerFlags f;
  EXPECT_EQ(ParseRunnerFlags(13, const_cast<char**>(argv), &f), -1);
  unsetenv("NOJ_SLOTS");
  unsetenv("NOJ_REGISTRATION_TOKEN");
  EXPECT_EQ(f.server, "http://s:1");
  EXPECT_EQ(f.name, "judge-9");
  EXPECT_EQ(f.slots, 3);
  EXPECT_EQ(f.registration_token, "from-env");
  EXPECT_EQ(f.output_limit, "2M");
  EXPECT_EQ(f.drain_timeout_sec, 60);
  EXPECT_EQ(f.checker_time_limit_ms, 3000);
  EXPECT_EQ(f.checker_memory_limit, "256MiB");
  EXPECT_EQ(f.checker_max_processes, 16);
  EXPECT_THAT(DescribeFlags(f), ::testing::HasSubstr("checker_time_limit_ms=3000"));
  EXPECT_THAT(DescribeFlags(f), ::testing::Not(::testing::HasSubstr("from-env")));
}

// judging.md §5: what the runner declares besides its languages; an operator may narrow it.
TEST(ParseFeatures, AllByDefaultFewerOrNone) {
  EXPECT_EQ(RunnerFlags{}.features, "checker,interactive,fileio");
  ASSERT_OK_AND_ASSIGN(uint32_t all, ParseFeatures(RunnerFlags{}.features));
  EXPECT_EQ(all, api::kAllFeatures);
  ASSERT_OK_AND_ASSIGN(uint32_t some, ParseFeatures(" fileio , checker "));
  EXPECT_EQ(some, api::kFeatureChecker | api::kFeatureFileIo);
  ASSERT_OK_AND_ASSIGN(uint32_t none, ParseFeatures("none"));
  EXPECT_EQ(none, 0u);
  ASSERT_OK_AND_ASSIGN(uint32_t empty, ParseFeatures(""));
  EXPECT_EQ(empty, 0u);
  auto bad = ParseFeatures("checker,graders");
  EXPECT_THAT(bad, StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("--features"));
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("graders"));
}

TEST(ParseRunnerFlags, MissingServerFails) {
  const char* argv[] = {"noj-runner"};
  RunnerFlags f;
  ::testing::internal::CaptureStderr();
  ::testing::internal::CaptureStdout();
  EXPECT_EQ(ParseRunnerFlags(1, const_cast<char**>(argv), &f), kExitFailure);
  ::testing::internal::GetCapturedStdout();
  ::testing::internal::GetCapturedStderr();
}

}  // namespace
}  // namespace noj::runner

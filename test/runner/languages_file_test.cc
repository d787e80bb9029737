#include "runner/languages_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "runner/fs_util.h"
#include "runner/runner_flags.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace noj::runner {
namespace {

using noj::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsNull;
using ::testing::NotNull;

TEST(Languages, BuiltInsMatchTheIssue) {
  LanguageTable t = LanguageTable::BuiltIn();
  EXPECT_EQ(t.Codes(), (std::vector<int>{0, 1, 2}));
  EXPECT_THAT(
      t.Find(api::Language::kC)->compile,
      ElementsAre("gcc", "-DONLINE_JUDGE", "-O2", "-std=c11", "-o", "main", "main.c", "-lm"));
  EXPECT_THAT(t.Find(api::Language::kCpp)->compile,
              ElementsAre("g++", "-DONLINE_JUDGE", "-O2", "-std=c++17", "-o", "main", "main.cpp"));
  EXPECT_THAT(t.Find(api::Language::kPython3)->compile,
              ElementsAre("python3", "-m", "py_compile", "main.py"));
  EXPECT_THAT(t.Find(api::Language::kPython3)->run, ElementsAre("python3", "main.py"));
  EXPECT_EQ(t.Find(api::Language::kCpp)->source, "main.cpp");
  EXPECT_EQ(t.Find(api::Language::kCpp)->key, "cpp");
  EXPECT_EQ(t.Find(api::Language::kCpp)->time_factor, 1.0);
  EXPECT_EQ(t.Find(api::Language::kCpp)->extra_memory_kib, 0);
  EXPECT_THAT(t.Find(3), IsNull());
  EXPECT_THAT(t.Find(4), IsNull());
  EXPECT_THAT(t.Find(-1), IsNull());
  EXPECT_THAT(t.Find(1000), IsNull());
}

TEST(Languages, AddRefusesTakenAndReservedCodes) {
  LanguageTable t = LanguageTable::BuiltIn();
  EXPECT_THAT(t.Add({.code = 3, .key = "x", .run = {"x"}}), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(t.Add({.code = 64, .key = "x", .run = {"x"}}), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(t.Add({.code = 1, .key = "x", .run = {"x"}}), StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(t.Add({.code = 4, .key = "cpp", .run = {"x"}}),
              StatusIs(ErrorCode::kInvalidArgument));
  ASSERT_OK(t.Add({.code = 63, .key = "x", .run = {"x"}}));
  EXPECT_EQ(t.Codes(), (std::vector<int>{0, 1, 2, 63}));
}

// An executable file standing in for a compiler or runtime.
void FakeProgram(const noj::testing::TempDir& dir, const std::string& name) {
  ASSERT_OK(WriteFile(dir.File(name), "#!/bin/sh\necho fake\n"));
  std::filesystem::permissions(dir.File(name), std::filesystem::perms::owner_all);
}

TEST(Languages, ResolvesProgramsInPath) {
  LanguageTable t = LanguageTable::BuiltIn();
  t.Find(api::Language::kC)->compile = {"sh", "-c", "true"};
  t.Find(api::Language::kCpp)->compile = {"sh"};
  t.Find(api::Language::kPython3)->compile = {"sh"};
  t.Find(api::Language::kPython3)->run = {"sh"};
  ASSERT_OK(t.ResolvePrograms("/nonexistent:/bin:/usr/bin"));
  EXPECT_EQ(t.Find(api::Language::kC)->compile[0], "/bin/sh");
  EXPECT_EQ(t.Find(api::Language::kC)->run[0], "./main");  // relative to /box: untouched
  t.Find(api::Language::kC)->compile = {"no-such-compiler-xyz"};
  EXPECT_THAT(t.ResolvePrograms("/bin:/usr/bin"), StatusIs(ErrorCode::kNotFound));
  EXPECT_EQ(t.Codes(), (std::vector<int>{0, 1, 2}));  // strict: unchanged on failure
}

TEST(Languages, AMissingCompilerOrRuntimeDropsTheLanguage) {
  noj::testing::TempDir bin;
  for (const char* p : {"gcc", "g++", "python3", "java"}) FakeProgram(bin, p);  // no javac
  LanguageTable t = LanguageTable::BuiltIn();
  ASSERT_OK(t.Add({.code = 5,
                   .key = "java",
                   .source = "Main.java",
                   .compile = {"javac", "Main.java"},
                   .run = {"java", "Main"}}));
  ASSERT_OK(t.Add({.code = 9, .key = "javascript", .source = "main.js", .run = {"node"}}));
  ASSERT_OK(t.Add({.code = 10, .key = "abs", .source = "a", .run = {"/nonexistent/bin/x"}}));
  std::string path = "/nonexistent:" + bin.path().string();
  std::vector<UnavailableLanguage> dropped = t.ResolveAvailable(path);
  ASSERT_EQ(dropped.size(), 3u);
  EXPECT_EQ(dropped[0].code, 5);
  EXPECT_EQ(dropped[0].key, "java");
  EXPECT_EQ(dropped[0].program, "javac");  // the compiler is looked for first
  EXPECT_EQ(dropped[1].program, "node");
  EXPECT_EQ(dropped[2].program, "/nonexistent/bin/x");
  EXPECT_EQ(t.Codes(), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(t.Find(api::Language::kCpp)->compile[0], bin.File("g++"));
}

// The runner's start: the dropped language is logged once and not declared.
TEST(Languages, TheRunnerLogsAnUndeclaredLanguageOnce) {
  noj::testing::TempDir dir;
  for (const char* p : {"gcc", "g++", "python3", "java"}) FakeProgram(dir, p);
  ASSERT_OK(WriteFile(dir.File("langs.toml"), R"([java]
code = 5
source = "Main.java"
compile = ["javac", "Main.java"]
run = ["java", "Main"]
)"));
  RunnerFlags f;
  f.server = "http://127.0.0.1:1";
  f.registration_token = "t";
  f.work_dir = dir.File("w");
  f.cache_dir = dir.File("c");
  f.languages_file = dir.File("langs.toml");
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_st>(log)));
  auto options = BuildRunnerOptions(f, dir.path().string());
  spdlog::set_default_logger(previous);
  ASSERT_OK(options.status());
  EXPECT_EQ(options->languages.Codes(), (std::vector<int>{0, 1, 2}));
  std::string text = log.str();
  const std::string line =
      "language java (5) not declared: javac not found in " + dir.path().string();
  EXPECT_THAT(text, HasSubstr(line));
  EXPECT_EQ(text.find(line), text.rfind(line)) << text;  // once

  // With javac there, it is declared.
  FakeProgram(dir, "javac");
  ASSERT_OK_AND_ASSIGN(RunnerOptions with_java, BuildRunnerOptions(f, dir.path().string()));
  EXPECT_EQ(with_java.languages.Codes(), (std::vector<int>{0, 1, 2, 5}));
  EXPECT_EQ(with_java.languages.Find(5)->compile[0], dir.File("javac"));

  // No language at all: the runner refuses to start.
  EXPECT_THAT(BuildRunnerOptions(f, "/nonexistent"), StatusIs(ErrorCode::kFailedPrecondition));
}

TEST(LanguagesFile, AddsLanguagesWithEveryKey) {
  LanguageTable t = LanguageTable::BuiltIn();
  ASSERT_OK(ApplyLanguagesToml(R"(# judge-1's languages
[java]
code = 5
name = "Java 17"
source = "Main.java"
compile = ["javac", "-encoding", "UTF-8",   # a comment
           "Main.java",]
run = ["java", "-Xmx{memory_mib}m", "-Xss64m", "-cp", ".", "Main"]
time_factor = 2.0
extra_memory_kib = 131072
max_processes = 64
env = ["JAVA_TOOL_OPTIONS=-XX:+UseSerialGC"]
compile_time_limit_ms = 20000
compile_memory_kib = 1048576
compile_max_processes = 32
version = ["java", "-version"]

[rust]
code = 6
source = "main.rs"
run = ["./main"]
time_factor = 3
)",
                               "langs.toml", t));
  EXPECT_EQ(t.Codes(), (std::vector<int>{0, 1, 2, 5, 6}));
  const LanguageSpec* java = t.Find(5);
  ASSERT_THAT(java, NotNull());
  EXPECT_EQ(java->key, "java");
  EXPECT_EQ(java->name, "Java 17");
  EXPECT_EQ(java->source, "Main.java");
  EXPECT_THAT(java->compile, ElementsAre("javac", "-encoding", "UTF-8", "Main.java"));
  EXPECT_THAT(java->run, ElementsAre("java", "-Xmx{memory_mib}m", "-Xss64m", "-cp", ".", "Main"));
  EXPECT_EQ(java->time_factor, 2.0);
  EXPECT_EQ(java->extra_memory_kib, 131072);
  EXPECT_EQ(java->max_processes, 64);
  EXPECT_THAT(java->env, ElementsAre("JAVA_TOOL_OPTIONS=-XX:+UseSerialGC"));
  EXPECT_EQ(java->compile_time_limit_ms, 20000);
  EXPECT_EQ(java->compile_memory_kib, 1048576);
  EXPECT_EQ(java->compile_max_processes, 32);
  EXPECT_THAT(java->version, ElementsAre("java", "-version"));
  EXPECT_EQ(t.FindByName("java"), java);
  // Defaults of what a section leaves out.
  const LanguageSpec* rust = t.Find(6);
  ASSERT_THAT(rust, NotNull());
  EXPECT_EQ(rust->name, "rust");
  EXPECT_TRUE(rust->compile.empty());
  EXPECT_EQ(rust->time_factor, 3.0);  // an integer is a number too
  EXPECT_EQ(rust->extra_memory_kib, 0);
  EXPECT_FALSE(rust->max_processes.has_value());
  EXPECT_FALSE(rust->compile_time_limit_ms.has_value());
  EXPECT_TRUE(rust->env.empty());
  EXPECT_TRUE(rust->version.empty());
}

TEST(LanguagesFile, OverridesTheKeysABuiltInSectionGives) {
  LanguageTable t = LanguageTable::BuiltIn();
  ASSERT_OK(ApplyLanguagesToml(R"([cpp]
compile = ["g++", "-O2", "-std=c++20", "-o", "main", "main.cpp"]
time_factor = 1.5

[python3]
code = 2  # allowed: its own code
compile = []
run = ["pypy3", "main.py"]
)",
                               "f.toml", t));
  EXPECT_THAT(t.Find(api::Language::kCpp)->compile,
              ElementsAre("g++", "-O2", "-std=c++20", "-o", "main", "main.cpp"));
  EXPECT_THAT(t.Find(api::Language::kCpp)->run, ElementsAre("./main"));  // kept
  EXPECT_EQ(t.Find(api::Language::kCpp)->time_factor, 1.5);
  EXPECT_TRUE(t.Find(api::Language::kPython3)->compile.empty());
  EXPECT_THAT(t.Find(api::Language::kPython3)->run, ElementsAre("pypy3", "main.py"));
  EXPECT_EQ(t.Find(api::Language::kC)->compile[0], "gcc");  // untouched
  EXPECT_EQ(t.Codes(), (std::vector<int>{0, 1, 2}));
}

TEST(LanguagesFile, EscapesInBasicStrings) {
  LanguageTable t = LanguageTable::BuiltIn();
  ASSERT_OK(ApplyLanguagesToml("[c]\nrun = [\"./main\", \"a\\\"b\\\\c\\t\"]\n", "f", t));
  EXPECT_THAT(t.Find(api::Language::kC)->run, ElementsAre("./main", "a\"b\\c\t"));
}

struct BadCase {
  const char* text;
  const char* message;  // "f.toml:<line>: <reason>"
};

TEST(LanguagesFile, RejectsBadFilesNamingTheLine) {
  constexpr char kJava[] = "[java]\ncode = 5\nsource = \"Main.java\"\nrun = [\"java\"]\n";
  const std::string dup_code =
      std::string(kJava) + "\n[kotlin]\ncode = 5\nsource = \"a\"\nrun = [\"k\"]\n";
  const BadCase cases[] = {
      // Unknown keys: a typo must not pass silently.
      {"[c]\ncomple = [\"gcc\"]\n", "f.toml:2: unknown key 'comple' in [c]"},
      {"[java]\ncode = 5\nsource = \"M\"\nrun = [\"j\"]\ntimefactor = 2\n",
       "f.toml:5: unknown key 'timefactor' in [java]"},
      // Codes: required, in 4..63, not 3, unique, fixed for the built-ins.
      {"[java]\nsource = \"M\"\nrun = [\"j\"]\n", "f.toml:1: [java] must give 'code'"},
      {"[java]\ncode = 3\nsource = \"M\"\nrun = [\"j\"]\n",
       "f.toml:2: [java] 'code' must be in 4..63"},
      {"[java]\ncode = 64\nsource = \"M\"\nrun = [\"j\"]\n",
       "f.toml:2: [java] 'code' must be in 4..63"},
      {"[java]\ncode = 1\nsource = \"M\"\nrun = [\"j\"]\n",
       "f.toml:2: [java] 'code' must be in 4..63"},
      {"[java]\ncode = \"5\"\nsource = \"M\"\nrun = [\"j\"]\n",
       "f.toml:2: [java] 'code' must be an integer"},
      {dup_code.c_str(), "f.toml:7: [kotlin] code 5 is already used by [java]"},
      {"[cpp]\ncode = 4\n", "f.toml:2: [cpp] is a built-in language: its code is 1"},
      // Required keys and types.
      {"[java]\ncode = 5\nrun = [\"j\"]\n", "f.toml:1: [java] must give 'source'"},
      {"[java]\ncode = 5\nsource = \"M\"\n", "f.toml:1: [java] must give 'run'"},
      {"[c]\nrun = []\n", "f.toml:2: [c] 'run' must not be empty"},
      {"[c]\nrun = \"./main\"\n", "f.toml:2: [c] 'run' must be an array of strings"},
      {"[c]\nrun = [\"./main\",\n  1]\n", "f.toml:3: [c] 'run' must be an array of strings"},
      {"[c]\nrun = [\"\"]\n", "f.toml:2: [c] empty program name in 'run'"},
      {"[c]\nsource = \"a/b.c\"\n", "f.toml:2: [c] 'source' must be a file name"},
      {"[c]\nsource = \"..\"\n", "f.toml:2: [c] 'source' must be a file name"},
      {"[c]\nname = \"\"\n", "f.toml:2: [c] 'name' must hold 1..100 bytes"},
      {"[c]\ntime_factor = 0\n", "f.toml:2: [c] 'time_factor' must be above 0"},
      {"[c]\ntime_factor = nan\n", "f.toml:2: [c] 'time_factor' must be above 0"},
      {"[c]\ntime_factor = \"2\"\n", "f.toml:2: [c] 'time_factor' must be a number"},
      {"[c]\nextra_memory_kib = -1\n", "f.toml:2: [c] 'extra_memory_kib' must be in 0.."},
      {"[c]\nmax_processes = 0\n", "f.toml:2: [c] 'max_processes' must be in 1..4096"},
      {"[c]\ncompile_time_limit_ms = 1.5\n",
       "f.toml:2: [c] 'compile_time_limit_ms' must be an integer"},
      {"[c]\ncompile_memory_kib = 1\n", "f.toml:2: [c] 'compile_memory_kib' must be in"},
      {"[c]\nenv = [\"NOEQUALS\"]\n", "f.toml:2: [c] 'env' entries must be NAME=VALUE"},
      {"[c]\nenv = [\"=x\"]\n", "f.toml:2: [c] 'env' entries must be NAME=VALUE"},
      {"[c]\nenv = [\"A B=x\"]\n", "f.toml:2: [c] 'env' entries must be NAME=VALUE"},
      {"[c]\nrun = [\"a\\u0000b\"]\n", "f.toml:2: [c] NUL byte in 'run'"},
      // Structure.
      {"run = [\"x\"]\n", "f.toml:1: key 'run' outside a [language] section"},
      {"[\"two words\"]\nrun = [\"x\"]\n", "f.toml:1: section name [two words] must be"},
      {"[c.extra]\nrun = [\"x\"]\n", "f.toml:1: unknown key 'extra' in [c]"},
      // Syntax errors come from toml++, with their line.
      {"[c]\nrun = [\"./main\"\n", "f.toml:2: Error while parsing array"},
      {"[c]\nrun = [\"./main]\n", "f.toml:2:"},
      {"[c]\n\n[c]\n", "f.toml:3:"},
      {"[c]\nrun = [\"a\"]\nrun = [\"b\"]\n", "f.toml:3:"},
      {"[c]\nrun [\"a\"]\n", "f.toml:2:"},
  };
  for (const auto& c : cases) {
    LanguageTable t = LanguageTable::BuiltIn();
    Status s = ApplyLanguagesToml(c.text, "f.toml", t);
    EXPECT_THAT(s, StatusIs(ErrorCode::kInvalidArgument)) << c.text;
    EXPECT_THAT(s.message(), HasSubstr(c.message)) << c.text;
    // All or nothing: the table is the built-ins still.
    EXPECT_EQ(t.Codes(), (std::vector<int>{0, 1, 2})) << c.text;
    EXPECT_EQ(t.Find(api::Language::kC)->run, std::vector<std::string>{"./main"}) << c.text;
  }
}

TEST(LanguagesFile, MissingFileIsAnError) {
  LanguageTable t = LanguageTable::BuiltIn();
  EXPECT_FALSE(LoadLanguagesFile("/nonexistent/langs.toml", t).ok());
}

TEST(LanguagesFile, LoadNamesTheFileInErrors) {
  noj::testing::TempDir dir;
  ASSERT_OK(WriteFile(dir.File("bad.toml"), "[c]\n\nrnu = [\"x\"]\n"));
  LanguageTable t = LanguageTable::BuiltIn();
  Status s = LoadLanguagesFile(dir.File("bad.toml"), t);
  EXPECT_THAT(s, StatusIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(s.message(), HasSubstr(dir.File("bad.toml") + ":3: unknown key 'rnu'"));
}

// The file shipped in config/ loads, with the codes of api::BuiltinLanguageName.
TEST(LanguagesFile, TheShippedFileLoads) {
  LanguageTable t = LanguageTable::BuiltIn();
  ASSERT_OK(LoadLanguagesFile(std::string(NOJ_SOURCE_DIR) + "/config/languages.toml", t));
  EXPECT_EQ(t.Codes(), (std::vector<int>{0, 1, 2, 4, 5, 6, 7, 8, 9}));
  for (auto [code, key] : {std::pair{4, "cpp20"}, std::pair{5, "java"}, std::pair{6, "rust"},
                           std::pair{7, "go"}, std::pair{8, "pypy3"}, std::pair{9, "javascript"}}) {
    const LanguageSpec* spec = t.Find(code);
    ASSERT_THAT(spec, NotNull()) << code;
    EXPECT_EQ(spec->key, key);
    EXPECT_FALSE(spec->run.empty());
    EXPECT_FALSE(spec->version.empty()) << key;  // --probe shows every version
  }
}

TEST(Placeholders, AreSubstitutedInEveryArgument) {
  LanguageSpec spec{.code = 5, .key = "java", .source = "Main.java"};
  EXPECT_THAT(ExpandArgv({"java", "-Xmx{memory_mib}m", "-Dk={memory_kib}", "{source}",
                          "a{source}b{source}", "{other}", "{memory_mib"},
                         spec, 262144 + 1023),
              ElementsAre("java", "-Xmx256m", "-Dk=263167", "Main.java", "aMain.javabMain.java",
                          "{other}", "{memory_mib"));
  // The compile argv: extra sources go after the (expanded) source name.
  spec.compile = {"javac", "-J-Xmx{memory_mib}m", "{source}", "-d", "."};
  EXPECT_THAT(CompileArgv(spec, {"Lib.java"}, 1024),
              ElementsAre("javac", "-J-Xmx1m", "Main.java", "Lib.java", "-d", "."));
}

}  // namespace
}  // namespace noj::runner

#include "runner/languages_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "runner/toml_lite.h"
#include "support/status_matchers.h"

namespace noj::runner {
namespace {

using noj::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(Languages, BuiltInsMatchTheIssue) {
  LanguageTable t = LanguageTable::BuiltIn();
  EXPECT_THAT(
      t.Get(api::Language::kC).compile,
      ElementsAre("gcc", "-DONLINE_JUDGE", "-O2", "-std=c11", "-o", "main", "main.c", "-lm"));
  EXPECT_THAT(t.Get(api::Language::kCpp).compile,
              ElementsAre("g++", "-DONLINE_JUDGE", "-O2", "-std=c++17", "-o", "main", "main.cpp"));
  EXPECT_THAT(t.Get(api::Language::kPython3).compile,
              ElementsAre("python3", "-m", "py_compile", "main.py"));
  EXPECT_THAT(t.Get(api::Language::kPython3).run, ElementsAre("python3", "main.py"));
  EXPECT_EQ(t.Get(api::Language::kCpp).source, "main.cpp");
}

TEST(Languages, ResolvesProgramsInPath) {
  LanguageTable t = LanguageTable::BuiltIn();
  t.Mutable(api::Language::kC).compile = {"sh", "-c", "true"};
  t.Mutable(api::Language::kCpp).compile = {"sh"};
  t.Mutable(api::Language::kPython3).compile = {"sh"};
  t.Mutable(api::Language::kPython3).run = {"sh"};
  ASSERT_OK(t.ResolvePrograms("/nonexistent:/bin:/usr/bin"));
  EXPECT_EQ(t.Get(api::Language::kC).compile[0], "/bin/sh");
  EXPECT_EQ(t.Get(api::Language::kC).run[0], "./main");  // relative to /box: untouched
  t.Mutable(api::Language::kC).compile = {"no-such-compiler-xyz"};
  EXPECT_THAT(t.ResolvePrograms("/bin:/usr/bin"), StatusIs(ErrorCode::kNotFound));
}

TEST(LanguagesFile, OverridesCompileAndRun) {
  LanguageTable t = LanguageTable::BuiltIn();
  ASSERT_OK(ApplyLanguagesToml(R"(# judge-1 compilers
[cpp]
compile = ["g++", "-O2", "-std=c++20",   # newer standard
           "-o", "main", "main.cpp",]
run = ['./main']

[python3]
compile = []
run = ["pypy3", "main.py"]  # trailing comment
)",
                               t));
  EXPECT_THAT(t.Get(api::Language::kCpp).compile,
              ElementsAre("g++", "-O2", "-std=c++20", "-o", "main", "main.cpp"));
  EXPECT_THAT(t.Get(api::Language::kCpp).run, ElementsAre("./main"));
  EXPECT_TRUE(t.Get(api::Language::kPython3).compile.empty());
  EXPECT_THAT(t.Get(api::Language::kPython3).run, ElementsAre("pypy3", "main.py"));
  EXPECT_EQ(t.Get(api::Language::kC).compile[0], "gcc");  // untouched
}

TEST(LanguagesFile, EscapesInBasicStrings) {
  LanguageTable t = LanguageTable::BuiltIn();
  ASSERT_OK(ApplyLanguagesToml("[c]\nrun = [\"./main\", \"a\\\"b\\\\c\\t\"]\n", t));
  EXPECT_THAT(t.Get(api::Language::kC).run, ElementsAre("./main", "a\"b\\c\t"));
}

struct BadCase {
  const char* text;
  const char* message;
};

TEST(LanguagesFile, RejectsBadFilesNamingTheLine) {
  const BadCase cases[] = {
      {"[java]\nrun = [\"java\"]\n", "line 2: unknown language [java]"},
      {"[c]\ncomple = [\"gcc\"]\n", "line 2: unknown key 'comple'"},
      {"run = [\"x\"]\n", "line 1: key 'run' outside a [language] section"},
      {"[c]\nrun = []\n", "line 2: 'run' must not be empty"},
      {"[c]\nrun = \"./main\"\n", "must be an array of strings"},
      {"[c]\nrun = [\"./main\"\n", "unterminated array"},
      {"[c]\nrun = [\"./main]\n", "line 2: unterminated string"},
      {"[c]\nrun = [1, 2]\n", "arrays may only hold strings"},
      {"[c\nrun = [\"x\"]\n", "line 1: expected ']'"},
      {"[c]\nrun = [\"a\"] junk\n", "line 2: unexpected text after value"},
      {"[c]\nrun = [\"a\"]\nrun = [\"b\"]\n", "line 3: duplicate key 'run'"},
      {"[c]\n[c]\n", "line 2: duplicate section [c]"},
      {"[c]\nrun [\"a\"]\n", "line 2: expected '='"},
      {"[c]\nrun = [\"\\q\"]\n", "unsupported escape"},
  };
  for (const auto& c : cases) {
    LanguageTable t = LanguageTable::BuiltIn();
    Status s = ApplyLanguagesToml(c.text, t);
    EXPECT_THAT(s, StatusIs(ErrorCode::kInvalidArgument)) << c.text;
    EXPECT_THAT(s.message(), HasSubstr(c.message)) << c.text;
  }
}

TEST(TomlLite, ScalarsAndEmptyInput) {
  ASSERT_OK_AND_ASSIGN(auto none, toml::Parse("\n# only a comment\n\n"));
  EXPECT_TRUE(none.empty());
  ASSERT_OK_AND_ASSIGN(auto e, toml::Parse("a = 1_000\nb = true\nc = 'x'\r\n[s]\nd = -5"));
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(std::get<int64_t>(e[0].value), 1000);
  EXPECT_EQ(std::get<bool>(e[1].value), true);
  EXPECT_EQ(std::get<std::string>(e[2].value), "x");
  EXPECT_EQ(e[3].section, "s");
  EXPECT_EQ(std::get<int64_t>(e[3].value), -5);
  EXPECT_EQ(e[3].line, 5);
}

TEST(LanguagesFile, MissingFileIsAnError) {
  LanguageTable t = LanguageTable::BuiltIn();
  EXPECT_FALSE(LoadLanguagesFile("/nonexistent/langs.toml", t).ok());
}

}  // namespace
}  // namespace noj::runner

#include "runner/languages.h"

#include <unistd.h>

#include <algorithm>

namespace noj::runner {

LanguageTable LanguageTable::BuiltIn() {
  LanguageTable t;
  t.specs_[Index(api::Language::kC)] = {
      .name = "c",
      .source = "main.c",
      .compile = {"gcc", "-DONLINE_JUDGE", "-O2", "-std=c11", "-o", "main", "main.c", "-lm"},
      .run = {"./main"}};
  t.specs_[Index(api::Language::kCpp)] = {
      .name = "cpp",
      .source = "main.cpp",
      .compile = {"g++", "-DONLINE_JUDGE", "-O2", "-std=c++17", "-o", "main", "main.cpp"},
      .run = {"./main"}};
  t.specs_[Index(api::Language::kPython3)] = {.name = "python3",
                                              .source = "main.py",
                                              .compile = {"python3", "-m", "py_compile", "main.py"},
                                              .run = {"python3", "main.py"}};
  return t;
}

LanguageSpec* LanguageTable::FindByName(std::string_view name) {
  for (auto& s : specs_)
    if (s.name == name) return &s;
  return nullptr;
}

std::string_view LinkedSourceExtension(const LanguageSpec& spec) {
  std::string_view source = spec.source;
  if (source.ends_with(".cpp")) return ".cpp";
  if (source.ends_with(".c")) return ".c";
  return "";
}

std::vector<std::string> CompileArgv(const LanguageSpec& spec,
                                     const std::vector<std::string>& extra_sources) {
  std::vector<std::string> argv = spec.compile;
  auto at = std::find(argv.begin(), argv.end(), spec.source);
  at = at == argv.end() ? argv.end() : at + 1;
  argv.insert(at, extra_sources.begin(), extra_sources.end());
  return argv;
}

Result<std::string> FindInPath(std::string_view program, std::string_view path_env) {
  size_t start = 0;
  while (start <= path_env.size()) {
    size_t end = path_env.find(':', start);
    if (end == std::string_view::npos) end = path_env.size();
    std::string_view dir = path_env.substr(start, end - start);
    if (!dir.empty() && dir.front() == '/') {
      std::string candidate = std::string(dir) + "/" + std::string(program);
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    start = end + 1;
  }
  return NotFoundError("program '" + std::string(program) + "' not found in PATH");
}

Status LanguageTable::ResolvePrograms(std::string_view path_env) {
  for (auto& spec : specs_) {
    for (auto* argv : {&spec.compile, &spec.run}) {
      if (argv->empty()) continue;
      std::string& prog = argv->front();
      if (prog.find('/') != std::string::npos) continue;  // absolute, or relative to /box
      NOJ_ASSIGN_OR_RETURN(prog, FindInPath(prog, path_env));
    }
  }
  return Status::Ok();
}

}  // namespace noj::runner

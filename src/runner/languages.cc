#include "runner/languages.h"

#include <unistd.h>

#include <algorithm>

#include "api/limits.h"

namespace noj::runner {

LanguageTable LanguageTable::BuiltIn() {
  LanguageTable t;
  // Add cannot fail on these: distinct built-in codes and keys.
  t.Add({.code = static_cast<int>(api::Language::kC),
         .key = "c",
         .name = "C",
         .source = "main.c",
         .compile = {"gcc", "-DONLINE_JUDGE", "-O2", "-std=c11", "-o", "main", "main.c", "-lm"},
         .run = {"./main"},
         .version = {"gcc", "--version"}})
      .IgnoreError();
  t.Add({.code = static_cast<int>(api::Language::kCpp),
         .key = "cpp",
         .name = "C++",
         .source = "main.cpp",
         .compile = {"g++", "-DONLINE_JUDGE", "-O2", "-std=c++17", "-o", "main", "main.cpp"},
         .run = {"./main"},
         .version = {"g++", "--version"}})
      .IgnoreError();
  t.Add({.code = static_cast<int>(api::Language::kPython3),
         .key = "python3",
         .name = "Python 3",
         .source = "main.py",
         .compile = {"python3", "-m", "py_compile", "main.py"},
         .run = {"python3", "main.py"},
         .version = {"python3", "--version"}})
      .IgnoreError();
  return t;
}

const LanguageSpec* LanguageTable::Find(int code) const {
  auto it = specs_.find(code);
  return it == specs_.end() ? nullptr : &it->second;
}

LanguageSpec* LanguageTable::Find(int code) {
  auto it = specs_.find(code);
  return it == specs_.end() ? nullptr : &it->second;
}

const LanguageSpec* LanguageTable::FindByName(std::string_view key) const {
  for (const auto& [code, spec] : specs_)
    if (spec.key == key) return &spec;
  return nullptr;
}

LanguageSpec* LanguageTable::FindByName(std::string_view key) {
  for (auto& [code, spec] : specs_)
    if (spec.key == key) return &spec;
  return nullptr;
}

Status LanguageTable::Add(LanguageSpec spec) {
  if (!api::IsValidLanguage(spec.code))
    return InvalidArgumentError("language code " + std::to_string(spec.code) + " is not in 0.." +
                                std::to_string(api::kMaxLanguageCode) + " or is 3 (reserved)");
  if (const LanguageSpec* other = Find(spec.code))
    return InvalidArgumentError("language code " + std::to_string(spec.code) + " is taken by [" +
                                other->key + "]");
  if (FindByName(spec.key) != nullptr)
    return InvalidArgumentError("language [" + spec.key + "] is defined twice");
  if (spec.name.empty()) spec.name = spec.key;
  int code = spec.code;
  specs_.emplace(code, std::move(spec));
  return Status::Ok();
}

std::vector<int> LanguageTable::Codes() const {
  std::vector<int> codes;
  for (const auto& [code, spec] : specs_) codes.push_back(code);
  return codes;
}

namespace {

// argv[0] as the sandbox will execve() it, or why it cannot be had.
Result<std::string> ResolveProgram(const std::string& program, std::string_view path_env) {
  if (program.find('/') == std::string::npos) return FindInPath(program, path_env);
  if (program.front() != '/') return program;  // relative to /box: made by the compile
  if (::access(program.c_str(), X_OK) != 0)
    return NotFoundError("program '" + program + "' not found");
  return program;
}

}  // namespace

std::optional<std::string> MissingProgram(const LanguageSpec& spec, std::string_view path_env) {
  for (const auto* argv : {&spec.compile, &spec.run})
    if (!argv->empty() && !ResolveProgram(argv->front(), path_env).ok()) return argv->front();
  return std::nullopt;
}

std::vector<UnavailableLanguage> LanguageTable::ResolveAvailable(std::string_view path_env) {
  std::vector<UnavailableLanguage> dropped;
  for (auto it = specs_.begin(); it != specs_.end();) {
    LanguageSpec& spec = it->second;
    if (auto missing = MissingProgram(spec, path_env)) {
      dropped.push_back({spec.code, spec.key, *missing});
      it = specs_.erase(it);
      continue;
    }
    for (auto* argv : {&spec.compile, &spec.run})
      if (!argv->empty()) argv->front() = *ResolveProgram(argv->front(), path_env);
    ++it;
  }
  return dropped;
}

Status LanguageTable::ResolvePrograms(std::string_view path_env) {
  LanguageTable resolved = *this;
  std::vector<UnavailableLanguage> dropped = resolved.ResolveAvailable(path_env);
  if (!dropped.empty())
    return NotFoundError("program '" + dropped.front().program + "' of language [" +
                         dropped.front().key + "] not found in PATH");
  *this = std::move(resolved);
  return Status::Ok();
}

std::string_view LinkedSourceExtension(const LanguageSpec& spec) {
  std::string_view source = spec.source;
  if (source.ends_with(".cpp")) return ".cpp";
  if (source.ends_with(".c")) return ".c";
  return "";
}

namespace {

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

}  // namespace

std::vector<std::string> ExpandArgv(const std::vector<std::string>& argv, const LanguageSpec& spec,
                                    int64_t memory_kib) {
  std::vector<std::string> out = argv;
  const std::string kib = std::to_string(memory_kib), mib = std::to_string(memory_kib / 1024);
  for (std::string& arg : out) {
    if (arg.find('{') == std::string::npos) continue;
    ReplaceAll(arg, "{memory_kib}", kib);
    ReplaceAll(arg, "{memory_mib}", mib);
    ReplaceAll(arg, "{source}", spec.source);
  }
  return out;
}

std::vector<std::string> CompileArgv(const LanguageSpec& spec,
                                     const std::vector<std::string>& extra_sources,
                                     int64_t memory_kib) {
  std::vector<std::string> argv = ExpandArgv(spec.compile, spec, memory_kib);
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

}  // namespace noj::runner

#include "runner/languages_file.h"

#include <toml++/toml.h>

#include <cctype>
#include <cmath>

#include "api/limits.h"
#include "runner/fs_util.h"

namespace noj::runner {
namespace {

constexpr char kKnownKeys[] =
    "code, name, source, compile, run, time_factor, extra_memory_kib, max_processes, env, "
    "compile_time_limit_ms, compile_memory_kib, compile_max_processes, version";

// Errors carry their line; the file name is put in front once, by the caller.
Status LineError(const toml::source_region& where, const std::string& what) {
  return InvalidArgumentError(std::to_string(where.begin.line) + ": " + what);
}

// One section's values, checked one key at a time against the entry they change.
class SectionReader {
 public:
  SectionReader(std::string section, LanguageSpec& spec) : section_(std::move(section)), s_(spec) {}

  Status Apply(const toml::key& key, const toml::node& value, bool builtin) {
    const std::string k(key.str());
    where_ = value.source();
    if (k == "code") return Code(value, builtin);
    if (k == "name") return String(value, k, 100, s_.name);
    if (k == "source") return Source(value);
    if (k == "compile") return Argv(value, k, /*may_be_empty=*/true, s_.compile);
    if (k == "run") return Argv(value, k, false, s_.run);
    if (k == "version") return Argv(value, k, false, s_.version);
    if (k == "env") return Env(value);
    if (k == "time_factor") return TimeFactor(value);
    if (k == "extra_memory_kib") return Int(value, k, 0, int64_t{64} << 20, s_.extra_memory_kib);
    if (k == "max_processes") return Optional(value, k, 1, 4096, s_.max_processes);
    if (k == "compile_time_limit_ms")
      return Optional(value, k, 1, 600000, s_.compile_time_limit_ms);
    if (k == "compile_memory_kib")
      return Optional(value, k, 16 * 1024, int64_t{64} << 20, s_.compile_memory_kib);
    if (k == "compile_max_processes") return Optional(value, k, 1, 4096, s_.compile_max_processes);
    return LineError(key.source(),
                     "unknown key '" + k + "' in [" + section_ + "] (known: " + kKnownKeys + ")");
  }

 private:
  Status Error(const std::string& what) const {
    return LineError(where_, "[" + section_ + "] " + what);
  }

  Status Code(const toml::node& value, bool builtin) {
    auto code = value.value_exact<int64_t>();
    if (!code) return Error("'code' must be an integer");
    if (builtin) {
      if (*code != s_.code)
        return Error("is a built-in language: its code is " + std::to_string(s_.code));
      return Status::Ok();
    }
    if (*code < 4 || *code > api::kMaxLanguageCode)
      return Error("'code' must be in 4.." + std::to_string(api::kMaxLanguageCode) +
                   " (0, 1, 2 are the built-in c, cpp, python3; 3 is reserved)");
    s_.code = static_cast<int>(*code);
    return Status::Ok();
  }

  Status String(const toml::node& value, const std::string& key, size_t max, std::string& out) {
    auto text = value.value_exact<std::string>();
    if (!text) return Error("'" + key + "' must be a string");
    if (text->empty() || text->size() > max)
      return Error("'" + key + "' must hold 1.." + std::to_string(max) + " bytes");
    if (text->find('\0') != std::string::npos) return Error("NUL byte in '" + key + "'");
    out = std::move(*text);
    return Status::Ok();
  }

  Status Source(const toml::node& value) {
    std::string name;
    NOJ_RETURN_IF_ERROR(String(value, "source", 255, name));
    if (name.find('/') != std::string::npos || name == "." || name == "..")
      return Error("'source' must be a file name (no '/')");
    s_.source = std::move(name);
    return Status::Ok();
  }

  Status Argv(const toml::node& value, const std::string& key, bool may_be_empty,
              std::vector<std::string>& out) {
    const toml::array* array = value.as_array();
    if (array == nullptr) return Error("'" + key + "' must be an array of strings");
    std::vector<std::string> argv;
    for (const toml::node& item : *array) {
      auto arg = item.value_exact<std::string>();
      where_ = item.source();
      if (!arg) return Error("'" + key + "' must be an array of strings");
      if (arg->find('\0') != std::string::npos) return Error("NUL byte in '" + key + "'");
      argv.push_back(std::move(*arg));
    }
    where_ = value.source();
    if (argv.empty() && !may_be_empty) return Error("'" + key + "' must not be empty");
    if (!argv.empty() && argv.front().empty()) return Error("empty program name in '" + key + "'");
    out = std::move(argv);
    return Status::Ok();
  }

  Status Env(const toml::node& value) {
    std::vector<std::string> env;
    NOJ_RETURN_IF_ERROR(Argv(value, "env", true, env));
    for (const std::string& kv : env) {
      size_t eq = kv.find('=');
      bool ok = eq != std::string::npos && eq > 0 &&
                !std::isdigit(static_cast<unsigned char>(kv.front()));
      for (size_t i = 0; ok && i < eq; ++i)
        ok = std::isalnum(static_cast<unsigned char>(kv[i])) || kv[i] == '_';
      if (!ok) return Error("'env' entries must be NAME=VALUE, got \"" + kv + "\"");
    }
    s_.env = std::move(env);
    return Status::Ok();
  }

  Status TimeFactor(const toml::node& value) {
    std::optional<double> factor;
    if (auto f = value.value_exact<double>()) factor = *f;
    if (auto i = value.value_exact<int64_t>()) factor = static_cast<double>(*i);
    if (!factor) return Error("'time_factor' must be a number");
    if (!std::isfinite(*factor) || *factor <= 0 || *factor > 100)
      return Error("'time_factor' must be above 0 and at most 100");
    s_.time_factor = *factor;
    return Status::Ok();
  }

  Status Int(const toml::node& value, const std::string& key, int64_t min, int64_t max,
             int64_t& out) {
    auto n = value.value_exact<int64_t>();
    if (!n) return Error("'" + key + "' must be an integer");
    if (*n < min || *n > max)
      return Error("'" + key + "' must be in " + std::to_string(min) + ".." + std::to_string(max));
    out = *n;
    return Status::Ok();
  }

  Status Optional(const toml::node& value, const std::string& key, int64_t min, int64_t max,
                  std::optional<int64_t>& out) {
    int64_t n = 0;
    NOJ_RETURN_IF_ERROR(Int(value, key, min, max, n));
    out = n;
    return Status::Ok();
  }

  const std::string section_;
  LanguageSpec& s_;
  toml::source_region where_;  // of the value being read
};

bool IsBareName(std::string_view name) {
  if (name.empty() || name.size() > 32) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  return true;
}

// One [section]: an override of a built-in, or a new language added to `table`.
Status ApplySection(const toml::key& key, const toml::table& section, LanguageTable& table) {
  const std::string name(key.str());
  if (!IsBareName(name))
    return LineError(key.source(),
                     "section name [" + name + "] must be 1..32 letters, digits, '_' or '-'");
  LanguageSpec* builtin = nullptr;
  if (LanguageSpec* existing = table.FindByName(name)) {
    if (!api::IsBuiltinLanguage(existing->code))
      return LineError(key.source(), "language [" + name + "] is defined twice");
    builtin = existing;
  }
  LanguageSpec spec = builtin ? *builtin : LanguageSpec{.key = name, .name = name};
  SectionReader reader(name, spec);
  for (const auto& [k, v] : section) NOJ_RETURN_IF_ERROR(reader.Apply(k, v, builtin != nullptr));
  if (builtin) {
    *builtin = std::move(spec);
    return Status::Ok();
  }
  for (const char* required : {"code", "source", "run"})
    if (!section.contains(required))
      return LineError(key.source(), "[" + name + "] must give '" + required + "'");
  if (const LanguageSpec* other = table.Find(spec.code))
    return LineError(section.get("code")->source(), "[" + name + "] code " +
                                                        std::to_string(spec.code) +
                                                        " is already used by [" + other->key + "]");
  return table.Add(std::move(spec));
}

Status ApplyDocument(const toml::table& doc, LanguageTable& table) {
  for (const auto& [key, node] : doc) {
    const toml::table* section = node.as_table();
    if (section == nullptr)
      return LineError(key.source(), "key '" + std::string(key.str()) +
                                         "' outside a [language] section (or not a table)");
    NOJ_RETURN_IF_ERROR(ApplySection(key, *section, table));
  }
  return Status::Ok();
}

}  // namespace

Status ApplyLanguagesToml(std::string_view text, std::string_view file, LanguageTable& table) {
  toml::table doc;
  try {  // toml++ reports syntax errors by exception: kept inside this function
    doc = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    return InvalidArgumentError(std::string(file) + ":" + std::to_string(e.source().begin.line) +
                                ": " + std::string(e.description()));
  }
  LanguageTable changed = table;
  Status s = ApplyDocument(doc, changed);
  if (!s.ok()) return InvalidArgumentError(std::string(file) + ":" + s.message());
  table = std::move(changed);
  return Status::Ok();
}

Status LoadLanguagesFile(const std::string& path, LanguageTable& table) {
  auto text = ReadFile(path, 1 << 20);
  if (!text.ok()) return Status(text.status().code(), "--languages " + text.status().message());
  return ApplyLanguagesToml(*text, path, table);
}

}  // namespace noj::runner

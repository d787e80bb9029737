#include "runner/languages_file.h"

#include "runner/fs_util.h"
#include "runner/toml_lite.h"

namespace noj::runner {
namespace {

Status EntryError(const toml::Entry& e, const std::string& what) {
  return InvalidArgumentError("line " + std::to_string(e.line) + ": " + what);
}

Status ApplyEntry(const toml::Entry& e, LanguageSpec& spec) {
  const auto* argv = std::get_if<std::vector<std::string>>(&e.value);
  if (e.key != "compile" && e.key != "run")
    return EntryError(e, "unknown key '" + e.key + "' (expected compile or run)");
  if (argv == nullptr) return EntryError(e, "'" + e.key + "' must be an array of strings");
  for (const auto& arg : *argv)
    if (arg.find('\0') != std::string::npos) return EntryError(e, "NUL byte in argument");
  if (e.key == "run") {
    if (argv->empty() || argv->front().empty()) return EntryError(e, "'run' must not be empty");
    spec.run = *argv;
  } else {
    if (!argv->empty() && argv->front().empty()) return EntryError(e, "empty program name");
    spec.compile = *argv;
  }
  return Status::Ok();
}

}  // namespace

Status ApplyLanguagesToml(std::string_view text, LanguageTable& table) {
  NOJ_ASSIGN_OR_RETURN(std::vector<toml::Entry> entries, toml::Parse(text));
  for (const toml::Entry& e : entries) {
    if (e.section.empty()) return EntryError(e, "key '" + e.key + "' outside a [language] section");
    LanguageSpec* spec = table.FindByName(e.section);
    if (spec == nullptr)
      return EntryError(e, "unknown language [" + e.section + "] (expected c, cpp or python3)");
    NOJ_RETURN_IF_ERROR(ApplyEntry(e, *spec));
  }
  return Status::Ok();
}

Status LoadLanguagesFile(const std::string& path, LanguageTable& table) {
  NOJ_ASSIGN_OR_RETURN(std::string text, ReadFile(path, 1 << 20));
  Status s = ApplyLanguagesToml(text, table);
  if (!s.ok()) return InvalidArgumentError(path + ": " + s.message());
  return Status::Ok();
}

}  // namespace noj::runner

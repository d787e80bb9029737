#include "runner/probe.h"

#include <fmt/format.h>

#include "runner/child_process.h"
#include "runner/fs_util.h"

namespace noj::runner {
namespace {

std::string FirstLine(std::string_view text) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (!line.empty()) return std::string(line.substr(0, 200));
    start = end + 1;
  }
  return "";
}

}  // namespace

VersionCommand BareVersionCommand(std::chrono::milliseconds timeout) {
  return [timeout](const std::vector<std::string>& argv) -> std::string {
    auto tmp = MakeUniqueDir(fs::temp_directory_path(), "noj-probe-");
    if (!tmp.ok()) return "(version: " + tmp.status().message() + ")";
    struct Cleanup {
      fs::path dir;
      ~Cleanup() { RemoveTree(dir).IgnoreError(); }  // best effort: a temp dir
    } cleanup{*tmp};
    ChildOptions options{.stderr_path = *tmp / "stderr",
                         .max_stdout_bytes = 16 * 1024,
                         .backstop = timeout,
                         .kill_grace = std::chrono::milliseconds(500)};
    auto result = RunChild(argv, options, std::stop_token());
    if (!result.ok()) return "(version: " + result.status().message() + ")";
    if (result->timed_out) return "(version: no answer within the timeout)";
    std::string line = FirstLine(result->stdout_text);
    if (line.empty()) line = FirstLine(ReadFilePrefix(*tmp / "stderr", 16 * 1024));
    return line;
  };
}

std::vector<ProbeLine> ProbeLanguages(const LanguageTable& table, std::string_view path_env,
                                      const VersionCommand& version) {
  std::vector<ProbeLine> lines;
  for (const auto& [code, spec] : table.entries()) {
    ProbeLine line{.code = code, .key = spec.key, .name = spec.name};
    if (auto missing = MissingProgram(spec, path_env)) {
      line.missing = *missing;
    } else if (!spec.version.empty()) {
      std::vector<std::string> argv = spec.version;
      if (argv.front().find('/') == std::string::npos) {
        auto found = FindInPath(argv.front(), path_env);
        if (found.ok()) argv.front() = *found;
      }
      line.version =
          argv.front().front() == '/' ? version(argv) : "(version: " + argv.front() + " not found)";
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string FormatProbeLine(const ProbeLine& line, std::string_view path_env) {
  std::string state = line.missing.empty() ? "available" : "missing";
  std::string detail =
      line.missing.empty() ? line.version : line.missing + " not found in " + std::string(path_env);
  std::string text =
      fmt::format("{:>3}  {:<12} {:<22} {:<10} {}", line.code, line.key, line.name, state, detail);
  while (!text.empty() && text.back() == ' ') text.pop_back();
  return text;
}

}  // namespace noj::runner

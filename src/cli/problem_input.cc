#include "cli/problem_input.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string_view>
#include <vector>

#include "api/codec.h"
#include "api/problem_meta.h"
#include "common/json_util.h"
#include "common/zip_archive.h"
#include "judge/testdata_layout.h"

namespace noj::cli {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxFileBytes = uint64_t{1} << 30;
constexpr size_t kIssuesShown = 3;
constexpr size_t kNamesShown = 8;

// A whole-string decimal number, finite and >= 0.
std::optional<double> NonNegativeNumber(std::string_view text) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v) ||
      v < 0)
    return std::nullopt;
  return v;
}

std::string NameList(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < kNamesShown; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > kNamesShown) out += ", …";
  return out;
}

Result<std::string> ReadWholeFile(const fs::path& path) {
  std::error_code ec;
  uint64_t size = fs::file_size(path, ec);
  if (ec) return InvalidArgumentError("cannot read " + path.string() + ": " + ec.message());
  if (size > kMaxFileBytes) return InvalidArgumentError(path.string() + " is larger than 1 GiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgumentError("cannot open " + path.string());
  std::string data(size, '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size)
    return InvalidArgumentError("cannot read " + path.string());
  return data;
}

bool Hidden(const fs::path& relative) {
  for (const fs::path& part : relative)
    if (!part.empty() && part.string().front() == '.') return true;
  return false;
}

Result<std::string> ZipDirectory(const fs::path& dir) {
  std::vector<zip::Entry> entries;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec);
  if (ec) return InvalidArgumentError("cannot list " + dir.string() + ": " + ec.message());
  for (const fs::directory_entry& e : it) {
    fs::path rel = e.path().lexically_relative(dir);
    if (Hidden(rel) || !e.is_regular_file(ec)) continue;
    NOJ_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(e.path()));
    entries.push_back({rel.generic_string(), std::move(data)});
  }
  if (entries.empty())
    return InvalidArgumentError("testdata directory " + dir.string() + " is empty");
  std::sort(entries.begin(), entries.end(),
            [](const zip::Entry& a, const zip::Entry& b) { return a.name < b.name; });
  auto zipped = zip::Build(entries);
  if (!zipped.ok())
    return InvalidArgumentError("cannot zip " + dir.string() + ": " + zipped.status().message());
  return std::move(zipped).value();
}

}  // namespace

Result<bj::object> ParseTaskSpec(const std::string& text) {
  static constexpr const char* kParts[] = {"SCORE", "CASES", "TIME_MS", "MEM_KIB"};
  static constexpr const char* kKeys[] = {"taskScore", "caseCount", "timeLimit", "memoryLimit"};
  bj::object out;
  size_t start = 0;
  for (int i = 0; i < 4; ++i) {
    size_t end = i < 3 ? text.find(':', start) : text.size();
    if (end == std::string::npos || (i == 3 && text.find(':', start) != std::string::npos))
      return InvalidArgumentError("--task '" + text + "' must be SCORE:CASES:TIME_MS:MEM_KIB");
    std::string_view part(text.data() + start, end - start);
    int64_t v = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), v);
    if (part.empty() || ec != std::errc() || p != part.data() + part.size() || v < 0)
      return InvalidArgumentError("--task '" + text + "': " + kParts[i] +
                                  " must be a non-negative integer");
    out[kKeys[i]] = v;
    start = end + 1;
  }
  return out;
}

Result<bj::object> ParseCheckerFlag(const std::string& text) {
  constexpr const char* kForms = "default, exact, tokens, custom or float:ABS:REL";
  bj::object checker;
  if (text == "default" || text == "exact" || text == "tokens" || text == "custom") {
    checker["type"] = text;
    return checker;
  }
  if (text != "float" && !text.starts_with("float:")) {
    return InvalidArgumentError("--checker '" + text + "' must be one of " + kForms);
  }
  const std::string_view rest = std::string_view(text).substr(5);
  const size_t colon = rest.find(':', 1);
  if (!rest.starts_with(":") || colon == std::string_view::npos) {
    return InvalidArgumentError("--checker '" + text +
                                "': the float checker needs both tolerances, float:ABS:REL "
                                "(e.g. float:1e-6:1e-6)");
  }
  const std::optional<double> abs = NonNegativeNumber(rest.substr(1, colon - 1));
  const std::optional<double> rel = NonNegativeNumber(rest.substr(colon + 1));
  if (!abs || !rel) {
    return InvalidArgumentError("--checker '" + text + "': " + (abs ? "REL" : "ABS") +
                                " must be a finite number >= 0 (e.g. float:1e-6:1e-6)");
  }
  checker["type"] = "float";
  checker["abs"] = *abs;
  checker["rel"] = *rel;
  return checker;
}

Result<int64_t> ParseByteSize(const std::string& flag, const std::string& text) {
  std::string_view digits = text;
  int shift = 0;
  if (!digits.empty()) {
    switch (digits.back()) {
      case 'K':
      case 'k':
        shift = 10;
        break;
      case 'M':
      case 'm':
        shift = 20;
        break;
      case 'G':
      case 'g':
        shift = 30;
        break;
      default:
        break;
    }
    if (shift) digits.remove_suffix(1);
  }
  int64_t v = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (digits.empty() || ec != std::errc() || p != digits.data() + digits.size() || v <= 0 ||
      v > (int64_t{1} << (62 - shift)))
    return InvalidArgumentError(flag + " '" + text +
                                "' must be a positive number of bytes, optionally with K, M or G");
  return v << shift;
}

Result<bj::object> ReadProblemMeta(const std::string& path) {
  NOJ_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  auto meta = json::ParseObject(text);
  if (!meta.ok())
    return InvalidArgumentError("--meta " + path +
                                " is not a JSON object: " + meta.status().message());
  return std::move(meta).value();
}

Status CheckPackageLocally(const bj::object& body, const std::string& zip) {
  const bj::value* tasks_json = body.if_contains("tasks");
  if (tasks_json == nullptr) return Status::Ok();
  auto tasks = api::TaskSpecsFromJson(*tasks_json);
  auto meta = api::ProblemMetaFromJson(body);
  auto listed = zip::ListEntries(zip, zip::ReadLimits{.max_entries = 100000});
  if (!tasks.ok() || !meta.ok() || !listed.ok()) return Status::Ok();  // the server will say why
  std::vector<judge::PackageEntry> entries;
  for (zip::EntryInfo& e : *listed) entries.push_back({std::move(e.name), e.size, e.is_link});
  judge::PackageReport report = judge::CheckPackage(entries, *tasks, *meta);
  if (report.ok()) return Status::Ok();
  std::string message = "the testdata package does not fit the problem (" +
                        std::to_string(report.issues.size()) +
                        (report.issues.size() == 1 ? " issue" : " issues") + "): ";
  for (size_t i = 0; i < report.issues.size() && i < kIssuesShown; ++i)
    message += (i ? "; " : "") + report.issues[i].entry + ": " + report.issues[i].reason;
  if (report.issues.size() > kIssuesShown) message += "; …";
  std::string summary;
  if (!report.extra.empty()) summary = "extra: " + NameList(report.extra);
  if (!report.missing.empty())
    summary += (summary.empty() ? "" : "; ") + std::string("missing: ") + NameList(report.missing);
  if (!summary.empty()) message += " (" + summary + ")";
  return InvalidArgumentError(message);
}

Result<std::string> LoadTestdata(const std::string& path) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return InvalidArgumentError("--testdata " + path + " does not exist");
  if (fs::is_directory(st)) return ZipDirectory(path);
  NOJ_ASSIGN_OR_RETURN(std::string data, ReadWholeFile(path));
  if (auto names = zip::ListNames(data); !names.ok())
    return InvalidArgumentError("--testdata " + path + " is neither a directory nor a zip file");
  return data;
}

}  // namespace noj::cli

#include "cli/problem_input.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <vector>

#include "common/json_util.h"
#include "common/zip_archive.h"

namespace noj::cli {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kMaxFileBytes = uint64_t{1} << 30;

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

Result<bj::object> ReadProblemMeta(const std::string& path) {
  NOJ_ASSIGN_OR_RETURN(std::string text, ReadWholeFile(path));
  auto meta = json::ParseObject(text);
  if (!meta.ok())
    return InvalidArgumentError("--meta " + path +
                                " is not a JSON object: " + meta.status().message());
  return std::move(meta).value();
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

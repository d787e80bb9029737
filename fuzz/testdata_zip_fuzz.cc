// The testdata zip validator: what PUT /problems/{pid}/testdata runs on the uploaded bytes
// (zip::ListNames → judge::CheckTestdataLayout → zip::ReadAll; src/server/api/problems_api.cc).
// Input: the zip bytes. Invariants: no crash, UB or unbounded allocation; ReadAll lists what
// ListNames lists, within the limits, with no unsafe names; what ReadAll returns rebuilds (Build)
// into a zip that reads back the same; the layout report is consistent with the names.

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "api/task_spec.h"
#include "common/zip_archive.h"
#include "judge/testdata_layout.h"

namespace {

using namespace noj;

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "\n*** noj fuzz invariant violated: %s\n", what);
  std::abort();
}

bool SafeName(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find('\\') != std::string_view::npos)
    return false;
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = name.find('/', start);
    if (end == std::string_view::npos) end = name.size();
    if (name.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

void CheckLayout(const api::TaskSpecs& tasks, const std::vector<std::string>& names) {
  judge::LayoutReport report = judge::CheckTestdataLayout(tasks, names);
  std::set<std::string> listed(names.begin(), names.end());
  if (!std::is_sorted(report.extra.begin(), report.extra.end()) ||
      !std::is_sorted(report.missing.begin(), report.missing.end()))
    Fail("layout report is not sorted");
  for (const std::string& e : report.extra)
    if (!listed.contains(e) || e.starts_with("chaos/")) Fail("an extra name that is not listed");
  for (const std::string& m : report.missing)
    if (listed.contains(m)) Fail("a missing name that is listed");
  // ok() exactly when the non-chaos names are the expected TTCC.in/.out set.
  std::set<std::string> expected;
  for (size_t t = 0; t < tasks.size(); ++t)
    for (int c = 0; c < tasks[t].case_count; ++c) {
      expected.insert(judge::CaseFileName(static_cast<int>(t), c, "in"));
      expected.insert(judge::CaseFileName(static_cast<int>(t), c, "out"));
    }
  std::set<std::string> actual;
  for (const std::string& n : names)
    if (!n.starts_with("chaos/")) actual.insert(n);
  if (report.ok() != (actual == expected)) Fail("layout verdict disagrees with the names");
}

// The shape the names suggest (TTCC.in → task TT has at least CC+1 cases), so that inputs with
// other layouts also reach the ok() path.
api::TaskSpecs TasksFromNames(const std::vector<std::string>& names) {
  std::vector<int> cases;
  for (const std::string& n : names) {
    if (n.size() < 7 || n[4] != '.') continue;
    if (!std::all_of(n.begin(), n.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    int t = (n[0] - '0') * 10 + (n[1] - '0');
    int c = (n[2] - '0') * 10 + (n[3] - '0');
    if (static_cast<size_t>(t) >= cases.size()) cases.resize(t + 1, 0);
    cases[t] = std::max(cases[t], c + 1);
  }
  api::TaskSpecs tasks;
  for (int c : cases) tasks.push_back({0, std::max(c, 1), 65536, 1000});
  return tasks;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  zip::ReadLimits limits;
  limits.max_total_bytes = 64u << 20;  // the server allows 1 GiB; the fuzzer's RSS limit is 2 GiB

  auto names = zip::ListNames(bytes, limits);
  if (names.ok()) {
    if (names->size() > limits.max_entries) Fail("more names than max_entries");
    CheckLayout({{40, 1, 65536, 1000}, {60, 2, 65536, 1000}}, *names);
    CheckLayout(TasksFromNames(*names), *names);
  }

  auto all = zip::ReadAll(bytes, limits);
  if (!all.ok()) return 0;
  if (!names.ok() || names->size() != all->size()) Fail("ReadAll accepts what ListNames refuses");
  uint64_t total = 0;
  std::set<std::string> unique;
  for (size_t i = 0; i < all->size(); ++i) {
    const zip::Entry& e = (*all)[i];
    if (e.name != (*names)[i]) Fail("ReadAll and ListNames disagree on a name");
    if (!SafeName(e.name)) Fail("ReadAll returned an unsafe name");
    if (e.name.back() == '/' && !e.data.empty()) Fail("a directory entry with data");
    total += e.data.size();
    unique.insert(e.name);
  }
  if (total > limits.max_total_bytes) Fail("ReadAll exceeded max_total_bytes");

  // Rebuilding what was read gives a zip that reads back the same (files only; names unique).
  if (unique.size() != all->size()) return 0;
  std::vector<zip::Entry> files;
  for (const zip::Entry& e : *all)
    if (e.name.back() != '/') files.push_back(e);
  auto rebuilt = zip::Build(files);
  if (!rebuilt.ok()) return 0;  // e.g. a name libzip will not write back; not a reader bug
  auto again = zip::ReadAll(*rebuilt, limits);
  if (!again.ok() || again->size() != files.size()) Fail("a rebuilt zip does not read back");
  for (size_t i = 0; i < files.size(); ++i)
    if ((*again)[i].name != files[i].name || (*again)[i].data != files[i].data)
      Fail("a rebuilt zip reads back different entries");
  return 0;
}

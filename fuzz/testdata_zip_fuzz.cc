// The testdata package validator: what PUT /problems/{pid}/testdata runs on the uploaded bytes
// (zip::ListEntries → judge::CheckPackage → zip::CheckReadable; src/server/api/problems_api.cc),
// and zip::ReadAll, which runners use. Input: the zip bytes. Invariants: no crash, UB or unbounded
// allocation; ReadAll lists what ListNames/ListEntries list, within the limits, with no unsafe
// names, and CheckReadable accepts it; what ReadAll returns rebuilds (Build) into a zip that reads
// back the same; the package report is consistent with the entries (a package with unsafe names,
// links or duplicates never passes).

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "api/problem_meta.h"
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

void CheckLayout(const api::TaskSpecs& tasks, const api::ProblemMeta& meta,
                 const std::vector<zip::EntryInfo>& infos) {
  std::vector<judge::PackageEntry> entries;
  for (const zip::EntryInfo& e : infos) entries.push_back({e.name, e.size, e.is_link});
  judge::PackageReport report = judge::CheckPackage(entries, tasks, meta);
  std::set<std::string> listed;
  std::set<std::string> linked;  // a link in place of a case file leaves that file missing
  bool duplicates = false, unsafe = false, links = false;
  for (const zip::EntryInfo& e : infos) {
    duplicates |= !listed.insert(e.name).second;
    unsafe |= !SafeName(e.name);
    links |= e.is_link;
    if (e.is_link) linked.insert(e.name);
  }
  if (!std::is_sorted(report.extra.begin(), report.extra.end()) ||
      !std::is_sorted(report.missing.begin(), report.missing.end()))
    Fail("package report is not sorted");
  if (std::adjacent_find(report.extra.begin(), report.extra.end()) != report.extra.end())
    Fail("a name listed twice in extra");
  for (const std::string& e : report.extra)
    if (!listed.contains(e)) Fail("an extra name that is not listed");
  for (const std::string& m : report.missing)
    if (listed.contains(m) && !m.ends_with("/") && !linked.contains(m))
      Fail("a missing file that is listed");
  for (const judge::PackageIssue& i : report.issues) {
    if (i.reason.empty()) Fail("an issue without a reason");
    const bool known = listed.contains(i.entry) ||
                       std::binary_search(report.missing.begin(), report.missing.end(), i.entry) ||
                       i.entry == "test-case/";
    if (!known) Fail("an issue about an entry that is neither listed nor missing");
  }
  if (report.ok() != report.issues.empty()) Fail("ok() disagrees with the issues");
  if (report.ok() && (duplicates || unsafe || links))
    Fail("a package with duplicates, unsafe names or links passed");
  if (report.ok() && !report.extra.empty()) Fail("a package with extra entries passed");
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
  auto infos = zip::ListEntries(bytes, limits);
  if (names.ok() != infos.ok()) Fail("ListNames and ListEntries disagree");
  if (names.ok()) {
    if (names->size() > limits.max_entries) Fail("more names than max_entries");
    for (size_t i = 0; i < names->size(); ++i)
      if ((*infos)[i].name != (*names)[i]) Fail("ListEntries and ListNames disagree on a name");
    api::ProblemMeta custom;
    custom.checker.kind = api::CheckerKind::kCustom;
    custom.interactive = true;
    CheckLayout({{40, 1, 65536, 1000}, {60, 2, 65536, 1000}}, {}, *infos);
    CheckLayout(TasksFromNames(*names), {}, *infos);
    CheckLayout(TasksFromNames(*names), custom, *infos);
  }

  auto all = zip::ReadAll(bytes, limits);
  if (!all.ok()) return 0;
  if (!zip::CheckReadable(bytes, limits).ok()) Fail("CheckReadable refuses what ReadAll reads");
  if (!names.ok() || names->size() != all->size()) Fail("ReadAll accepts what ListNames refuses");
  uint64_t total = 0;
  std::set<std::string> unique;
  for (size_t i = 0; i < all->size(); ++i) {
    const zip::Entry& e = (*all)[i];
    if (e.name != (*names)[i]) Fail("ReadAll and ListNames disagree on a name");
    if (e.is_link != (*infos)[i].is_link) Fail("ReadAll and ListEntries disagree on a link");
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
    if ((*again)[i].name != files[i].name || (*again)[i].data != files[i].data ||
        (*again)[i].is_link != files[i].is_link)
      Fail("a rebuilt zip reads back different entries");
  return 0;
}

#include "judge/testdata_layout.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

namespace noj::judge {
namespace {

constexpr std::string_view kTestCase = "test-case/";
constexpr std::string_view kFreeFolders[] = {"chaos/", "share/", "include/"};
constexpr const char* kLayoutHint =
    "not part of the package layout (cases TTCC.in/.out or test-case/TTCC/…; folders chaos/, "
    "share/, include/, checker/, interactor/)";

std::string SizeText(uint64_t bytes) {
  if (bytes % (uint64_t{1} << 30) == 0 && bytes > 0) return std::to_string(bytes >> 30) + " GiB";
  if (bytes % (uint64_t{1} << 20) == 0 && bytes > 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

// Why a name is unsafe or ambiguous to extract, or "".
std::string NameProblem(std::string_view name) {
  if (name.empty()) return "an empty name";
  if (name.front() == '/') return "an absolute name";
  if (name.find('\\') != std::string_view::npos) return "a backslash in the name (zip uses '/')";
  if (name.find('\0') != std::string_view::npos) return "a NUL byte in the name";
  if (name.back() == '/') name.remove_suffix(1);
  size_t start = 0;
  while (start <= name.size()) {
    size_t end = std::min(name.find('/', start), name.size());
    std::string_view part = name.substr(start, end - start);
    if (part == "..") return "'..' in the name";
    if (part.empty() || part == ".") return "an empty or '.' part in the name";
    start = end + 1;
  }
  return "";
}

// "0102" → {1, 2}.
std::optional<std::pair<int, int>> ParseCaseId(std::string_view id) {
  if (id.size() != 4 ||
      !std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return std::pair{(id[0] - '0') * 10 + (id[1] - '0'), (id[2] - '0') * 10 + (id[3] - '0')};
}

// The source files a checker/ or interactor/ folder may hold (one of them).
std::string SourceOf(std::string_view name, std::string_view folder, std::string_view stem) {
  if (!name.starts_with(folder)) return "";
  std::string_view rest = name.substr(folder.size());
  for (std::string_view ext : {".c", ".cpp", ".py"})
    if (rest.size() == stem.size() + ext.size() && rest.starts_with(stem) && rest.ends_with(ext))
      return std::string(rest);
  return "";
}

class PackageChecker {
 public:
  PackageChecker(const std::vector<PackageEntry>& entries, const api::TaskSpecs& tasks,
                 const api::ProblemMeta& meta, const PackageLimits& limits)
      : entries_(entries), tasks_(tasks), meta_(meta), limits_(limits), layout_(entries.size()) {}

  PackageReport Run() {
    std::set<std::string_view> seen;
    std::vector<bool> placeable(entries_.size(), false);
    for (size_t i = 0; i < entries_.size(); ++i) {
      const PackageEntry& e = entries_[i];
      if (std::string why = NameProblem(e.name); !why.empty())
        Flag(i, why);
      else if (e.is_link)
        Flag(i, "a symbolic link (packages hold files and folders only)");
      else if (!seen.insert(e.name).second)
        Flag(i, "a duplicate entry");
      else
        placeable[i] = true;
    }
    FindFileFolderClashes();
    for (size_t i = 0; i < entries_.size(); ++i)
      if (placeable[i]) Place(i);
    DecideFormat();
    CheckFolder(checker_, meta_.checker.kind == api::CheckerKind::kCustom, "checker/", "checker",
                std::string("the problem's checker is \"") +
                    api::CheckerKindName(meta_.checker.kind) + "\", not custom");
    CheckFolder(interactor_, meta_.interactive, "interactor/", "interactor",
                "the problem is not interactive");
    return Report();
  }

 private:
  enum class Format { kNone, kSimple, kContext };

  struct Folder {
    std::vector<size_t> entries;  // every entry below the folder (the folder itself included)
    std::vector<size_t> sources;  // checker.c|cpp|py directly in it
  };

  void Flag(size_t i, std::string reason) {
    if (layout_[i].empty()) layout_[i] = std::move(reason);
  }

  // A name that is a file while other names put entries below it cannot be extracted.
  void FindFileFolderClashes() {
    std::set<std::string_view> folders;
    for (const PackageEntry& e : entries_) {
      std::string_view name = e.name;
      for (size_t slash = name.find('/'); slash != std::string_view::npos;
           slash = name.find('/', slash + 1))
        folders.insert(name.substr(0, slash));
    }
    for (size_t i = 0; i < entries_.size(); ++i) {
      const std::string& name = entries_[i].name;
      if (!name.empty() && name.back() != '/' && folders.contains(name))
        Flag(i, "a file whose name other entries use as a folder");
    }
  }

  // Why case (task, case_index) is not one the tasks declare, or "".
  std::string Undeclared(std::pair<int, int> id) const {
    auto [task, case_index] = id;
    if (static_cast<size_t>(task) >= tasks_.size())
      return "no task " + std::to_string(task) + " (the problem has " +
             std::to_string(tasks_.size()) + (tasks_.size() == 1 ? " task" : " tasks") +
             ", numbered from 00)";
    if (case_index >= tasks_[task].case_count)
      return "no case " + std::to_string(case_index) + " in task " + std::to_string(task) +
             " (it has " + std::to_string(tasks_[task].case_count) + ", numbered from 00)";
    return "";
  }

  void Place(size_t i) {
    std::string_view name = entries_[i].name;
    const bool folder = name.back() == '/';
    if (!folder && name.find('/') == std::string_view::npos &&
        (name.ends_with(".in") || name.ends_with(".out"))) {
      std::string_view stem = name.substr(0, name.rfind('.'));
      if (auto id = ParseCaseId(stem)) {
        simple_.push_back(i);
        if (std::string why = Undeclared(*id); !why.empty())
          Flag(i, why);
        else
          present_.insert(std::string(name));
        return;
      }
    }
    if (name.starts_with(kTestCase)) return PlaceContext(i, name.substr(kTestCase.size()));
    for (std::string_view f : kFreeFolders)
      if (name.starts_with(f)) return;
    if (name.starts_with("checker/")) return AddToFolder(checker_, i, "checker/", "checker");
    if (name.starts_with("interactor/"))
      return AddToFolder(interactor_, i, "interactor/", "interactor");
    Flag(i, kLayoutHint);
  }

  void PlaceContext(size_t i, std::string_view rest) {
    context_.push_back(i);
    if (rest.empty()) return;  // the folder test-case/ itself
    size_t slash = rest.find('/');
    auto id = ParseCaseId(rest.substr(0, slash));
    if (!id || slash == std::string_view::npos)
      return Flag(i, "test-case/ holds only case folders TTCC/ (two-digit task and case)");
    if (std::string why = Undeclared(*id); !why.empty()) return Flag(i, why);
    std::string_view inside = rest.substr(slash + 1);
    if (inside.empty() || inside.starts_with("in/") || inside.starts_with("out/")) return;
    if (inside == "STDIN" || inside == "STDOUT") {
      present_.insert(entries_[i].name);
      return;
    }
    Flag(i, "a ContextIO case folder holds only STDIN, STDOUT, in/ and out/");
  }

  void AddToFolder(Folder& f, size_t i, std::string_view folder, std::string_view stem) {
    f.entries.push_back(i);
    if (!SourceOf(entries_[i].name, folder, stem).empty()) f.sources.push_back(i);
  }

  // One case format: when both appear, the one with fewer entries is the intruder.
  void DecideFormat() {
    if (simple_.empty() && context_.empty()) {
      format_ = Format::kSimple;  // an empty package lacks SimpleIO cases, as it always did
      return;
    }
    format_ = context_.size() > simple_.size() ? Format::kContext : Format::kSimple;
    const bool ctx = format_ == Format::kContext;
    for (size_t i : ctx ? simple_ : context_)
      Flag(i, ctx ? "a SimpleIO case file in a ContextIO package (use one case format)"
                  : "a ContextIO entry in a SimpleIO package (use one case format)");
  }

  void CheckFolder(const Folder& f, bool wanted, const std::string& folder, const std::string& stem,
                   const std::string& why_unwanted) {
    const std::string sources = stem + ".c, " + stem + ".cpp or " + stem + ".py";
    if (!wanted) {
      // Only files make the folder present: an archiver's empty folder entry is harmless.
      const bool has_file = std::any_of(f.entries.begin(), f.entries.end(),
                                        [&](size_t i) { return entries_[i].name.back() != '/'; });
      if (has_file)
        for (size_t i : f.entries) Flag(i, folder + " is not expected: " + why_unwanted);
      return;
    }
    if (f.sources.empty()) {
      missing_.insert(folder);
      tail_.push_back({folder, "missing " + folder + stem +
                                   ".c|cpp|py: the package needs exactly "
                                   "one of " +
                                   sources});
      return;
    }
    if (f.sources.size() > 1)
      for (size_t i : f.sources)
        Flag(i, "one of several sources: " + folder + " holds exactly one of " + sources);
  }

  PackageReport Report() {
    PackageReport r;
    r.context_io = format_ == Format::kContext;
    uint64_t total = 0;
    bool total_flagged = false;
    std::set<std::string> extra;
    for (size_t i = 0; i < entries_.size(); ++i) {
      const PackageEntry& e = entries_[i];
      std::vector<std::string> reasons;
      if (!layout_[i].empty()) reasons.push_back(layout_[i]);
      if (i == limits_.max_entries)
        reasons.push_back("the package has " + std::to_string(entries_.size()) +
                          " entries, more than " + std::to_string(limits_.max_entries));
      if (e.size > limits_.max_entry_bytes)
        reasons.push_back("expands to " + std::to_string(e.size) + " bytes, more than " +
                          SizeText(limits_.max_entry_bytes) + " per entry");
      total += e.size;
      if (total > limits_.max_total_bytes && !total_flagged) {
        total_flagged = true;
        reasons.push_back("the package expands beyond " + SizeText(limits_.max_total_bytes) +
                          " (uncompressed) at this entry");
      }
      for (std::string& why : reasons) r.issues.push_back({e.name, std::move(why)});
      if (!reasons.empty()) extra.insert(e.name);
    }
    AddMissingCases();
    for (const std::string& name : missing_cases_)
      r.issues.push_back({name, "missing (the tasks declare this case)"});
    if (meta_.interactive && format_ == Format::kContext)
      tail_.push_back({std::string(kTestCase),
                       "an interactive problem cannot use ContextIO: the program's stdin and "
                       "stdout are joined to the interactor, so STDIN, STDOUT and the in/ and "
                       "out/ files have no meaning; use TTCC.in/.out"});
    for (PackageIssue& issue : tail_) r.issues.push_back(std::move(issue));
    r.extra.assign(extra.begin(), extra.end());
    for (const std::string& name : missing_cases_) missing_.insert(name);
    r.missing.assign(missing_.begin(), missing_.end());
    return r;
  }

  void AddMissingCases() {
    for (size_t t = 0; t < tasks_.size(); ++t)
      for (int c = 0; c < tasks_[t].case_count; ++c) {
        const int task = static_cast<int>(t);
        std::vector<std::string> expected;
        if (format_ == Format::kContext) {
          expected = {ContextCaseDir(task, c) + "/STDIN", ContextCaseDir(task, c) + "/STDOUT"};
        } else {
          expected = {CaseFileName(task, c, "in"), CaseFileName(task, c, "out")};
        }
        for (std::string& name : expected)
          if (!present_.contains(name)) missing_cases_.insert(std::move(name));
      }
  }

  const std::vector<PackageEntry>& entries_;
  const api::TaskSpecs& tasks_;
  const api::ProblemMeta& meta_;
  const PackageLimits& limits_;
  std::vector<std::string> layout_;  // per entry: the first layout reason, or ""
  std::vector<size_t> simple_;       // SimpleIO case files (declared or not)
  std::vector<size_t> context_;      // every entry under test-case/
  Folder checker_, interactor_;
  std::set<std::string> present_;  // declared case files that are there, both formats
  Format format_ = Format::kNone;
  std::set<std::string> missing_cases_;
  std::set<std::string> missing_;
  std::vector<PackageIssue> tail_;  // about the package as a whole
};

}  // namespace

std::string CaseFileName(int task, int case_index, const char* ext) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d%02d.", task, case_index);
  return std::string(buf) + ext;
}

std::string ContextCaseDir(int task, int case_index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d%02d", task, case_index);
  return std::string(kTestCase) + buf;
}

PackageReport CheckPackage(const std::vector<PackageEntry>& entries, const api::TaskSpecs& tasks,
                           const api::ProblemMeta& meta, const PackageLimits& limits) {
  return PackageChecker(entries, tasks, meta, limits).Run();
}

}  // namespace noj::judge

#include "judge/testdata_layout.h"

#include <algorithm>
#include <cstdio>
#include <set>
#include <string_view>

namespace noj::judge {
namespace {

constexpr std::string_view kChaosDir = "chaos/";

}  // namespace

std::string CaseFileName(int task, int case_index, const char* ext) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d%02d.", task, case_index);
  return std::string(buf) + ext;
}

LayoutReport CheckTestdataLayout(const api::TaskSpecs& tasks,
                                 const std::vector<std::string>& names) {
  std::set<std::string> expected;
  for (size_t t = 0; t < tasks.size(); ++t)
    for (int c = 0; c < tasks[t].case_count; ++c) {
      expected.insert(CaseFileName(static_cast<int>(t), c, "in"));
      expected.insert(CaseFileName(static_cast<int>(t), c, "out"));
    }
  std::set<std::string> present;
  std::set<std::string> extra;
  for (const std::string& name : names) {
    if (std::string_view(name).starts_with(kChaosDir)) continue;  // shipped with the source
    if (expected.contains(name))
      present.insert(name);
    else
      extra.insert(name);  // includes directory entries other than chaos/
  }
  LayoutReport report;
  report.extra.assign(extra.begin(), extra.end());
  std::set_difference(expected.begin(), expected.end(), present.begin(), present.end(),
                      std::back_inserter(report.missing));
  return report;
}

}  // namespace noj::judge

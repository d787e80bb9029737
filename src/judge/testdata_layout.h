#pragma once
// Testdata zip layout: exactly TTCC.in / TTCC.out (two-digit task, two-digit case, from 00) for the
// declared tasks, plus an optional chaos/ folder shipped next to the contestant's source.

#include <string>
#include <vector>

#include "api/task_spec.h"

namespace noj::judge {

struct LayoutReport {
  std::vector<std::string> extra;    // names present but not expected (sorted)
  std::vector<std::string> missing;  // names expected but absent (sorted)
  bool ok() const { return extra.empty() && missing.empty(); }
};

// `names` as listed in the zip (directory entries end with '/').
LayoutReport CheckTestdataLayout(const api::TaskSpecs& tasks, const std::vector<std::string>& names);

// "0102.in" for task 1, case 2.
std::string CaseFileName(int task, int case_index, const char* ext);

}  // namespace noj::judge

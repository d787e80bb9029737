#pragma once
// The benches' A+B testdata: `cases` cases 00CC.in / 00CC.out in `dir` (case c: "c 7c" -> 8c).
// Shared by bench_judge, bench_rejudge and bench_languages.

#include <cstdio>
#include <filesystem>
#include <string>

#include "runner/fs_util.h"

namespace noj::bench {

inline void WriteAplusBTestdata(const std::filesystem::path& dir, int cases) {
  std::filesystem::create_directories(dir);
  for (int c = 0; c < cases; ++c) {
    char name[16];
    std::snprintf(name, sizeof name, "00%02d", c);
    (void)runner::WriteFile(dir / (std::string(name) + ".in"),
                            std::to_string(c) + " " + std::to_string(c * 7) + "\n");
    (void)runner::WriteFile(dir / (std::string(name) + ".out"), std::to_string(c * 8) + "\n");
  }
}

}  // namespace noj::bench

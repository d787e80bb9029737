#pragma once
// bench_dispatch's output: phase headings, latency tables, the store's name in headings, and the
// closing summary every phase adds its figures to.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bench_options.h"

namespace noj::bench {

// The closing summary: one row per figure, and whether some phase could not run. Not thread-safe:
// phases add their rows from the main thread, after their workers have joined.
class Summary {
 public:
  // `ok` empty prints "n/a", else "ok" or "MISSED".
  void Add(std::string figure, double value, int decimals, const std::string& unit, std::string aim,
           std::string normal_oj, std::optional<bool> ok);
  // A phase could not run (nojd did not start, setup calls failed): the bench exits 1.
  void Fail() { failed_ = true; }
  bool failed() const { return failed_; }
  // The rows as one table (figure, measured, aim, Normal-OJ, verdict).
  void Print() const;

 private:
  struct Row {
    std::string figure, measured, aim, normal_oj, verdict;
  };
  std::vector<Row> rows_;
  bool failed_ = false;
};

// "\n## s\n\n", flushed.
void Heading(const std::string& s);
// The 1-minute load average: figures taken on a busy machine are worth less.
std::string LoadAverage();
// "sqlite (sync=full)" or "redis, N node(s)".
std::string StoreName(const Options& opt);
// KiB as MiB with one decimal; "?" when unknown (negative).
std::string Mib(int64_t kib);
// One table row of percentiles per (request name, samples in ms).
void PrintLatencies(const std::vector<std::pair<std::string, std::vector<double>>>& rows);

}  // namespace noj::bench

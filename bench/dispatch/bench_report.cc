// bench_dispatch's output: headings, latency tables and the closing summary (see bench_report.h).

#include "bench_report.h"

#include <cstdio>

#include "bench_support.h"

namespace noj::bench {

void Summary::Add(std::string figure, double value, int decimals, const std::string& unit,
                  std::string aim, std::string normal_oj, std::optional<bool> ok) {
  rows_.push_back({std::move(figure), Fmt(value, decimals) + unit, std::move(aim),
                   std::move(normal_oj),
                   !ok   ? "n/a"
                   : *ok ? "ok"
                         : "MISSED"});
}

void Summary::Print() const {
  Table t({"figure", "measured", "aim", "Normal-OJ (Python)", "verdict"});
  for (const auto& r : rows_) t.Row({r.figure, r.measured, r.aim, r.normal_oj, r.verdict});
  t.Print();
}

void Heading(const std::string& s) {
  std::printf("\n## %s\n\n", s.c_str());
  std::fflush(stdout);
}

std::string LoadAverage() {
  std::FILE* f = std::fopen("/proc/loadavg", "r");
  double l = -1;
  if (f) {
    if (std::fscanf(f, "%lf", &l) != 1) l = -1;
    std::fclose(f);
  }
  return Fmt(l, 2);
}

std::string StoreName(const Options& opt) {
  if (opt.store == "redis") return "redis, " + std::to_string(opt.nodes) + " node(s)";
  return "sqlite (sync=" + opt.sqlite_sync + ")";
}

std::string Mib(int64_t kib) { return kib < 0 ? "?" : Fmt(static_cast<double>(kib) / 1024.0, 1); }

void PrintLatencies(const std::vector<std::pair<std::string, std::vector<double>>>& rows) {
  Table t({"request", "n", "p50 ms", "p90 ms", "p99 ms", "max ms"});
  for (const auto& [name, v] : rows) {
    Percentiles p = Summarize(v);
    t.Row({name, FmtInt(static_cast<int64_t>(p.n)), Fmt(p.p50, 3), Fmt(p.p90, 3), Fmt(p.p99, 3),
           Fmt(p.max, 3)});
  }
  t.Print();
}

}  // namespace noj::bench

#include "judge/aggregate.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>

namespace noj::judge {
namespace {

api::Verdict Worse(api::Verdict a, api::Verdict b) {
  return api::VerdictCode(a) >= api::VerdictCode(b) ? a : b;
}

// At most `max_bytes` of `s`, never ending inside a UTF-8 sequence.
std::string Utf8Prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  auto is_continuation = [&](size_t i) {
    return (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80;
  };
  size_t cut = max_bytes;
  if (is_continuation(cut)) {
    // The sequence cut through starts at most 3 bytes earlier; drop it whole.
    size_t p = cut;
    while (p > 0 && cut - p < 3 && is_continuation(p)) --p;
    if (static_cast<unsigned char>(s[p]) >= 0xC0) cut = p;
  }
  return std::string(s.substr(0, cut));
}

// judging.md §2: AC is worth 1, a WA with a checker's partial points p is worth p, anything else 0.
double CasePoints(const api::CaseResult& c) {
  if (c.status == api::Verdict::kAC) return 1;
  if (c.status == api::Verdict::kWA && c.points && *c.points >= 0 && *c.points <= 1)
    return *c.points;
  return 0;
}

// floor(taskScore × mean points). The epsilon keeps a mean that is exact in decimal (three cases
// of 1/3 … ) from losing a point to binary rounding; it is far below one point of any task.
int PartialScore(int task_score, double points_sum, size_t case_count) {
  if (case_count == 0) return 0;
  const double exact = task_score * points_sum / static_cast<double>(case_count);
  return std::clamp(static_cast<int>(std::floor(exact + 1e-9)), 0, task_score);
}

api::TaskResult AggregateTask(const api::TaskSpec& spec,
                              const std::vector<api::CaseResult>& cases) {
  api::TaskResult t;
  // A task without cases cannot pass CheckShape (case_count >= 1); JE if it happens anyway.
  t.status = cases.empty() ? api::Verdict::kJE : api::Verdict::kAC;
  double points_sum = 0;
  for (const api::CaseResult& c : cases) {
    t.status = Worse(t.status, c.status);
    t.exec_time_ms = std::max(t.exec_time_ms, c.exec_time_ms);
    t.memory_kib = std::max(t.memory_kib, c.memory_kib);
    points_sum += CasePoints(c);
    t.cases.push_back(
        {c.status, c.exit_code, c.exec_time_ms, c.memory_kib, c.wall_time_ms, c.points, c.message});
  }
  if (spec.scoring == api::TaskScoring::kPartial)
    t.score = PartialScore(spec.score, points_sum, cases.size());
  else
    t.score = t.status == api::Verdict::kAC ? spec.score : 0;
  return t;
}

}  // namespace

Status CheckShape(const api::TaskSpecs& tasks, const api::ReportedCases& cases) {
  if (cases.size() != tasks.size())
    return InvalidArgumentError("result has " + std::to_string(cases.size()) + " tasks, expected " +
                                std::to_string(tasks.size()));
  for (size_t i = 0; i < tasks.size(); ++i) {
    size_t expected = static_cast<size_t>(std::max(tasks[i].case_count, 0));
    if (cases[i].size() != expected)
      return InvalidArgumentError("task " + std::to_string(i) + " has " +
                                  std::to_string(cases[i].size()) + " cases, expected " +
                                  std::to_string(expected));
  }
  return Status::Ok();
}

api::SubmissionResult Aggregate(const api::TaskSpecs& tasks, const api::ReportedCases& cases) {
  api::SubmissionResult r;
  if (tasks.empty()) return JudgeErrorResult();  // nothing was judged
  r.status = api::Verdict::kAC;
  size_t n = std::min(tasks.size(), cases.size());
  for (size_t i = 0; i < n; ++i) {
    api::TaskResult t = AggregateTask(tasks[i], cases[i]);
    r.status = Worse(r.status, t.status);
    r.score += t.score;
    r.exec_time_ms = std::max(r.exec_time_ms, t.exec_time_ms);
    r.memory_kib = std::max(r.memory_kib, t.memory_kib);
    r.tasks.push_back(std::move(t));
  }
  if (n < tasks.size()) r.status = api::Verdict::kJE;  // REQUIRES violated: never score a gap
  return r;
}

api::SubmissionResult JudgeErrorResult() {
  api::SubmissionResult r;
  r.status = api::Verdict::kJE;
  r.score = 0;
  return r;
}

std::vector<api::CaseOutput> TruncatedOutputs(const api::ReportedCases& cases, size_t max_bytes) {
  std::vector<api::CaseOutput> out;
  for (size_t t = 0; t < cases.size(); ++t)
    for (size_t c = 0; c < cases[t].size(); ++c)
      out.push_back({static_cast<int>(t), static_cast<int>(c),
                     Utf8Prefix(cases[t][c].stdout_text, max_bytes),
                     Utf8Prefix(cases[t][c].stderr_text, max_bytes)});
  return out;
}

}  // namespace noj::judge

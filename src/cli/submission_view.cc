#include "cli/submission_view.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "api/verdict.h"
#include "cli/api_client.h"
#include "cli/format.h"
#include "cli/table.h"

namespace noj::cli {
namespace {

std::string CaseVerdict(const api::CaseSummary& c) {
  int status = api::VerdictCode(c.status);
  std::string text = VerdictText(status);
  if (status == 5 && c.exit_code != 0) text += " (exit " + std::to_string(c.exit_code) + ")";
  return text;
}

// judging.md §6 extensions: shown only when some case has them, so a Normal-OJ result looks as
// it always did.
struct CaseExtras {
  bool wall = false;
  bool points = false;
  std::vector<std::string> messages;  // "task 0 case 1: wrong answer …"
};

std::string PointsText(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", p);
  return buf;
}

// One line, at most 200 bytes (cut on a UTF-8 boundary).
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > 200) {
    size_t cut = 200;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out = out.substr(0, cut) + "…";
  }
  return out;
}

CaseExtras FindExtras(const std::vector<api::TaskResult>& tasks) {
  CaseExtras extras;
  for (size_t ti = 0; ti < tasks.size(); ++ti) {
    const std::vector<api::CaseSummary>& cases = tasks[ti].cases;
    for (size_t ci = 0; ci < cases.size(); ++ci) {
      const api::CaseSummary& c = cases[ci];
      extras.wall = extras.wall || c.wall_time_ms.has_value();
      extras.points = extras.points || c.points.has_value();
      if (!c.message.empty())
        extras.messages.push_back("task " + std::to_string(ti) + " case " + std::to_string(ci) +
                                  ": " + OneLine(c.message));
    }
  }
  return extras;
}

}  // namespace

Result<SubmissionAnswer> ReadSubmissionAnswer(std::string_view request, bj::value body) {
  NOJ_ASSIGN_OR_RETURN(api::SubmissionView view,
                       DecodeAnswer(request, api::SubmissionViewFromJson(body)));
  return SubmissionAnswer{std::move(body), std::move(view)};
}

bool IsFinal(const api::SubmissionView& submission) {
  return submission.status != api::kPendingCode;
}

void PrintCaseTable(std::ostream& out, const api::SubmissionView& submission) {
  if (!submission.result) return;
  const std::vector<api::TaskResult>& tasks = submission.result->tasks;
  const CaseExtras extras = FindExtras(tasks);
  std::vector<std::string> header = {"task", "case", "verdict", "time", "memory"};
  if (extras.wall) header.push_back("wall");
  if (extras.points) header.push_back("points");
  header.push_back("score");
  Table t(header);
  for (size_t ti = 0; ti < tasks.size(); ++ti) {
    const api::TaskResult& task = tasks[ti];
    std::string score = std::to_string(task.score);
    if (task.cases.empty()) {
      std::vector<std::string> row = {std::to_string(ti), "-",
                                      VerdictText(api::VerdictCode(task.status)), "", ""};
      if (extras.wall) row.emplace_back("");
      if (extras.points) row.emplace_back("");
      row.push_back(score);
      t.AddRow(row);
      continue;
    }
    for (size_t ci = 0; ci < task.cases.size(); ++ci) {
      const api::CaseSummary& c = task.cases[ci];
      std::vector<std::string> row = {std::to_string(ti), std::to_string(ci), CaseVerdict(c),
                                      FormatMs(c.exec_time_ms), FormatKiB(c.memory_kib)};
      if (extras.wall) row.push_back(c.wall_time_ms ? FormatMs(*c.wall_time_ms) : "");
      if (extras.points) row.push_back(c.points ? PointsText(*c.points) : "");
      row.push_back(ci == 0 ? score : "");
      t.AddRow(row);
    }
  }
  if (!t.empty()) t.Print(out);
  for (const std::string& line : extras.messages) out << line << "\n";
}

std::string SummaryText(const api::SubmissionView& s) {
  if (!IsFinal(s)) return "pending";
  return VerdictText(s.status) + ", score " + std::to_string(s.score) + "/100, " +
         FormatMs(s.exec_time_ms) + ", " + FormatKiB(s.memory_kib);
}

}  // namespace noj::cli

#include "cli/submission_view.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "cli/format.h"
#include "cli/table.h"

namespace noj::cli {
namespace {

const bj::array* ArrayField(const bj::object& o, std::string_view key) {
  const bj::value* v = o.if_contains(key);
  return v != nullptr && v->is_array() ? &v->as_array() : nullptr;
}

std::string CaseVerdict(const bj::object& c) {
  int64_t status = IntField(c, "status", -1);
  std::string text = VerdictText(status);
  int64_t exit_code = IntField(c, "exitCode");
  if (status == 5 && exit_code != 0) text += " (exit " + std::to_string(exit_code) + ")";
  return text;
}

// judging.md §6 extensions: shown only when some case has them, so a Normal-OJ result looks as
// it always did.
struct CaseExtras {
  bool wall = false;
  bool points = false;
  std::vector<std::string> messages;  // "task 0 case 1: wrong answer …"
};

std::string PointsText(const bj::value& v) {
  double p = v.is_double() ? v.as_double() : v.is_int64() ? static_cast<double>(v.as_int64()) : 0;
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

CaseExtras FindExtras(const bj::array& tasks) {
  CaseExtras extras;
  for (size_t ti = 0; ti < tasks.size(); ++ti) {
    if (!tasks[ti].is_object()) continue;
    const bj::array* cases = ArrayField(tasks[ti].as_object(), "cases");
    if (cases == nullptr) continue;
    for (size_t ci = 0; ci < cases->size(); ++ci) {
      if (!(*cases)[ci].is_object()) continue;
      const bj::object& c = (*cases)[ci].as_object();
      extras.wall = extras.wall || c.contains("wallTime");
      extras.points = extras.points || c.contains("points");
      std::string message = StringField(c, "message");
      if (!message.empty())
        extras.messages.push_back("task " + std::to_string(ti) + " case " + std::to_string(ci) +
                                  ": " + OneLine(message));
    }
  }
  return extras;
}

}  // namespace

bool IsFinal(const bj::object& submission) { return IntField(submission, "status", -1) != -1; }

void PrintCaseTable(std::ostream& out, const bj::object& submission) {
  const bj::array* tasks = ArrayField(submission, "tasks");
  if (tasks == nullptr) return;
  const CaseExtras extras = FindExtras(*tasks);
  std::vector<std::string> header = {"task", "case", "verdict", "time", "memory"};
  if (extras.wall) header.push_back("wall");
  if (extras.points) header.push_back("points");
  header.push_back("score");
  Table t(header);
  for (size_t ti = 0; ti < tasks->size(); ++ti) {
    if (!(*tasks)[ti].is_object()) continue;
    const bj::object& task = (*tasks)[ti].as_object();
    const bj::array* cases = ArrayField(task, "cases");
    std::string score = std::to_string(IntField(task, "score"));
    if (cases == nullptr || cases->empty()) {
      std::vector<std::string> row = {std::to_string(ti), "-",
                                      VerdictText(IntField(task, "status", -1)), "", ""};
      if (extras.wall) row.emplace_back("");
      if (extras.points) row.emplace_back("");
      row.push_back(score);
      t.AddRow(row);
      continue;
    }
    for (size_t ci = 0; ci < cases->size(); ++ci) {
      if (!(*cases)[ci].is_object()) continue;
      const bj::object& c = (*cases)[ci].as_object();
      std::vector<std::string> row = {std::to_string(ti), std::to_string(ci), CaseVerdict(c),
                                      FormatMs(IntField(c, "execTime")),
                                      FormatKiB(IntField(c, "memoryUsage"))};
      if (extras.wall)
        row.push_back(c.contains("wallTime") ? FormatMs(IntField(c, "wallTime")) : "");
      if (extras.points) row.push_back(c.contains("points") ? PointsText(c.at("points")) : "");
      row.push_back(ci == 0 ? score : "");
      t.AddRow(row);
    }
  }
  if (!t.empty()) t.Print(out);
  for (const std::string& line : extras.messages) out << line << "\n";
}

std::string SummaryText(const bj::object& s) {
  if (!IsFinal(s)) return "pending";
  return VerdictText(IntField(s, "status")) + ", score " + std::to_string(IntField(s, "score")) +
         "/100, " + FormatMs(IntField(s, "execTime")) + ", " +
         FormatKiB(IntField(s, "memoryUsage"));
}

}  // namespace noj::cli

#include "cli/submission_view.h"

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

}  // namespace

bool IsFinal(const bj::object& submission) { return IntField(submission, "status", -1) != -1; }

void PrintCaseTable(std::ostream& out, const bj::object& submission) {
  Table t({"task", "case", "verdict", "time", "memory", "score"});
  const bj::array* tasks = ArrayField(submission, "tasks");
  if (tasks == nullptr) return;
  for (size_t ti = 0; ti < tasks->size(); ++ti) {
    if (!(*tasks)[ti].is_object()) continue;
    const bj::object& task = (*tasks)[ti].as_object();
    const bj::array* cases = ArrayField(task, "cases");
    std::string score = std::to_string(IntField(task, "score"));
    if (cases == nullptr || cases->empty()) {
      t.AddRow({std::to_string(ti), "-", VerdictText(IntField(task, "status", -1)), "", "", score});
      continue;
    }
    for (size_t ci = 0; ci < cases->size(); ++ci) {
      if (!(*cases)[ci].is_object()) continue;
      const bj::object& c = (*cases)[ci].as_object();
      t.AddRow({std::to_string(ti), std::to_string(ci), CaseVerdict(c),
                FormatMs(IntField(c, "execTime")), FormatKiB(IntField(c, "memoryUsage")),
                ci == 0 ? score : ""});
    }
  }
  if (!t.empty()) t.Print(out);
}

std::string SummaryText(const bj::object& s) {
  if (!IsFinal(s)) return "pending";
  return VerdictText(IntField(s, "status")) + ", score " + std::to_string(IntField(s, "score")) +
         "/100, " + FormatMs(IntField(s, "execTime")) + ", " +
         FormatKiB(IntField(s, "memoryUsage"));
}

}  // namespace noj::cli

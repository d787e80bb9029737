#pragma once
// Text views of a submission (GET /submissions/{sid}): the per-case verdict table, the summary
// line, and the state a pending submission is in.

#include <boost/json.hpp>
#include <ostream>
#include <string>

namespace noj::cli {

namespace bj = boost::json;

// Table: task, case, verdict, time, memory, score (the task's score on its first case's row).
void PrintCaseTable(std::ostream& out, const bj::object& submission);

// "AC, score 100/100, 12 ms, 1.2 MiB" (or "pending").
std::string SummaryText(const bj::object& submission);

// True once the submission has a final verdict (status other than -1).
bool IsFinal(const bj::object& submission);

}  // namespace noj::cli

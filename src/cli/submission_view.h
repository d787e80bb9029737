#pragma once
// Text views of a submission (GET /submissions/{sid}, read as api::SubmissionView): the per-case
// verdict table, the summary line, and reading the answer itself.

#include <boost/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "api/submission_bodies.h"
#include "common/status.h"

namespace noj::cli {

namespace bj = boost::json;

// A submission as nojd answered it: the body (what --json prints, byte for byte) and its view.
struct SubmissionAnswer {
  bj::value body;
  api::SubmissionView view;
};
// Reads the answer to `request` ("GET /submissions/sn_…"); kInternal when it is not a submission.
Result<SubmissionAnswer> ReadSubmissionAnswer(std::string_view request, bj::value body);

// Table: task, case, verdict, time, memory, score (the task's score on its first case's row).
void PrintCaseTable(std::ostream& out, const api::SubmissionView& submission);

// "AC, score 100/100, 12 ms, 1.2 MiB" (or "pending").
std::string SummaryText(const api::SubmissionView& submission);

// True once the submission has a final verdict (status other than -1).
bool IsFinal(const api::SubmissionView& submission);

}  // namespace noj::cli

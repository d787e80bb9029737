#pragma once
// Scoring rules of protocol.md §3: task status = max case code, task score = taskScore only if
// every case is AC; submission status = max over tasks, score = sum, time and memory = max.
// A task with "scoring": "partial" (judging.md §2) scores floor(taskScore × mean of its cases'
// points) instead: AC 1, WA with a checker's points p → p, anything else 0.

#include "api/results.h"
#include "api/task_spec.h"
#include "common/status.h"

namespace noj::judge {

// Checks that `cases` fits `tasks` exactly (one inner list per task, case_count cases each);
// kInvalidArgument naming the first mismatch ("task 1 has 2 cases, expected 3").
Status CheckShape(const api::TaskSpecs& tasks, const api::ReportedCases& cases);

// REQUIRES: CheckShape(tasks, cases).ok()
api::SubmissionResult Aggregate(const api::TaskSpecs& tasks, const api::ReportedCases& cases);

// The result landed when a job exhausts its attempts: JE, score 0, no task detail.
api::SubmissionResult JudgeErrorResult();

// Cuts stdout/stderr of each case to `max_bytes` (keeping a valid UTF-8 prefix) into CaseOutputs.
std::vector<api::CaseOutput> TruncatedOutputs(const api::ReportedCases& cases, size_t max_bytes);

}  // namespace noj::judge

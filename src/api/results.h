#pragma once
// Judging results: what a runner reports per case, and what the server aggregates per task and
// per submission (protocol.md §2.4, §3). Plain data; rules live in judge/.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/verdict.h"

namespace noj::api {

struct CaseResult {
  Verdict status = Verdict::kJE;
  int exit_code = 0;
  int64_t exec_time_ms = 0;
  int64_t memory_kib = 0;
  std::string stdout_text;  // as reported; truncated when stored
  std::string stderr_text;
  // Extensions of judging.md §6 (a Normal-OJ runner never sends them): wallTime, points (0..1,
  // a checker's partial score), message (the checker's or interactor's text).
  std::optional<int64_t> wall_time_ms;
  std::optional<double> points;
  std::string message;
  bool operator==(const CaseResult&) const = default;
};

// The body of a complete request: one inner vector per task, one CaseResult per case.
using ReportedCases = std::vector<std::vector<CaseResult>>;

// Stored per case, without the outputs (they are stored apart, see CaseOutput).
struct CaseSummary {
  Verdict status = Verdict::kJE;
  int exit_code = 0;
  int64_t exec_time_ms = 0;
  int64_t memory_kib = 0;
  std::optional<int64_t> wall_time_ms;  // judging.md §6, when the runner sent them
  std::optional<double> points;
  std::string message;
  bool operator==(const CaseSummary&) const = default;
};

struct TaskResult {
  Verdict status = Verdict::kJE;
  int score = 0;
  int64_t exec_time_ms = 0;
  int64_t memory_kib = 0;
  std::vector<CaseSummary> cases;
  bool operator==(const TaskResult&) const = default;
};

struct SubmissionResult {
  Verdict status = Verdict::kJE;
  int score = 0;
  int64_t exec_time_ms = 0;
  int64_t memory_kib = 0;
  std::vector<TaskResult> tasks;  // empty for a Judge Error reached by exhaustion
  bool operator==(const SubmissionResult&) const = default;
};

struct CaseOutput {
  int task = 0;
  int case_index = 0;
  std::string stdout_text;
  std::string stderr_text;
  bool operator==(const CaseOutput&) const = default;
};

}  // namespace noj::api

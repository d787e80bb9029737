#pragma once
// One task (subtask) of a problem, as declared when the problem is created.

#include <cstdint>
#include <vector>

namespace noj::api {

// How a task's score is earned (judging.md §2): all its cases AC (Normal-OJ), or in proportion to
// the mean of its cases' points.
enum class TaskScoring { kAll, kPartial };

struct TaskSpec {
  int score = 0;                            // taskScore; scores of a problem sum to 100
  int case_count = 0;                       // caseCount, 1..99
  int64_t memory_limit_kib = 0;             // memoryLimit
  int64_t time_limit_ms = 0;                // timeLimit
  TaskScoring scoring = TaskScoring::kAll;  // "scoring": "all" | "partial"; absent means all
  bool operator==(const TaskSpec&) const = default;
};

using TaskSpecs = std::vector<TaskSpec>;

}  // namespace noj::api

#pragma once
// The client API's problem bodies (protocol.md §5, judging.md §2 and §6): POST /problems and its
// 201, GET /problems/{pid} (also the answer of PUT /problems/{pid}), PUT /problems/{pid} (a new
// version of the tasks and meta), the answer of PUT /problems/{pid}/testdata and the answer of
// POST /problems/{pid}/rejudge. `…ToJson` writes what the sender sends with the keys in the order
// the black-box suite pins; `…FromJson` reads with FieldReader's messages.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>

#include "api/problem_meta.h"
#include "api/task_spec.h"
#include "common/status.h"

namespace noj::api {

namespace bj = boost::json;

inline constexpr size_t kMaxProblemTitle = 256;

// POST /problems: "title" (required, 1..kMaxProblemTitle bytes), "tasks" (required, scores summing
// to 100) and the judging.md §2 meta keys next to them.
struct ProblemCreateRequest {
  std::string title;
  TaskSpecs tasks;
  ProblemMeta meta;
};
// Keys in order: title, tasks, then the meta keys that differ from the defaults.
bj::object ProblemCreateRequestToJson(const ProblemCreateRequest& r);
// kInvalidArgument naming the field: a title missing (absent or null), empty or too long, tasks
// missing or invalid (TaskSpecsFromJson), a meta key invalid (ProblemMetaFromJson). Other keys
// are ignored.
Result<ProblemCreateRequest> ProblemCreateRequestFromJson(const bj::object& body);

// Its 201: {"problem_id": N}.
struct ProblemCreated {
  int64_t problem_id = 0;
};
bj::object ProblemCreatedToJson(const ProblemCreated& r);
Result<ProblemCreated> ProblemCreatedFromJson(const bj::object& body);

// GET /problems/{pid}, and the 200 of PUT /problems/{pid}. Keys in order: problem_id, title,
// tasks, the meta keys that differ from the defaults (as GET /problem/{pid}/meta serves them),
// has_testdata, context_io, checksum (null without testdata), created_at, version.
struct ProblemView {
  int64_t problem_id = 0;
  std::string title;
  TaskSpecs tasks;
  ProblemMeta meta;
  bool has_testdata = false;
  bool context_io = false;
  std::string checksum;  // written only with testdata; "" → null
  int64_t created_at = 0;
  int64_t version = 0;  // judging.md §6; 0 when absent (an nojd older than versions)
};
bj::object ProblemViewToJson(const ProblemView& v);
// problem_id, title and tasks are required; tasks are read one by one (TaskSpecFromJson), so a
// stored problem is shown even if a newer problem-level rule would refuse it; the rest may be
// absent (their defaults above).
Result<ProblemView> ProblemViewFromJson(const bj::object& body);

// 200 of PUT /problems/{pid}/testdata: {"checksum": "<md5 hex>", "context_io": bool}.
struct TestdataUploaded {
  std::string checksum;
  bool context_io = false;
};
bj::object TestdataUploadedToJson(const TestdataUploaded& r);
// checksum is required; context_io may be absent (false).
Result<TestdataUploaded> TestdataUploadedFromJson(const bj::object& body);

// PUT /problems/{pid}: like POST /problems — "title" (optional here: kept when absent), "tasks"
// (required, scores summing to 100) and the judging.md §2 meta keys next to them. The body
// REPLACES tasks and meta: a meta key it leaves out is back to its default.
struct ProblemUpdateRequest {
  std::optional<std::string> title;
  TaskSpecs tasks;
  ProblemMeta meta;
};
// Keys in order: title (when set), tasks, then the meta keys that differ from the defaults.
bj::object ProblemUpdateRequestToJson(const ProblemUpdateRequest& r);
// kInvalidArgument naming the field: a title empty or longer than kMaxProblemTitle, tasks missing
// or invalid (TaskSpecsFromJson), a meta key invalid (ProblemMetaFromJson: unknown checker type…).
Result<ProblemUpdateRequest> ProblemUpdateRequestFromJson(const bj::object& body);

// 202 of POST /problems/{pid}/rejudge: {"queued": N}, the submissions rejudged.
struct RejudgeQueued {
  int64_t queued = 0;
};
bj::object RejudgeQueuedToJson(const RejudgeQueued& r);
Result<RejudgeQueued> RejudgeQueuedFromJson(const bj::object& body);

}  // namespace noj::api

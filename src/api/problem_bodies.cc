#include "api/problem_bodies.h"

#include "api/codec.h"
#include "api/field_reader.h"

namespace noj::api {
namespace {

bj::array TasksToJson(const TaskSpecs& tasks) {
  bj::array out;
  for (const TaskSpec& t : tasks) out.push_back(TaskSpecToMetaJson(t));
  return out;
}

// The title rule of creation and update: present titles are 1..kMaxProblemTitle bytes.
Status CheckTitle(const FieldReader& r, const std::string& title) {
  if (title.empty()) return r.Invalid("title", "must not be empty");
  if (title.size() > kMaxProblemTitle) return r.Invalid("title", "must be at most 256 characters");
  return Status::Ok();
}

}  // namespace

bj::object ProblemCreateRequestToJson(const ProblemCreateRequest& r) {
  bj::object o;
  o["title"] = r.title;
  o["tasks"] = TasksToJson(r.tasks);
  AppendProblemMetaJson(r.meta, o);
  return o;
}

Result<ProblemCreateRequest> ProblemCreateRequestFromJson(const bj::object& body) {
  FieldReader r(body, "", /*camel_names=*/false);
  ProblemCreateRequest out;
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> title, r.OptionalString("title"));
  if (!title) return r.Missing("title");
  NOJ_RETURN_IF_ERROR(CheckTitle(r, *title));
  out.title = std::move(*title);
  const bj::value* tasks = r.FindSet("tasks");
  if (tasks == nullptr) return r.Missing("tasks");
  NOJ_ASSIGN_OR_RETURN(out.tasks, TaskSpecsFromJson(*tasks));
  NOJ_ASSIGN_OR_RETURN(out.meta, ProblemMetaFromJson(body));
  return out;
}

bj::object ProblemCreatedToJson(const ProblemCreated& r) {
  return bj::object{{"problem_id", r.problem_id}};
}

Result<ProblemCreated> ProblemCreatedFromJson(const bj::object& body) {
  FieldReader r(body, "", /*camel_names=*/false);
  ProblemCreated out;
  NOJ_ASSIGN_OR_RETURN(out.problem_id, r.Int("problem_id", 1, kMaxJsonSafeInt));
  return out;
}

bj::object ProblemViewToJson(const ProblemView& v) {
  bj::object o;
  o["problem_id"] = v.problem_id;
  o["title"] = v.title;
  o["tasks"] = TasksToJson(v.tasks);
  AppendProblemMetaJson(v.meta, o);  // after tasks, as GET /problem/{pid}/meta serves them
  o["has_testdata"] = v.has_testdata;
  o["context_io"] = v.context_io;
  o["checksum"] = v.has_testdata ? bj::value(v.checksum) : bj::value(nullptr);
  o["created_at"] = v.created_at;
  o["version"] = v.version;
  return o;
}

Result<ProblemView> ProblemViewFromJson(const bj::object& body) {
  FieldReader r(body, "", /*camel_names=*/false);
  ProblemView out;
  NOJ_ASSIGN_OR_RETURN(out.problem_id, r.Int("problem_id", 1, kMaxJsonSafeInt));
  NOJ_ASSIGN_OR_RETURN(out.title, r.String("title"));
  const bj::value* tasks = r.Find("tasks");
  if (tasks == nullptr) return r.Missing("tasks");
  if (!tasks->is_array()) return r.Invalid("tasks", "must be an array");
  for (size_t i = 0; i < tasks->as_array().size(); ++i) {
    auto task = TaskSpecFromJson(tasks->as_array()[i]);
    if (!task.ok()) return InvalidAt("tasks[" + std::to_string(i) + "]", task.status().message());
    out.tasks.push_back(*task);
  }
  NOJ_ASSIGN_OR_RETURN(out.meta, ProblemMetaFromJson(body));
  NOJ_ASSIGN_OR_RETURN(std::optional<bool> has_testdata, r.OptionalBool("has_testdata"));
  out.has_testdata = has_testdata.value_or(false);
  NOJ_ASSIGN_OR_RETURN(std::optional<bool> context_io, r.OptionalBool("context_io"));
  out.context_io = context_io.value_or(false);
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> checksum, r.OptionalString("checksum"));
  out.checksum = checksum.value_or("");
  NOJ_ASSIGN_OR_RETURN(std::optional<int64_t> created_at,
                       r.OptionalInt("created_at", 0, kMaxJsonSafeInt));
  out.created_at = created_at.value_or(0);
  NOJ_ASSIGN_OR_RETURN(std::optional<int64_t> version,
                       r.OptionalInt("version", 0, kMaxJsonSafeInt));
  out.version = version.value_or(0);
  return out;
}

bj::object TestdataUploadedToJson(const TestdataUploaded& r) {
  return bj::object{{"checksum", r.checksum}, {"context_io", r.context_io}};
}

Result<TestdataUploaded> TestdataUploadedFromJson(const bj::object& body) {
  FieldReader r(body, "", /*camel_names=*/false);
  TestdataUploaded out;
  NOJ_ASSIGN_OR_RETURN(out.checksum, r.String("checksum"));
  NOJ_ASSIGN_OR_RETURN(std::optional<bool> context_io, r.OptionalBool("context_io"));
  out.context_io = context_io.value_or(false);
  return out;
}

bj::object ProblemUpdateRequestToJson(const ProblemUpdateRequest& r) {
  bj::object o;
  if (r.title) o["title"] = *r.title;
  o["tasks"] = TasksToJson(r.tasks);
  AppendProblemMetaJson(r.meta, o);
  return o;
}

Result<ProblemUpdateRequest> ProblemUpdateRequestFromJson(const bj::object& body) {
  FieldReader r(body, "", /*camel_names=*/false);
  ProblemUpdateRequest out;
  NOJ_ASSIGN_OR_RETURN(out.title, r.OptionalString("title"));
  if (out.title) NOJ_RETURN_IF_ERROR(CheckTitle(r, *out.title));
  const bj::value* tasks = r.Find("tasks");
  if (tasks == nullptr) return r.Missing("tasks");
  NOJ_ASSIGN_OR_RETURN(out.tasks, TaskSpecsFromJson(*tasks));
  NOJ_ASSIGN_OR_RETURN(out.meta, ProblemMetaFromJson(body));
  return out;
}

bj::object RejudgeQueuedToJson(const RejudgeQueued& r) { return bj::object{{"queued", r.queued}}; }

Result<RejudgeQueued> RejudgeQueuedFromJson(const bj::object& body) {
  FieldReader r(body, "", /*camel_names=*/false);
  RejudgeQueued out;
  NOJ_ASSIGN_OR_RETURN(out.queued, r.Int("queued", 0, kMaxJsonSafeInt));
  return out;
}

}  // namespace noj::api

#include "api/submission_bodies.h"

#include <algorithm>
#include <limits>

#include "api/codec.h"
#include "api/field_reader.h"
#include "api/job_payload.h"
#include "api/limits.h"

namespace noj::api {
namespace {

constexpr int64_t kInt64Min = std::numeric_limits<int64_t>::min();
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// Optional 0..2; absent or null gives `fallback`.
Result<int> ReadPriority(const FieldReader& r, int fallback) {
  const bj::value* v = r.FindSet("priority");
  if (v == nullptr) return fallback;
  bool out_of_range = false;
  std::optional<int64_t> p = IntegerOf(*v, &out_of_range);
  if (!p) return r.Invalid("priority", "must be an integer");
  if (!IsValidPriority(*p)) return r.Invalid("priority", "must be 0, 1 or 2");
  return static_cast<int>(*p);
}

}  // namespace

bj::object SubmitRequestToJson(const SubmitRequest& r) {
  bj::object o{{"problem_id", r.problem_id},
               {"language", r.language},
               {"code", r.code},
               {"priority", r.priority}};
  if (r.callback_url) o["callback_url"] = *r.callback_url;
  return o;
}

Result<SubmitRequest> SubmitRequestFromJson(const bj::object& body) {
  FieldReader reader(body);
  SubmitRequest r;
  NOJ_ASSIGN_OR_RETURN(r.problem_id, reader.Int("problem_id", kInt64Min, kInt64Max));
  const bj::value* lang = reader.FindSet("language");
  bool out_of_range = false;
  std::optional<int64_t> code = lang != nullptr ? IntegerOf(*lang, &out_of_range) : std::nullopt;
  if (!code || !IsValidLanguage(*code))
    return reader.Invalid("language",
                          "must be a code 0..63 other than 3 (0 C, 1 C++, 2 Python 3, 4 and up as "
                          "the runners' languages files define them)");
  r.language = static_cast<int>(*code);
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> source, reader.OptionalString("code"));
  if (!source || source->empty()) return reader.Invalid("code", "must not be empty");
  r.code = std::move(*source);
  NOJ_ASSIGN_OR_RETURN(r.priority, ReadPriority(reader, kPriorityNormal));
  NOJ_ASSIGN_OR_RETURN(r.callback_url, reader.OptionalString("callback_url"));
  return r;
}

bj::object SubmitResponseToJson(const SubmitResponse& r) {
  bj::object o;
  o["submission_id"] = r.submission_id;
  o["status"] = r.status;
  return o;
}

Result<SubmitResponse> SubmitResponseFromJson(const bj::object& body) {
  FieldReader reader(body);
  SubmitResponse r;
  NOJ_ASSIGN_OR_RETURN(r.submission_id, reader.String("submission_id"));
  NOJ_ASSIGN_OR_RETURN(std::optional<int64_t> status, reader.OptionalInt("status", -2, 7));
  r.status = static_cast<int>(status.value_or(-1));
  return r;
}

bj::object RejudgeRequestToJson(std::optional<int> priority) {
  bj::object o;
  if (priority) o["priority"] = *priority;
  return o;
}

Result<int> RejudgePriorityFromJson(const bj::object& body) {
  return ReadPriority(FieldReader(body), kPriorityBulk);
}

bj::object RejudgeResponseToJson(const std::string& job_id) {
  bj::object o;
  o["job_id"] = job_id;
  return o;
}

Result<std::string> RejudgeResponseFromJson(const bj::object& body) {
  return FieldReader(body).String("job_id");
}

bj::object CaseOutputToJson(const std::string& stdout_text, const std::string& stderr_text) {
  bj::object o;
  o["stdout"] = stdout_text;
  o["stderr"] = stderr_text;
  return o;
}

Result<CaseOutput> CaseOutputFromJson(const bj::object& body) {
  FieldReader reader(body);
  CaseOutput out;
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> out_text, reader.OptionalString("stdout"));
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> err_text, reader.OptionalString("stderr"));
  out.stdout_text = out_text.value_or("");
  out.stderr_text = err_text.value_or("");
  return out;
}

bj::object SubmissionViewToJson(const SubmissionView& v) {
  bj::object o;
  o["submission_id"] = v.submission_id;
  o["problem_id"] = v.problem_id;
  o["language"] = v.language;
  o["status"] = v.status;
  o["score"] = v.score;
  o["execTime"] = v.exec_time_ms;
  o["memoryUsage"] = v.memory_kib;
  o["attempts"] = v.attempts;
  o["created_at"] = v.created_at;
  o["judged_at"] = v.judged_at > 0 ? bj::value(v.judged_at) : bj::value(nullptr);
  bj::array tasks;
  if (v.result) {
    bj::object r = SubmissionResultToJson(*v.result);
    if (auto it = r.find("tasks"); it != r.end() && it->value().is_array())
      tasks = std::move(it->value().as_array());
  }
  o["tasks"] = std::move(tasks);
  o["priority"] = v.priority;
  o["job_state"] = v.job_state.empty() ? bj::value(nullptr) : bj::value(v.job_state);
  o["runner_id"] = v.runner_id.empty() ? bj::value(nullptr) : bj::value(v.runner_id);
  return o;
}

bj::object SubmissionListToJson(const std::vector<SubmissionView>& page,
                                const std::optional<std::string>& next_before) {
  bj::array items;
  for (const SubmissionView& v : page) items.push_back(SubmissionViewToJson(v));
  bj::object o;
  o["next_before"] = next_before ? bj::value(*next_before) : bj::value(nullptr);
  o["submissions"] = std::move(items);
  return o;
}

namespace {

// `path` locates the view in the document ("" alone, "submissions[3]" in a list).
Result<SubmissionView> ReadSubmissionView(const bj::value& body, const std::string& path) {
  if (!body.is_object()) return InvalidAt(path.empty() ? "submission" : path, "must be an object");
  FieldReader reader(body.as_object(), path);
  SubmissionView v;
  NOJ_ASSIGN_OR_RETURN(v.submission_id, reader.String("submission_id"));
  NOJ_ASSIGN_OR_RETURN(v.problem_id, reader.Int("problem_id", kInt64Min, kInt64Max));
  NOJ_ASSIGN_OR_RETURN(int64_t language, reader.Int("language", 0, kMaxLanguageCode));
  v.language = static_cast<int>(language);
  NOJ_ASSIGN_OR_RETURN(int64_t status, reader.Int("status", -2, 7));
  v.status = static_cast<int>(status);
  auto optional_int = [&reader](std::string_view name, int64_t lo, int64_t hi,
                                int64_t fallback) -> Result<int64_t> {
    NOJ_ASSIGN_OR_RETURN(std::optional<int64_t> n, reader.OptionalInt(name, lo, hi));
    return n.value_or(fallback);
  };
  NOJ_ASSIGN_OR_RETURN(int64_t score, optional_int("score", 0, 100, 0));
  v.score = static_cast<int>(score);
  NOJ_ASSIGN_OR_RETURN(v.exec_time_ms, optional_int("exec_time", 0, kMaxJsonSafeInt, 0));
  NOJ_ASSIGN_OR_RETURN(v.memory_kib, optional_int("memory_usage", 0, kMaxJsonSafeInt, 0));
  NOJ_ASSIGN_OR_RETURN(int64_t attempts, optional_int("attempts", 0, kMaxJsonSafeInt, 0));
  v.attempts = static_cast<int>(std::min<int64_t>(attempts, std::numeric_limits<int>::max()));
  NOJ_ASSIGN_OR_RETURN(v.created_at, optional_int("created_at", 0, kMaxJsonSafeInt, 0));
  NOJ_ASSIGN_OR_RETURN(v.judged_at, optional_int("judged_at", 0, kMaxJsonSafeInt, 0));
  const bj::value* tasks = reader.FindSet("tasks");
  if (tasks != nullptr && !tasks->is_array()) return reader.Invalid("tasks", "must be an array");
  bool listed = tasks != nullptr && !tasks->as_array().empty();
  if (v.status != kPendingCode || listed) {
    // The view carries the result's fields at its top level: decode them as one result.
    bj::object result{{"status", v.status},
                      {"score", v.score},
                      {"execTime", v.exec_time_ms},
                      {"memoryUsage", v.memory_kib},
                      {"tasks", tasks != nullptr ? *tasks : bj::array()}};
    auto decoded = SubmissionResultFromJson(result);
    if (!decoded.ok()) {
      if (path.empty()) return decoded.status();
      return InvalidArgumentError(path + "." + decoded.status().message());
    }
    v.result = std::move(decoded).value();
  }
  NOJ_ASSIGN_OR_RETURN(v.priority, ReadPriority(reader, kPriorityNormal));
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> job_state, reader.OptionalString("job_state"));
  v.job_state = job_state.value_or("");
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> runner_id, reader.OptionalString("runner_id"));
  v.runner_id = runner_id.value_or("");
  return v;
}

}  // namespace

Result<SubmissionView> SubmissionViewFromJson(const bj::value& body) {
  return ReadSubmissionView(body, "");
}

Result<SubmissionList> SubmissionListFromJson(const bj::object& body) {
  FieldReader reader(body);
  SubmissionList list;
  NOJ_ASSIGN_OR_RETURN(list.next_before, reader.OptionalString("next_before"));
  const bj::value* items = reader.FindSet("submissions");
  if (items == nullptr) return reader.Missing("submissions");
  if (!items->is_array()) return reader.Invalid("submissions", "must be an array");
  for (size_t i = 0; i < items->as_array().size(); ++i) {
    NOJ_ASSIGN_OR_RETURN(
        SubmissionView v,
        ReadSubmissionView(items->as_array()[i], "submissions[" + std::to_string(i) + "]"));
    list.submissions.push_back(std::move(v));
  }
  return list;
}

}  // namespace noj::api

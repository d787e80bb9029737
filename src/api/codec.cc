#include "api/codec.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "api/field_reader.h"
#include "common/json_util.h"

namespace noj::api {
namespace {

using internal::FieldReader;
using internal::InvalidAt;
using internal::kMaxJsonSafeInt;

constexpr int64_t kMaxTasks = 99;
constexpr int64_t kMaxCases = 99;
constexpr int64_t kMinMemoryKib = 1024;             // 1 MiB
constexpr int64_t kMaxMemoryKib = 4 * 1024 * 1024;  // 4 GiB
constexpr int64_t kMaxTimeMs = 60'000;
constexpr int64_t kMaxIdLength = 128;
constexpr int64_t kIntMin = std::numeric_limits<int>::min();
constexpr int64_t kIntMax = std::numeric_limits<int>::max();
// A case's message as a runner may send it (a checker's is cut to 1 KiB by the runner; the rest
// is room for a runner that adds context).
constexpr size_t kMaxMessageBytes = 4096;

std::string Index(std::string_view path, size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

// judging.md §2: "all" (Normal-OJ, also when absent) or "partial".
Result<TaskScoring> ReadScoring(const FieldReader& r) {
  const bj::value* v = r.Find("scoring");
  if (v == nullptr || v->is_null()) return TaskScoring::kAll;
  if (v->is_string() && v->as_string() == "all") return TaskScoring::kAll;
  if (v->is_string() && v->as_string() == "partial") return TaskScoring::kPartial;
  return r.Invalid("scoring", "must be \"all\" or \"partial\"");
}

// The optional case fields of judging.md §6, shared by the reported and the stored form.
struct CaseExtensions {
  std::optional<int64_t> wall_time_ms;
  std::optional<double> points;
  std::string message;
};

Result<CaseExtensions> ReadCaseExtensions(const FieldReader& r) {
  CaseExtensions e;
  NOJ_ASSIGN_OR_RETURN(e.wall_time_ms, r.OptionalInt("wall_time", 0, kMaxJsonSafeInt));
  if (const bj::value* p = r.Find("points"); p != nullptr && !p->is_null()) {
    double d = -1;
    if (p->is_double())
      d = p->as_double();
    else if (p->is_int64())
      d = static_cast<double>(p->as_int64());
    else if (p->is_uint64())
      d = static_cast<double>(p->as_uint64());
    if (!(d >= 0 && d <= 1)) return r.Invalid("points", "must be a number from 0 to 1");
    e.points = d;
  }
  if (const bj::value* m = r.Find("message"); m != nullptr && !m->is_null()) {
    if (!m->is_string()) return r.Invalid("message", "must be a string");
    if (m->as_string().size() > kMaxMessageBytes)
      return r.Invalid("message", "must be at most " + std::to_string(kMaxMessageBytes) + " bytes");
    e.message = std::string(m->as_string());
  }
  return e;
}

void WriteCaseExtensions(const std::optional<int64_t>& wall_time_ms,
                         const std::optional<double>& points, const std::string& message,
                         bj::object& o) {
  if (wall_time_ms) o["wallTime"] = *wall_time_ms;
  if (points) o["points"] = *points;
  if (!message.empty()) o["message"] = message;
}

// `score_required`: payloads of older servers carry no taskScore (the runner does not need it).
Result<TaskSpec> ParseTaskSpec(const bj::value& v, std::string path, bool score_required) {
  if (!v.is_object())
    return InvalidAt(path, path.empty() ? "task must be an object" : "must be an object");
  FieldReader r(v.as_object(), std::move(path), /*camel_names=*/true);
  TaskSpec t;
  if (score_required) {
    NOJ_ASSIGN_OR_RETURN(int64_t score, r.Int("task_score", 0, 100));
    t.score = static_cast<int>(score);
  } else {
    NOJ_ASSIGN_OR_RETURN(auto score, r.OptionalInt("task_score", 0, 100));
    t.score = static_cast<int>(score.value_or(0));
  }
  NOJ_ASSIGN_OR_RETURN(int64_t cases, r.Int("case_count", 1, kMaxCases));
  t.case_count = static_cast<int>(cases);
  NOJ_ASSIGN_OR_RETURN(t.memory_limit_kib, r.Int("memory_limit", kMinMemoryKib, kMaxMemoryKib));
  NOJ_ASSIGN_OR_RETURN(t.time_limit_ms, r.Int("time_limit", 1, kMaxTimeMs));
  NOJ_ASSIGN_OR_RETURN(t.scoring, ReadScoring(r));
  return t;
}

Result<TaskSpecs> ParseTaskSpecs(const bj::value& v, std::string_view path, bool score_required,
                                 bool check_sum) {
  if (!v.is_array()) return InvalidAt(path, "must be an array");
  const bj::array& a = v.as_array();
  if (a.empty()) return InvalidAt(path, "must not be empty");
  if (a.size() > static_cast<size_t>(kMaxTasks))
    return InvalidAt(path, "at most " + std::to_string(kMaxTasks) + " tasks are allowed");
  TaskSpecs out;
  out.reserve(a.size());
  int sum = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    NOJ_ASSIGN_OR_RETURN(TaskSpec t, ParseTaskSpec(a[i], Index(path, i), score_required));
    sum += t.score;
    out.push_back(t);
  }
  if (check_sum && sum != 100)
    return InvalidAt(path, "taskScore values sum to " + std::to_string(sum) + ", expected 100");
  return out;
}

// Ids end up in URL paths: non-empty, bounded, letters, digits, '_' and '-' only.
Result<std::string> ReadId(const FieldReader& r, std::string_view snake) {
  NOJ_ASSIGN_OR_RETURN(std::string id, r.String(snake));
  bool ok = !id.empty() && id.size() <= static_cast<size_t>(kMaxIdLength);
  for (char c : id)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-');
  if (!ok) return r.Invalid(snake, "must be a non-empty id of letters, digits, '_' and '-'");
  return id;
}

Result<CaseResult> ParseReportedCase(const bj::value& v, std::string path) {
  if (!v.is_object()) return InvalidAt(path, "must be an object");
  FieldReader r(v.as_object(), std::move(path), /*camel_names=*/true);
  CaseResult c;
  NOJ_ASSIGN_OR_RETURN(std::string status, r.String("status"));
  std::optional<Verdict> verdict = ParseCaseVerdict(status);
  if (!verdict) return r.Invalid("status", "unknown status " + internal::QuoteForMessage(status));
  c.status = *verdict;
  NOJ_ASSIGN_OR_RETURN(int64_t exit_code, r.Int("exit_code", kIntMin, kIntMax));
  c.exit_code = static_cast<int>(exit_code);
  NOJ_ASSIGN_OR_RETURN(c.exec_time_ms, r.Int("exec_time", 0, kMaxJsonSafeInt));
  NOJ_ASSIGN_OR_RETURN(c.memory_kib, r.Int("memory_usage", 0, kMaxJsonSafeInt));
  NOJ_ASSIGN_OR_RETURN(c.stdout_text, r.String("stdout"));
  NOJ_ASSIGN_OR_RETURN(c.stderr_text, r.String("stderr"));
  NOJ_ASSIGN_OR_RETURN(CaseExtensions e, ReadCaseExtensions(r));
  c.wall_time_ms = e.wall_time_ms;
  c.points = e.points;
  c.message = std::move(e.message);
  return c;
}

Result<Verdict> ReadVerdictCode(const FieldReader& r) {
  NOJ_ASSIGN_OR_RETURN(int64_t code, r.Int("status", std::numeric_limits<int64_t>::min(),
                                           std::numeric_limits<int64_t>::max()));
  std::optional<Verdict> v =
      code >= kIntMin && code <= kIntMax ? VerdictFromCode(static_cast<int>(code)) : std::nullopt;
  if (!v) return r.Invalid("status", "unknown status code " + std::to_string(code));
  return *v;
}

Result<CaseSummary> ParseCaseSummary(const bj::value& v, std::string path) {
  if (!v.is_object()) return InvalidAt(path, "must be an object");
  FieldReader r(v.as_object(), std::move(path), /*camel_names=*/true);
  CaseSummary c;
  NOJ_ASSIGN_OR_RETURN(c.status, ReadVerdictCode(r));
  NOJ_ASSIGN_OR_RETURN(c.exec_time_ms, r.Int("exec_time", 0, kMaxJsonSafeInt));
  NOJ_ASSIGN_OR_RETURN(c.memory_kib, r.Int("memory_usage", 0, kMaxJsonSafeInt));
  NOJ_ASSIGN_OR_RETURN(int64_t exit_code, r.Int("exit_code", kIntMin, kIntMax));
  c.exit_code = static_cast<int>(exit_code);
  NOJ_ASSIGN_OR_RETURN(CaseExtensions e, ReadCaseExtensions(r));
  c.wall_time_ms = e.wall_time_ms;
  c.points = e.points;
  c.message = std::move(e.message);
  return c;
}

Result<TaskResult> ParseTaskResult(const bj::value& v, std::string path) {
  if (!v.is_object()) return InvalidAt(path, "must be an object");
  FieldReader r(v.as_object(), path, /*camel_names=*/true);
  TaskResult t;
  NOJ_ASSIGN_OR_RETURN(t.status, ReadVerdictCode(r));
  NOJ_ASSIGN_OR_RETURN(int64_t score, r.Int("score", 0, 100));
  t.score = static_cast<int>(score);
  NOJ_ASSIGN_OR_RETURN(t.exec_time_ms, r.Int("exec_time", 0, kMaxJsonSafeInt));
  NOJ_ASSIGN_OR_RETURN(t.memory_kib, r.Int("memory_usage", 0, kMaxJsonSafeInt));
  const bj::value* cases = r.Find("cases");
  if (cases == nullptr) return r.Missing("cases");
  if (!cases->is_array()) return r.Invalid("cases", "must be an array");
  std::string cases_path = r.PathOf("cases");
  for (size_t j = 0; j < cases->as_array().size(); ++j) {
    NOJ_ASSIGN_OR_RETURN(CaseSummary c,
                         ParseCaseSummary(cases->as_array()[j], Index(cases_path, j)));
    t.cases.push_back(c);
  }
  return t;
}

}  // namespace

bj::object TaskSpecToMetaJson(const TaskSpec& t) {
  bj::object o;
  o["taskScore"] = t.score;
  o["caseCount"] = t.case_count;
  o["memoryLimit"] = t.memory_limit_kib;
  o["timeLimit"] = t.time_limit_ms;
  if (t.scoring == TaskScoring::kPartial) o["scoring"] = "partial";
  return o;
}

bj::object TaskSpecToPayloadJson(const TaskSpec& t, int task_id) {
  bj::object o = TaskSpecToMetaJson(t);
  o["task_id"] = task_id;
  o["case_count"] = t.case_count;
  o["memory_limit"] = t.memory_limit_kib;
  o["time_limit"] = t.time_limit_ms;
  return o;
}

Result<TaskSpec> TaskSpecFromJson(const bj::value& v) {
  return ParseTaskSpec(v, "", /*score_required=*/true);
}

Result<TaskSpecs> TaskSpecsFromJson(const bj::value& v) {
  return ParseTaskSpecs(v, "tasks", /*score_required=*/true, /*check_sum=*/true);
}

bj::object JobPayloadToJson(const JobPayload& p) {
  bj::object o;
  o["job_id"] = p.job_id;
  o["submission_id"] = p.submission_id;
  o["problem_id"] = p.problem_id;
  o["language"] = static_cast<int>(p.language);
  o["attempt"] = p.attempt;
  o["code_url"] = p.code_url;
  o["checker"] = nullptr;
  bj::array tasks;
  for (size_t i = 0; i < p.tasks.size(); ++i)
    tasks.push_back(TaskSpecToPayloadJson(p.tasks[i], static_cast<int>(i)));
  o["tasks"] = std::move(tasks);
  // Extensions (judging.md §6), only when known: a payload without them is Normal-OJ's.
  if (!p.checksum.empty()) o["checksum"] = p.checksum;
  if (p.problem_version > 0) o["problem_version"] = p.problem_version;
  return o;
}

Result<JobPayload> JobPayloadFromJson(const bj::object& body) {
  const bj::object* src = &body;
  if (json::Find(body, "job_id") == nullptr)
    if (const bj::value* data = body.if_contains("data"); data != nullptr && data->is_object())
      src = &data->as_object();
  FieldReader r(*src, "", /*camel_names=*/false);
  JobPayload p;
  NOJ_ASSIGN_OR_RETURN(p.job_id, ReadId(r, "job_id"));
  NOJ_ASSIGN_OR_RETURN(p.submission_id, ReadId(r, "submission_id"));
  NOJ_ASSIGN_OR_RETURN(p.problem_id, r.Int("problem_id", 1, std::numeric_limits<int64_t>::max()));
  NOJ_ASSIGN_OR_RETURN(int64_t language, r.Int("language", std::numeric_limits<int64_t>::min(),
                                               std::numeric_limits<int64_t>::max()));
  if (!IsValidLanguage(language))
    return r.Invalid("language", "unknown language " + std::to_string(language));
  p.language = static_cast<Language>(language);
  NOJ_ASSIGN_OR_RETURN(auto attempt, r.OptionalInt("attempt", 0, kIntMax));
  p.attempt = static_cast<int>(attempt.value_or(0));
  NOJ_ASSIGN_OR_RETURN(p.code_url, r.String("code_url"));
  if (p.code_url.empty()) return r.Invalid("code_url", "must not be empty");
  const bj::value* tasks = r.Find("tasks");
  if (tasks == nullptr) return r.Missing("tasks");
  NOJ_ASSIGN_OR_RETURN(
      p.tasks, ParseTaskSpecs(*tasks, "tasks", /*score_required=*/false, /*check_sum=*/false));
  NOJ_ASSIGN_OR_RETURN(auto checksum, r.OptionalString("checksum"));
  p.checksum = checksum.value_or("");
  NOJ_ASSIGN_OR_RETURN(auto version, r.OptionalInt("problem_version", 1, kMaxJsonSafeInt));
  p.problem_version = version.value_or(0);
  return p;
}

Result<ReportedCases> ReportedCasesFromJson(const bj::value& body) {
  if (!body.is_object()) return InvalidArgumentError("result body must be a JSON object");
  FieldReader r(body.as_object(), "", /*camel_names=*/true);
  const bj::value* tasks = r.Find("tasks");
  if (tasks == nullptr) return r.Missing("tasks");
  if (!tasks->is_array()) return r.Invalid("tasks", "must be an array");
  ReportedCases out;
  out.reserve(tasks->as_array().size());
  for (size_t i = 0; i < tasks->as_array().size(); ++i) {
    const bj::value& task = tasks->as_array()[i];
    std::string task_path = Index("tasks", i);
    if (!task.is_array()) return InvalidAt(task_path, "must be an array");
    std::vector<CaseResult> cases;
    cases.reserve(task.as_array().size());
    for (size_t j = 0; j < task.as_array().size(); ++j) {
      NOJ_ASSIGN_OR_RETURN(CaseResult c,
                           ParseReportedCase(task.as_array()[j], Index(task_path, j)));
      cases.push_back(std::move(c));
    }
    out.push_back(std::move(cases));
  }
  return out;
}

bj::object ReportedCasesToJson(const ReportedCases& cases) {
  bj::array tasks;
  for (const auto& task : cases) {
    bj::array list;
    for (const CaseResult& c : task) {
      bj::object o;
      o["status"] = VerdictName(c.status);
      o["exitCode"] = c.exit_code;
      o["execTime"] = c.exec_time_ms;
      o["memoryUsage"] = c.memory_kib;
      o["stdout"] = c.stdout_text;
      o["stderr"] = c.stderr_text;
      WriteCaseExtensions(c.wall_time_ms, c.points, c.message, o);
      list.push_back(std::move(o));
    }
    tasks.push_back(std::move(list));
  }
  bj::object body;
  body["tasks"] = std::move(tasks);
  return body;
}

bj::object SubmissionResultToJson(const SubmissionResult& r) {
  bj::object o;
  o["status"] = VerdictCode(r.status);
  o["score"] = r.score;
  o["execTime"] = r.exec_time_ms;
  o["memoryUsage"] = r.memory_kib;
  bj::array tasks;
  for (const TaskResult& t : r.tasks) {
    bj::object to;
    to["status"] = VerdictCode(t.status);
    to["score"] = t.score;
    to["execTime"] = t.exec_time_ms;
    to["memoryUsage"] = t.memory_kib;
    bj::array cases;
    for (const CaseSummary& c : t.cases) {
      bj::object co;
      co["status"] = VerdictCode(c.status);
      co["execTime"] = c.exec_time_ms;
      co["memoryUsage"] = c.memory_kib;
      co["exitCode"] = c.exit_code;
      WriteCaseExtensions(c.wall_time_ms, c.points, c.message, co);
      cases.push_back(std::move(co));
    }
    to["cases"] = std::move(cases);
    tasks.push_back(std::move(to));
  }
  o["tasks"] = std::move(tasks);
  return o;
}

Result<SubmissionResult> SubmissionResultFromJson(const bj::value& v) {
  if (!v.is_object()) return InvalidArgumentError("result must be a JSON object");
  FieldReader r(v.as_object(), "", /*camel_names=*/true);
  SubmissionResult out;
  NOJ_ASSIGN_OR_RETURN(out.status, ReadVerdictCode(r));
  NOJ_ASSIGN_OR_RETURN(int64_t score, r.Int("score", 0, 100));
  out.score = static_cast<int>(score);
  NOJ_ASSIGN_OR_RETURN(out.exec_time_ms, r.Int("exec_time", 0, kMaxJsonSafeInt));
  NOJ_ASSIGN_OR_RETURN(out.memory_kib, r.Int("memory_usage", 0, kMaxJsonSafeInt));
  const bj::value* tasks = r.Find("tasks");
  if (tasks == nullptr) return r.Missing("tasks");
  if (!tasks->is_array()) return r.Invalid("tasks", "must be an array");
  for (size_t i = 0; i < tasks->as_array().size(); ++i) {
    NOJ_ASSIGN_OR_RETURN(TaskResult t, ParseTaskResult(tasks->as_array()[i], Index("tasks", i)));
    out.tasks.push_back(std::move(t));
  }
  return out;
}

std::string TaskSpecsToText(const TaskSpecs& tasks) {
  bj::array arr;
  for (const TaskSpec& t : tasks) arr.push_back(TaskSpecToMetaJson(t));
  return json::Dump(arr);
}

Result<TaskSpecs> TaskSpecsFromText(const std::string& text) {
  NOJ_ASSIGN_OR_RETURN(bj::value v, json::Parse(text));
  if (!v.is_array()) return InvalidArgumentError("tasks is not an array");
  TaskSpecs tasks;
  for (const bj::value& item : v.as_array()) {
    NOJ_ASSIGN_OR_RETURN(TaskSpec t, TaskSpecFromJson(item));
    tasks.push_back(t);
  }
  return tasks;
}

std::string SubmissionResultToText(const SubmissionResult& result) {
  return json::Dump(SubmissionResultToJson(result));
}

Result<SubmissionResult> SubmissionResultFromText(const std::string& text) {
  NOJ_ASSIGN_OR_RETURN(bj::value v, json::Parse(text));
  return SubmissionResultFromJson(v);
}

}  // namespace noj::api

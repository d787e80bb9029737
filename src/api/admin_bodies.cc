#include "api/admin_bodies.h"

#include "api/field_reader.h"
#include "api/limits.h"

namespace noj::api {
namespace {

// Counts, times and ages are non-negative integers a JSON number keeps exactly.
Result<int64_t> Count(const FieldReader& r, std::string_view snake) {
  return r.Int(snake, 0, kMaxJsonSafeInt);
}

// Optional array of language codes 0..kMaxLanguageCode (absent or null: empty).
Result<std::vector<int>> LanguageList(const FieldReader& r) {
  std::vector<int> out;
  const bj::value* v = r.FindSet("languages");
  if (v == nullptr) return out;
  if (!v->is_array()) return r.Invalid("languages", "must be an array of language codes");
  for (const bj::value& item : v->as_array()) {
    bool out_of_range = false;
    std::optional<int64_t> code = IntegerOf(item, &out_of_range);
    if (!code || *code < 0 || *code > kMaxLanguageCode)
      return r.Invalid("languages", "must be an array of language codes");
    out.push_back(static_cast<int>(*code));
  }
  return out;
}

std::string IndexPath(std::string_view base, size_t i) {
  return std::string(base) + "[" + std::to_string(i) + "]";
}

Result<RunnerView> RunnerViewFromJson(const bj::value& v, std::string path) {
  if (!v.is_object()) return InvalidAt(path, "must be an object");
  FieldReader r(v.as_object(), std::move(path));
  RunnerView out;
  NOJ_ASSIGN_OR_RETURN(out.runner_id, r.String("runner_id"));
  NOJ_ASSIGN_OR_RETURN(out.name, r.String("name"));
  NOJ_ASSIGN_OR_RETURN(out.registered_at, Count(r, "registered_at"));
  NOJ_ASSIGN_OR_RETURN(out.last_seen, Count(r, "last_seen"));
  NOJ_ASSIGN_OR_RETURN(std::optional<bool> alive, r.OptionalBool("alive"));
  out.alive = alive.value_or(false);
  NOJ_ASSIGN_OR_RETURN(out.active_jobs, r.StringList("active_jobs", kMaxJobsPerHeartbeat,
                                                     "must be an array of job ids"));
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> sandbox, r.OptionalString("sandbox"));
  out.sandbox = sandbox.value_or("");
  NOJ_ASSIGN_OR_RETURN(out.languages, LanguageList(r));
  NOJ_ASSIGN_OR_RETURN(out.features,
                       r.StringList("features", 32, "must be an array of feature names"));
  if (const bj::value* speed = r.FindSet("speed_score"); speed != nullptr) {
    if (!speed->is_number()) return r.Invalid("speed_score", "must be a number or null");
    out.speed_score = speed->to_number<double>();
  }
  return out;
}

Result<QueueClassView> QueueClassViewFromJson(const bj::value& v, std::string path) {
  if (!v.is_object()) return InvalidAt(path, "must be an object");
  FieldReader r(v.as_object(), std::move(path));
  QueueClassView out;
  NOJ_ASSIGN_OR_RETURN(out.key, r.String("key"));
  NOJ_ASSIGN_OR_RETURN(out.label, r.String("label"));
  NOJ_ASSIGN_OR_RETURN(int64_t language, r.Int("language", 0, kMaxLanguageCode));
  out.language = static_cast<int>(language);
  NOJ_ASSIGN_OR_RETURN(out.features,
                       r.StringList("features", 32, "must be an array of feature names"));
  NOJ_ASSIGN_OR_RETURN(out.pending, Count(r, "pending"));
  NOJ_ASSIGN_OR_RETURN(out.oldest_pending_age_ms, Count(r, "oldest_pending_age_ms"));
  NOJ_ASSIGN_OR_RETURN(out.runners_able, Count(r, "runners_able"));
  return out;
}

}  // namespace

bj::object RunnerViewToJson(const RunnerView& r) {
  bj::object o;
  o["runner_id"] = r.runner_id;
  o["name"] = r.name;
  o["registered_at"] = r.registered_at;
  o["last_seen"] = r.last_seen;
  o["alive"] = r.alive;
  o["active_jobs"] = bj::value_from(r.active_jobs);
  o["sandbox"] = r.sandbox;
  o["languages"] = bj::value_from(r.languages);
  o["features"] = bj::value_from(r.features);
  if (r.speed_score)
    o["speed_score"] = *r.speed_score;
  else
    o["speed_score"] = nullptr;
  return o;
}

bj::array RunnersViewToJson(const std::vector<RunnerView>& runners) {
  bj::array out;
  for (const RunnerView& r : runners) out.push_back(RunnerViewToJson(r));
  return out;
}

Result<std::vector<RunnerView>> RunnersViewFromJson(const bj::value& body) {
  if (!body.is_array()) return InvalidArgumentError("runners: must be an array");
  std::vector<RunnerView> out;
  const bj::array& items = body.as_array();
  for (size_t i = 0; i < items.size(); ++i) {
    NOJ_ASSIGN_OR_RETURN(RunnerView r, RunnerViewFromJson(items[i], IndexPath("", i)));
    out.push_back(std::move(r));
  }
  return out;
}

bj::object RevokeResponseToJson(const RevokeResponse& r) {
  bj::object o;
  o["runner_id"] = r.runner_id;
  o["revoked"] = r.revoked;
  return o;
}

Result<RevokeResponse> RevokeResponseFromJson(const bj::object& body) {
  FieldReader r(body);
  RevokeResponse out;
  NOJ_ASSIGN_OR_RETURN(out.runner_id, r.String("runner_id"));
  NOJ_ASSIGN_OR_RETURN(std::optional<bool> revoked, r.OptionalBool("revoked"));
  out.revoked = revoked.value_or(false);
  return out;
}

bj::object QueueViewToJson(const QueueView& q) {
  bj::object pending;
  pending["0"] = q.pending[0];
  pending["1"] = q.pending[1];
  pending["2"] = q.pending[2];
  bj::object o;
  o["pending"] = std::move(pending);
  o["pending_total"] = q.PendingTotal();
  o["leased"] = q.leased;
  o["oldest_pending_age_ms"] = q.oldest_pending_age_ms;
  o["reclaimed_total"] = q.reclaimed_total;
  o["judge_error_total"] = q.judge_error_total;
  o["results_total"] = q.results_total;
  bj::array classes;
  for (const QueueClassView& c : q.classes) {
    bj::object co;
    co["key"] = c.key;
    co["label"] = c.label;
    co["language"] = c.language;
    co["features"] = bj::value_from(c.features);
    co["pending"] = c.pending;
    co["oldest_pending_age_ms"] = c.oldest_pending_age_ms;
    co["runners_able"] = c.runners_able;
    classes.push_back(std::move(co));
  }
  o["classes"] = std::move(classes);
  return o;
}

Result<QueueView> QueueViewFromJson(const bj::object& body) {
  FieldReader r(body);
  QueueView out;
  const bj::value* pending = r.Find("pending");
  if (pending == nullptr) return r.Missing("pending");
  if (!pending->is_object()) return r.Invalid("pending", "must be an object");
  FieldReader by_priority(pending->as_object(), "pending");
  for (int i = 0; i < 3; ++i) {
    NOJ_ASSIGN_OR_RETURN(out.pending[i], Count(by_priority, std::to_string(i)));
  }
  NOJ_ASSIGN_OR_RETURN(out.leased, Count(r, "leased"));
  NOJ_ASSIGN_OR_RETURN(out.oldest_pending_age_ms, Count(r, "oldest_pending_age_ms"));
  NOJ_ASSIGN_OR_RETURN(out.reclaimed_total, Count(r, "reclaimed_total"));
  NOJ_ASSIGN_OR_RETURN(out.judge_error_total, Count(r, "judge_error_total"));
  NOJ_ASSIGN_OR_RETURN(out.results_total, Count(r, "results_total"));
  if (const bj::value* classes = r.FindSet("classes")) {
    if (!classes->is_array()) return r.Invalid("classes", "must be an array");
    const bj::array& items = classes->as_array();
    for (size_t i = 0; i < items.size(); ++i) {
      NOJ_ASSIGN_OR_RETURN(QueueClassView c,
                           QueueClassViewFromJson(items[i], IndexPath("classes", i)));
      out.classes.push_back(std::move(c));
    }
  }
  return out;
}

bj::object HealthResponseToJson() {
  bj::object o;
  o["status"] = "ok";
  return o;
}

}  // namespace noj::api

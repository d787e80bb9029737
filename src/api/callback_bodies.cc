#include "api/callback_bodies.h"

#include "api/field_reader.h"
#include "api/limits.h"

namespace noj::api {
namespace {

Result<int64_t> DeliveryCount(const FieldReader& r, std::string_view snake) {
  return r.Int(snake, 0, kMaxJsonSafeInt);
}

std::string ItemPath(std::string_view base, size_t i) {
  return std::string(base) + "[" + std::to_string(i) + "]";
}

bj::object DeliveryViewToJson(const DeliveryView& d) {
  return bj::object{{"event_id", d.event_id},
                    {"submission_id", d.submission_id},
                    {"job_id", d.job_id},
                    {"url", d.url},
                    {"state", d.state},
                    {"leased", d.leased},
                    {"attempts", d.attempts},
                    {"created_at", d.created_at},
                    {"next_attempt_at", d.next_attempt_at},
                    {"last_attempt_at", d.last_attempt_at},
                    {"last_error", d.last_error}};
}

Result<DeliveryView> DeliveryViewFromJson(const bj::value& v, std::string path) {
  if (!v.is_object()) return InvalidAt(path, "must be an object");
  FieldReader r(v.as_object(), std::move(path));
  DeliveryView d;
  NOJ_ASSIGN_OR_RETURN(d.event_id, r.String("event_id"));
  NOJ_ASSIGN_OR_RETURN(d.submission_id, r.String("submission_id"));
  NOJ_ASSIGN_OR_RETURN(d.job_id, r.String("job_id"));
  NOJ_ASSIGN_OR_RETURN(d.url, r.String("url"));
  NOJ_ASSIGN_OR_RETURN(d.state, r.String("state"));
  NOJ_ASSIGN_OR_RETURN(std::optional<bool> leased, r.OptionalBool("leased"));
  d.leased = leased.value_or(false);
  NOJ_ASSIGN_OR_RETURN(d.attempts, DeliveryCount(r, "attempts"));
  NOJ_ASSIGN_OR_RETURN(d.created_at, DeliveryCount(r, "created_at"));
  NOJ_ASSIGN_OR_RETURN(d.next_attempt_at, DeliveryCount(r, "next_attempt_at"));
  NOJ_ASSIGN_OR_RETURN(d.last_attempt_at, DeliveryCount(r, "last_attempt_at"));
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> error, r.OptionalString("last_error"));
  d.last_error = error.value_or("");
  return d;
}

Result<DeliveryTargetView> TargetViewFromJson(const bj::value& v, std::string path) {
  if (!v.is_object()) return InvalidAt(path, "must be an object");
  FieldReader r(v.as_object(), std::move(path));
  DeliveryTargetView t;
  NOJ_ASSIGN_OR_RETURN(t.url, r.String("url"));
  NOJ_ASSIGN_OR_RETURN(t.pending, DeliveryCount(r, "pending"));
  NOJ_ASSIGN_OR_RETURN(t.dead, DeliveryCount(r, "dead"));
  NOJ_ASSIGN_OR_RETURN(t.oldest_pending_age_ms, DeliveryCount(r, "oldest_pending_age_ms"));
  return t;
}

}  // namespace

bj::object CallbacksViewToJson(const CallbacksView& v) {
  bj::array targets;
  for (const DeliveryTargetView& t : v.targets)
    targets.push_back(bj::object{{"url", t.url},
                                 {"pending", t.pending},
                                 {"dead", t.dead},
                                 {"oldest_pending_age_ms", t.oldest_pending_age_ms}});
  bj::array deliveries;
  for (const DeliveryView& d : v.deliveries) deliveries.push_back(DeliveryViewToJson(d));
  return bj::object{{"pending", v.pending},
                    {"leased", v.leased},
                    {"dead", v.dead},
                    {"oldest_pending_age_ms", v.oldest_pending_age_ms},
                    {"delivered_total", v.delivered_total},
                    {"superseded_total", v.superseded_total},
                    {"targets", std::move(targets)},
                    {"deliveries", std::move(deliveries)}};
}

Result<CallbacksView> CallbacksViewFromJson(const bj::value& body) {
  if (!body.is_object()) return InvalidAt("", "must be an object");
  FieldReader r(body.as_object());
  CallbacksView v;
  NOJ_ASSIGN_OR_RETURN(v.pending, DeliveryCount(r, "pending"));
  NOJ_ASSIGN_OR_RETURN(v.leased, DeliveryCount(r, "leased"));
  NOJ_ASSIGN_OR_RETURN(v.dead, DeliveryCount(r, "dead"));
  NOJ_ASSIGN_OR_RETURN(v.oldest_pending_age_ms, DeliveryCount(r, "oldest_pending_age_ms"));
  NOJ_ASSIGN_OR_RETURN(v.delivered_total, DeliveryCount(r, "delivered_total"));
  NOJ_ASSIGN_OR_RETURN(v.superseded_total, DeliveryCount(r, "superseded_total"));
  for (const char* key : {"targets", "deliveries"}) {
    const bj::value* list = r.FindSet(key);
    if (list == nullptr) continue;
    if (!list->is_array()) return r.Invalid(key, "must be an array");
    const bj::array& items = list->as_array();
    for (size_t i = 0; i < items.size(); ++i) {
      if (std::string_view(key) == "targets") {
        NOJ_ASSIGN_OR_RETURN(DeliveryTargetView t, TargetViewFromJson(items[i], ItemPath(key, i)));
        v.targets.push_back(std::move(t));
      } else {
        NOJ_ASSIGN_OR_RETURN(DeliveryView d, DeliveryViewFromJson(items[i], ItemPath(key, i)));
        v.deliveries.push_back(std::move(d));
      }
    }
  }
  return v;
}

bj::object RedeliverResponseToJson(const std::string& event_id) {
  return bj::object{{"event_id", event_id}, {"state", "pending"}};
}

}  // namespace noj::api

#include "api/runner_bodies.h"

#include <cmath>

#include "api/capabilities_codec.h"
#include "api/envelope.h"
#include "api/field_reader.h"
#include "api/limits.h"

namespace noj::api {
namespace {

constexpr int64_t kMaxConfigValue = 1'000'000;

// A config value the runner can use, else `fallback`.
int ConfigValue(const bj::object& config, std::string_view snake, int fallback) {
  const bj::value* v = json::Find(config, snake);
  bool out_of_range = false;
  std::optional<int64_t> n = v != nullptr ? IntegerOf(*v, &out_of_range) : std::nullopt;
  if (!n || *n <= 0 || *n > kMaxConfigValue) return fallback;
  return static_cast<int>(*n);
}

// `speed_score`: absent or null → nullopt; else a finite number in (0, kMaxSpeedScore]. Unlike
// `sandbox`, a wrong value is refused: it is ours alone, so a bad one is a bug worth seeing.
Result<std::optional<double>> SpeedScoreFromJson(const FieldReader& reader) {
  const bj::value* v = reader.FindSet("speed_score");
  if (v == nullptr) return std::optional<double>();
  double d = 0;
  if (v->is_double()) {
    d = v->get_double();
  } else if (v->is_int64()) {
    d = static_cast<double>(v->get_int64());
  } else if (v->is_uint64()) {
    d = static_cast<double>(v->get_uint64());
  } else {
    return reader.Invalid("speed_score", "must be a number");
  }
  if (!std::isfinite(d) || d <= 0 || d > kMaxSpeedScore)
    return reader.Invalid("speed_score", "must be a positive number of at most 1000000");
  return std::optional<double>(d);
}

}  // namespace

bj::object RegisterRequestToJson(const RegisterRequest& r) {
  bj::object o{{"registration_token", r.registration_token}, {"name", r.name}};
  if (!r.sandbox.empty()) o["sandbox"] = r.sandbox;
  AppendRunnerCapabilitiesJson(r.capabilities, o);
  if (r.speed_score) o["speed_score"] = *r.speed_score;
  return o;
}

Result<std::string> RegistrationTokenFromJson(const bj::object& body) {
  return FieldReader(body).String("registration_token");
}

Result<RegisterRequest> RegisterRequestFromJson(const bj::object& body) {
  FieldReader reader(body);
  RegisterRequest r;
  NOJ_ASSIGN_OR_RETURN(r.registration_token, reader.String("registration_token"));
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> name, reader.OptionalString("name"));
  if (name && !name->empty()) r.name = std::move(*name);
  if (r.name.size() > kMaxRunnerName)
    return reader.Invalid("name",
                          "must be at most " + std::to_string(kMaxRunnerName) + " characters");
  if (const bj::value* s = reader.Find("sandbox"); s != nullptr && s->is_string())
    r.sandbox = std::string(s->as_string());
  NOJ_ASSIGN_OR_RETURN(r.capabilities, RunnerCapabilitiesFromJson(body));
  NOJ_ASSIGN_OR_RETURN(r.speed_score, SpeedScoreFromJson(reader));
  return r;
}

bj::object RegisterResponseToJson(const RegisterResponse& r) {
  bj::object config;
  config["heartbeat_interval_sec"] = r.config.heartbeat_interval_sec;
  config["poll_interval_sec"] = r.config.poll_interval_sec;
  config["max_concurrent_jobs"] = r.config.max_concurrent_jobs;
  bj::object o;
  o["runner_id"] = r.runner_id;
  o["token"] = r.token;
  o["config"] = std::move(config);
  return o;
}

Result<RegisterResponse> RegisterResponseFromJson(const bj::object& body) {
  RegisterResponse r;
  for (auto [name, out] : {std::pair{"runner_id", &r.runner_id}, std::pair{"token", &r.token}}) {
    const bj::value* v = EnvelopeField(body, name);
    if (v == nullptr || !v->is_string() || v->as_string().empty())
      return InvalidArgumentError(std::string(name) + ": must be a non-empty string");
    *out = std::string(v->as_string());
  }
  if (const bj::value* c = EnvelopeField(body, "config"); c != nullptr && c->is_object()) {
    const bj::object& config = c->as_object();
    r.config.heartbeat_interval_sec =
        ConfigValue(config, "heartbeat_interval_sec", r.config.heartbeat_interval_sec);
    r.config.poll_interval_sec =
        ConfigValue(config, "poll_interval_sec", r.config.poll_interval_sec);
    r.config.max_concurrent_jobs =
        ConfigValue(config, "max_concurrent_jobs", r.config.max_concurrent_jobs);
  }
  return r;
}

bj::object HeartbeatRequestToJson(const HeartbeatRequest& r) {
  bj::array ids;
  for (const std::string& id : r.active_job_ids) ids.emplace_back(id);
  return bj::object{{"active_job_ids", std::move(ids)}, {"want_hints", r.want_hints}};
}

Result<HeartbeatRequest> HeartbeatRequestFromJson(const bj::object& body) {
  FieldReader reader(body);
  HeartbeatRequest r;
  NOJ_ASSIGN_OR_RETURN(r.active_job_ids, reader.StringList("active_job_ids", kMaxJobsPerHeartbeat,
                                                           "must be an array of job ids"));
  NOJ_ASSIGN_OR_RETURN(std::optional<bool> hints, reader.OptionalBool("want_hints"));
  r.want_hints = hints.value_or(false);
  return r;
}

bj::object HeartbeatResponseToJson(const HeartbeatResponse& r) {
  bj::array cancel;
  for (const std::string& id : r.cancel) cancel.emplace_back(id);
  return bj::object{{"cancel", std::move(cancel)}};
}

HeartbeatResponse HeartbeatResponseFromJson(const bj::object& body) {
  HeartbeatResponse r;
  const bj::value* list = EnvelopeField(body, "cancel");
  if (list == nullptr || !list->is_array()) return r;
  for (const bj::value& v : list->as_array())
    if (v.is_string()) r.cancel.emplace_back(v.as_string());
  return r;
}

bj::object AbortRequestToJson(const AbortRequest& r) { return bj::object{{"reason", r.reason}}; }

Result<AbortRequest> AbortRequestFromJson(const bj::object& body) {
  FieldReader reader(body);
  AbortRequest r;
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> reason, reader.OptionalString("reason"));
  r.reason = reason.value_or("");
  if (r.reason.size() > kMaxAbortReason)
    return reader.Invalid("reason",
                          "must be at most " + std::to_string(kMaxAbortReason) + " characters");
  return r;
}

}  // namespace noj::api

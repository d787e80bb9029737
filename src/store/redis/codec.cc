#include "store/redis/codec.h"

#include <boost/json.hpp>
#include <charconv>
#include <utility>

#include "api/codec.h"
#include "common/json_util.h"

namespace noj::store::redis {

namespace bj = boost::json;

namespace {

struct ErrorName {
  std::string_view name;
  ErrorCode code;
};
constexpr ErrorName kScriptErrors[] = {
    {"NOT_FOUND", ErrorCode::kNotFound},
    {"ALREADY_EXISTS", ErrorCode::kAlreadyExists},
    {"INVALID_ARGUMENT", ErrorCode::kInvalidArgument},
    {"FAILED_PRECONDITION", ErrorCode::kFailedPrecondition},
    {"ABORTED", ErrorCode::kAborted},
    {"RESOURCE_EXHAUSTED", ErrorCode::kResourceExhausted},
    {"INTERNAL", ErrorCode::kInternal},
};

// Reads required integer fields; the first missing or malformed one names the corruption.
class IntReader {
 public:
  explicit IntReader(const Fields& f) : f_(f) {}
  int64_t Get(std::string_view key) {
    auto it = f_.find(key);
    int64_t v = 0;
    if (it == f_.end() || !ParseInt(it->second, v)) {
      if (bad_.empty()) bad_ = std::string(key);
      return 0;
    }
    return v;
  }
  const std::string& bad() const { return bad_; }

 private:
  const Fields& f_;
  std::string bad_;
};

std::string Field(const Fields& f, std::string_view key) {
  auto it = f.find(key);
  return it == f.end() ? std::string() : it->second;
}

}  // namespace

const redisReply* Element(const redisReply& reply, size_t i) {
  if (reply.type != REDIS_REPLY_ARRAY || i >= reply.elements) return nullptr;
  return reply.element[i];
}

std::string Text(const redisReply* r) {
  if (r == nullptr) return "";
  if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) {
    return std::string(r->str, r->len);
  }
  if (r->type == REDIS_REPLY_INTEGER) return std::to_string(r->integer);
  return "";
}

bool ParseInt(std::string_view text, int64_t& out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool ParseInt(const redisReply* r, int64_t& out) {
  if (r == nullptr) return false;
  if (r->type == REDIS_REPLY_INTEGER) {
    out = r->integer;
    return true;
  }
  if (r->type != REDIS_REPLY_STRING) return false;
  return ParseInt(std::string_view(r->str, r->len), out);
}

Result<std::vector<std::string>> Strings(const redisReply* r) {
  if (r == nullptr || r->type != REDIS_REPLY_ARRAY) {
    return InternalError("redis: expected an array reply");
  }
  std::vector<std::string> out;
  out.reserve(r->elements);
  for (size_t i = 0; i < r->elements; ++i) out.push_back(Text(r->element[i]));
  return out;
}

Status ScriptStatus(const redisReply& reply, std::string_view script) {
  const std::string head = Text(Element(reply, 0));
  if (head == "OK") return Status::Ok();
  for (const ErrorName& e : kScriptErrors) {
    if (head == e.name) return Status(e.code, Text(Element(reply, 1)));
  }
  return InternalError("redis: script " + std::string(script) + " returned an unexpected reply");
}

Fields ToFields(const redisReply* flat) {
  Fields f;
  if (flat == nullptr || flat->type != REDIS_REPLY_ARRAY) return f;
  for (size_t i = 0; i + 1 < flat->elements; i += 2) {
    f.emplace(Text(flat->element[i]), Text(flat->element[i + 1]));
  }
  return f;
}

Result<JobRecord> DecodeJob(std::string job_id, const Fields& f) {
  JobRecord job;
  job.job_id = job_id.empty() ? Field(f, "id") : std::move(job_id);
  job.submission_id = Field(f, "sub");
  IntReader ints(f);
  job.problem_id = ints.Get("problem");
  job.language = static_cast<int>(ints.Get("language"));
  job.priority = static_cast<int>(ints.Get("priority"));
  job.attempts = static_cast<int>(ints.Get("attempts"));
  job.enqueued_at = ints.Get("enqueued_at");
  // class: absent on jobs written before requirement classes, which need their language only.
  const std::string req_class = Field(f, "class");
  const std::optional<api::JobRequirements> requirements =
      req_class.empty() ? std::optional(api::JobRequirements{job.language, 0})
                        : api::RequirementsFromKey(req_class);
  if (!requirements) {
    return InternalError("corrupted job " + job.job_id + ": requirement class '" + req_class + "'");
  }
  job.requirements = *requirements;
  // pver: absent on pending jobs and on leases written before problem versions (0: current).
  if (const std::string pver = Field(f, "pver");
      !pver.empty() && !ParseInt(pver, job.problem_version))
    return InternalError("corrupted job " + job.job_id + ": problem version '" + pver + "'");
  const std::string state = Field(f, "state");
  if (state == "leased") {
    job.state = JobState::kLeased;
    job.runner_id = Field(f, "runner");
    job.lease_deadline = ints.Get("deadline");
    if (job.runner_id.empty() && ints.bad().empty()) {
      return InternalError("corrupted job " + job.job_id + ": leased without a runner");
    }
  } else if (state != "pending") {
    return InternalError("corrupted job " + job.job_id + ": state '" + state + "'");
  }
  if (!ints.bad().empty()) {
    return InternalError("corrupted job " + job.job_id + ": field " + ints.bad());
  }
  return job;
}

Result<SubmissionRecord> DecodeSubmission(const redisReply& reply) {
  SubmissionRecord s;
  s.submission_id = Text(Element(reply, 0));
  const Fields f = ToFields(Element(reply, 1));
  IntReader ints(f);
  s.problem_id = ints.Get("problem");
  s.language = static_cast<int>(ints.Get("language"));
  s.priority = static_cast<int>(ints.Get("priority"));
  s.status = static_cast<int>(ints.Get("status"));
  s.score = static_cast<int>(ints.Get("score"));
  s.exec_time_ms = ints.Get("time");
  s.memory_kib = ints.Get("memory");
  s.attempts = static_cast<int>(ints.Get("attempts"));
  s.created_at = ints.Get("created_at");
  s.judged_at = ints.Get("judged_at");
  s.current_job_id = Field(f, "current_job");
  s.callback_url = Field(f, "callback_url");  // absent: none (and on older submissions)
  if (!ints.bad().empty()) {
    return InternalError("corrupted submission " + s.submission_id + ": field " + ints.bad());
  }
  if (auto it = f.find("result"); it != f.end()) {
    auto result = ResultFromText(it->second);
    if (!result.ok()) {
      return InternalError("corrupted result of " + s.submission_id + ": " +
                           result.status().message());
    }
    s.result = std::move(result).value();
  }
  s.job_state = Text(Element(reply, 2));
  s.runner_id = Text(Element(reply, 3));
  return s;
}

Result<RunnerRecord> DecodeRunner(std::string runner_id, const redisReply& reply, size_t first) {
  RunnerRecord r;
  r.runner_id = std::move(runner_id);
  r.name = Text(Element(reply, first));
  r.token_sha256 = Text(Element(reply, first + 1));
  if (!ParseInt(Element(reply, first + 2), r.registered_at) ||
      !ParseInt(Element(reply, first + 3), r.last_seen) ||
      !ParseInt(Element(reply, first + 4), r.expires_at)) {
    return InternalError("corrupted runner " + r.runner_id);
  }
  r.sandbox = Text(Element(reply, first + 5));  // nil (older identities) reads as ""
  // nil (older identities) reads as "": the default of a runner that declared nothing.
  auto capabilities = api::RunnerCapabilitiesFromText(Text(Element(reply, first + 6)));
  if (!capabilities.ok()) {
    return InternalError("corrupted runner " + r.runner_id + ": " +
                         capabilities.status().message());
  }
  r.capabilities = std::move(capabilities).value();
  r.speed_score = SpeedScoreFromText(Text(Element(reply, first + 7)));  // nil reads as ""
  return r;
}

std::string SpeedScoreToText(double score) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, score);
  return ec == std::errc() ? std::string(buf, end) : std::string();
}

std::optional<double> SpeedScoreFromText(std::string_view text) {
  double d = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return d;
}

Result<ProblemRecord> DecodeProblem(int64_t problem_id, const Fields& f) {
  ProblemRecord p;
  p.problem_id = problem_id;
  p.title = Field(f, "title");
  p.checksum = Field(f, "checksum");
  IntReader ints(f);
  p.has_testdata = ints.Get("has_testdata") != 0;
  p.created_at = ints.Get("created_at");
  const std::string where = "corrupted problem " + std::to_string(problem_id);
  if (!ints.bad().empty()) return InternalError(where + ": field " + ints.bad());
  auto tasks = TaskSpecsFromText(Field(f, "tasks"));
  if (!tasks.ok()) return InternalError(where + ": " + tasks.status().message());
  p.tasks = std::move(tasks).value();
  // Both fields are absent from problems written before judging.md §2: plain, SimpleIO.
  auto meta = api::ProblemMetaFromText(Field(f, "meta"));
  if (!meta.ok()) return InternalError(where + ": meta: " + meta.status().message());
  p.meta = std::move(meta).value();
  p.context_io = Field(f, "context_io") == "1";
  // version: absent on problems written before versions (judging.md §6), which are at 1.
  if (const std::string v = Field(f, "version"); !v.empty() && !ParseInt(v, p.version))
    return InternalError(where + ": version '" + v + "'");
  return p;
}

Result<DeliveryRecord> DecodeDelivery(std::string event_id, const Fields& f) {
  DeliveryRecord d;
  d.event_id = std::move(event_id);
  d.submission_id = Field(f, "sub");
  d.job_id = Field(f, "job");
  d.url = Field(f, "url");
  d.lease_owner = Field(f, "lease_owner");
  d.last_error = Field(f, "last_error");
  IntReader ints(f);
  d.attempts = static_cast<int>(ints.Get("attempts"));
  d.created_at = ints.Get("created_at");
  d.next_attempt_at = ints.Get("next_attempt_at");
  d.lease_until = ints.Get("lease_until");
  d.last_attempt_at = ints.Get("last_attempt_at");
  const std::string where = "corrupted delivery " + d.event_id;
  if (!ints.bad().empty()) return InternalError(where + ": field " + ints.bad());
  const std::string state = Field(f, "state");
  if (state == "dead") {
    d.state = DeliveryState::kDead;
  } else if (state != "pending") {
    return InternalError(where + ": state '" + state + "'");
  }
  return d;
}

}  // namespace noj::store::redis

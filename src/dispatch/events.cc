#include "dispatch/events.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <iterator>

#include "common/json_util.h"
#include "common/logging.h"

namespace noj::dispatch {
namespace {

// Appends " key=value".
template <typename T>
void Field(std::string& out, std::string_view key, const T& value) {
  fmt::format_to(std::back_inserter(out), " {}={}", key, value);
}
// The free-text fields are quoted so that a value cannot forge another field.
std::string Dumped(const std::string& text) { return json::PythonDumps(boost::json::string(text)); }

// job= submission= runner= [attempt=], the lease a runner request named.
void LeaseFields(std::string& out, const Event& e) {
  Field(out, "job", e.job);
  Field(out, "submission", e.submission);
  Field(out, "runner", e.runner);
  Field(out, "attempt", e.attempt);
}

void AppendFields(std::string& out, const Event& e) {
  switch (e.kind) {
    case EventKind::kRunnerRegistered:
      Field(out, "runner", e.runner);
      Field(out, "name", logging::Quote(e.name));
      Field(out, "sandbox", Dumped(e.sandbox));
      Field(out, "languages", e.languages);
      Field(out, "features", e.features);
      return;
    case EventKind::kRunnerRevoked:
      Field(out, "runner", e.runner);
      return;
    case EventKind::kRunnersForgotten:
      Field(out, "count", e.count);
      return;
    case EventKind::kEnqueued:
      Field(out, "submission", e.submission);
      Field(out, "job", e.job);
      Field(out, "problem", e.problem);
      Field(out, "priority", e.priority);
      Field(out, "class", e.job_class);
      return;
    case EventKind::kRejudge:
      Field(out, "submission", e.submission);
      Field(out, "job", e.job);
      Field(out, "priority", e.priority);
      Field(out, "class", e.job_class);
      return;
    case EventKind::kProblemRejudged:
      Field(out, "problem", e.problem);
      Field(out, "status", e.status);
      Field(out, "queued", e.count);
      return;
    case EventKind::kClaimed:
      LeaseFields(out, e);
      return;
    case EventKind::kReclaimed:
      Field(out, "job", e.job);
      Field(out, "submission", e.submission);
      Field(out, "runner", e.runner);
      Field(out, "previous", e.previous);
      Field(out, "attempt", e.attempt);
      return;
    case EventKind::kClaimBoundReached:
      Field(out, "runner", e.runner);
      Field(out, "leases", e.count);
      return;
    case EventKind::kLanded:
      LeaseFields(out, e);
      Field(out, "status", api::VerdictCode(e.verdict));
      Field(out, "score", e.score);
      return;
    case EventKind::kStaleResultDropped:
      LeaseFields(out, e);
      return;
    case EventKind::kAborted:
      LeaseFields(out, e);
      Field(out, "reason", Dumped(e.reason));
      return;
    case EventKind::kJudgeError:
    case EventKind::kStaleJobDiscarded:
      // From a runner's abort: the whole lease; from a claim or the reaper: what the store said.
      if (!e.job.empty()) Field(out, "job", e.job);
      if (!e.submission.empty()) Field(out, "submission", e.submission);
      if (!e.runner.empty()) Field(out, "runner", e.runner);
      if (e.attempt > 0) Field(out, "attempt", e.attempt);
      if (e.kind == EventKind::kJudgeError) Field(out, "reason", JeReasonName(e.je_reason));
      if (!e.source.empty()) Field(out, "source", e.source);
      return;
    case EventKind::kLeaseConflict:
      Field(out, "endpoint", EndpointName(e.endpoint));
      Field(out, "job", e.job);
      Field(out, "runner", e.runner);
      return;
  }
}

}  // namespace

std::string_view EventName(EventKind kind) {
  switch (kind) {
#define NOJ_DISPATCH_EVENT_NAME(kind, name, level) \
  case EventKind::kind:                            \
    return name;
    NOJ_DISPATCH_EVENTS(NOJ_DISPATCH_EVENT_NAME)
#undef NOJ_DISPATCH_EVENT_NAME
  }
  return "unknown";
}

std::string_view JeReasonName(JeReason reason) {
  switch (reason) {
    case JeReason::kExhausted:
      return "exhausted";
    case JeReason::kAbortAtMaxAttempts:
      return "abort_at_max_attempts";
    case JeReason::kCorrupt:
      return "corrupt";
    case JeReason::kProblemMissing:
      return "problem_missing";
  }
  return "unknown";
}

std::string_view EndpointName(Endpoint endpoint) {
  return endpoint == Endpoint::kComplete ? "complete" : "abort";
}

std::string FormatEvent(const Event& event) {
  std::string out = "event=";
  out += EventName(event.kind);
  AppendFields(out, event);
  return out;
}

void Emit(EventSink& sink, const Event& event) {
  spdlog::level::level_enum level = spdlog::level::info;
  switch (event.kind) {
#define NOJ_DISPATCH_EVENT_LEVEL(kind, name, lvl) \
  case EventKind::kind:                           \
    level = spdlog::level::lvl;                   \
    break;
    NOJ_DISPATCH_EVENTS(NOJ_DISPATCH_EVENT_LEVEL)
#undef NOJ_DISPATCH_EVENT_LEVEL
  }
  if (spdlog::should_log(level)) spdlog::log(level, "{}", FormatEvent(event));
  sink.Count(event);
}

}  // namespace noj::dispatch

#pragma once
// The domain events of the job lifecycle: ONE list (NOJ_DISPATCH_EVENTS), each logged under one
// name and counted in one place, by Emit(), AFTER the store answered (never inside a transaction).
// The names and key=value fields are what operators and the chaos verifier read
// (`event=landed job=… submission=…`); keep them stable.
//
// EventSink is where the counting goes (server::ServerMetrics implements it); the log line is
// written by Emit itself, so the line and the count cannot disagree.

#include <cstdint>
#include <string>
#include <string_view>

#include "api/verdict.h"

namespace noj::dispatch {

// X(kind, "log name", spdlog level)
#define NOJ_DISPATCH_EVENTS(X)                         \
  X(kRunnerRegistered, "runner_registered", info)      \
  X(kRunnerRevoked, "runner_revoked", info)            \
  X(kRunnersForgotten, "runners_forgotten", info)      \
  X(kEnqueued, "enqueued", info)                       \
  X(kRejudge, "rejudge", info)                         \
  X(kProblemRejudged, "problem_rejudged", info)        \
  X(kClaimed, "claimed", info)                         \
  X(kReclaimed, "reclaimed", info)                     \
  X(kClaimBoundReached, "claim_bound_reached", warn)   \
  X(kLanded, "landed", info)                           \
  X(kStaleResultDropped, "stale_result_dropped", info) \
  X(kAborted, "aborted", info)                         \
  X(kJudgeError, "judge_error", warn)                  \
  X(kStaleJobDiscarded, "stale_job_discarded", info)   \
  X(kLeaseConflict, "lease_conflict", debug)

enum class EventKind {
#define NOJ_DISPATCH_EVENT_ENUM(kind, name, level) kind,
  NOJ_DISPATCH_EVENTS(NOJ_DISPATCH_EVENT_ENUM)
#undef NOJ_DISPATCH_EVENT_ENUM
};

// The name an event is logged under ("landed").
std::string_view EventName(EventKind kind);

// Why a submission was given Judge Error (the `reason=` of event=judge_error).
enum class JeReason {
  kExhausted,           // a lease expired at the last attempt (found by a claim or the reaper)
  kAbortAtMaxAttempts,  // the runner gave the job back at its last attempt
  kCorrupt,             // the job record could not be read
  kProblemMissing,      // the job's problem (version) cannot be read: it can never be judged
};
std::string_view JeReasonName(JeReason reason);

// Which runner request a lease conflict (409) answered.
enum class Endpoint { kComplete, kAbort };
std::string_view EndpointName(Endpoint endpoint);

// One event. Only the members its kind uses are set (the others keep their defaults and are not
// logged); events.cc writes each kind's fields in a fixed order.
struct Event {
  EventKind kind = EventKind::kClaimed;
  std::string job;
  std::string submission;
  std::string runner;
  std::string previous;  // reclaimed: the holder of the expired lease
  int attempt = 0;       // 0: not known (not logged)
  int64_t problem = 0;
  int priority = 0;
  std::string job_class;  // api::RequirementsKey, or "kept"
  api::Verdict verdict = api::Verdict::kPending;
  int score = 0;
  JeReason je_reason = JeReason::kExhausted;
  std::string reason;  // aborted: the runner's reason (free text, quoted when logged)
  std::string source;  // "reaper" when the reaper found it; empty otherwise
  std::string status;  // problem_rejudged: the status filter ("any" or a code)
  int64_t count = 0;   // runners_forgotten, problem_rejudged (queued), claim_bound_reached (leases)
  // claimed: enqueue → claim; landed: enqueue → landed; -1 when unknown.
  int64_t latency_ms = -1;
  Endpoint endpoint = Endpoint::kComplete;
  // runner_registered
  std::string name;
  std::string sandbox;
  std::string languages;  // "0,1,2"
  std::string features;   // "checker,interactive"
};

// Counts events (metrics). Implementations are thread-safe and cheap: Count runs on request
// threads after each transition.
class EventSink {
 public:
  EventSink() = default;
  EventSink(const EventSink&) = delete;
  EventSink& operator=(const EventSink&) = delete;
  virtual ~EventSink() = default;
  virtual void Count(const Event& event) = 0;
};

// The log line of an event, without the timestamp and level: "event=landed job=… submission=…".
std::string FormatEvent(const Event& event);

// Logs the event once (at its kind's level) and counts it in `sink`.
void Emit(EventSink& sink, const Event& event);

}  // namespace noj::dispatch

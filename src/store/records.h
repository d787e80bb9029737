#pragma once
// Plain records the Store reads and writes. Times are epoch milliseconds from the caller's Clock.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/limits.h"
#include "api/problem_meta.h"
#include "api/requirements.h"
#include "api/results.h"
#include "api/task_spec.h"
#include "api/verdict.h"

namespace noj::store {

// The status of a submission without a final result (api::Verdict::kPending, -1).
inline constexpr int kPendingStatus = api::kPendingCode;

struct NewProblem {
  std::string title;
  api::TaskSpecs tasks;
  api::ProblemMeta meta;  // judging.md §2 extensions; default for a Normal-OJ problem
};

struct ProblemRecord {
  int64_t problem_id = 0;
  std::string title;
  api::TaskSpecs tasks;
  bool has_testdata = false;
  std::string checksum;  // md5 hex per protocol.md §2.6; empty without testdata
  int64_t created_at = 0;
  api::ProblemMeta meta;
  bool context_io = false;  // the testdata uses the ContextIO layout (judging.md §1)
  // Every write of testdata or of tasks/meta makes a new version (judging.md §6): 1 at creation.
  int64_t version = 1;
};

// UpdateProblem: the new tasks and meta of a problem, replacing the current ones (judging.md §6).
struct ProblemUpdate {
  std::string title;
  api::TaskSpecs tasks;
  api::ProblemMeta meta;
  // Over the kept testdata and the new meta (protocol.md §2.6); empty when it has no testdata.
  std::string checksum;
  // What the problem's jobs need besides their language from now on: the feature bits of
  // judge::RequirementsOf(language, meta, context_io), the same for every language.
  uint32_t features = 0;
  int64_t expected_version = 0;  // compare-and-set: the version the caller read and checked
};

// WriteTestdata: a new testdata zip (a new version of the problem).
struct TestdataWrite {
  std::string zip;
  std::string checksum;
  bool context_io = false;  // the zip uses the ContextIO layout (judging.md §1)
  // As ProblemUpdate::features; nullopt keeps the classes of the pending jobs as they are.
  std::optional<uint32_t> features;
  std::optional<int64_t> expected_version;  // compare-and-set when set
};

// What a new version did.
struct VersionOutcome {
  int64_t version = 0;    // the problem's new version
  int64_t reclassed = 0;  // pending jobs moved to another requirement class
};

// RejudgeProblem: one batch of a problem's submissions, newest first.
struct ProblemRejudge {
  std::optional<int> status;          // only submissions whose current status is this
  std::optional<std::string> before;  // only submissions older than this id (the batch cursor)
  // One per submission to rejudge, in order; their number is the batch's size.
  std::vector<std::string> new_job_ids;
  int priority = 2;
  uint32_t features = 0;         // as ProblemUpdate::features: the new jobs' class
  int64_t expected_version = 0;  // compare-and-set: the version `features` was computed from
};

struct ProblemRejudgeOutcome {
  std::vector<std::string> submission_ids;  // rejudged, newest first
  bool done = false;  // no older submission matches: the caller's loop is over
};

struct RunnerRecord {
  std::string runner_id;
  std::string name;
  std::string token_sha256;  // hex; the token itself is never stored
  int64_t registered_at = 0;
  int64_t last_seen = 0;
  int64_t expires_at = 0;  // identity TTL; heartbeats extend it
  // The sandbox protections the runner reported at registration (docs/protocol.md, an extension);
  // empty when it did not say. Display only: nothing is decided on it.
  std::string sandbox;
  // What it declared it can judge (judging.md §5); the default for a runner that said nothing.
  api::RunnerCapabilities capabilities;
  // The speed it measured at start (docs/runner.md, "Speed score"; an extension); nullopt when
  // it did not say. Display only, like `sandbox`.
  std::optional<double> speed_score;
};

struct RunnerInfo {
  RunnerRecord runner;
  std::vector<std::string> active_jobs;  // jobs this runner currently holds a lease on
};

// Enqueue: create the submission and its first job in one step (INV6).
struct NewSubmission {
  std::string submission_id;
  std::string job_id;
  int64_t problem_id = 0;
  int language = 0;
  std::string code;
  int priority = 1;                   // 0 contest, 1 normal, 2 rejudge/bulk
  api::JobRequirements requirements;  // of its jobs (judging.md §5); .language == language
  // Where its final results are POSTed (docs/callbacks.md); empty: none. Checked by the server
  // against the operator's allow-list before it gets here; the store keeps it as given.
  std::string callback_url;
};

enum class JobState { kPending, kLeased };

struct JobRecord {
  std::string job_id;
  std::string submission_id;
  int64_t problem_id = 0;
  int language = 0;
  int priority = 1;
  JobState state = JobState::kPending;
  int attempts = 0;            // claims so far (the lease's fencing number while leased)
  std::string runner_id;       // holder while leased
  int64_t lease_deadline = 0;  // while leased
  int64_t enqueued_at = 0;
  api::JobRequirements requirements;  // only runners that can take it may claim it
  // The problem version its lease judges, set by Claim (judging.md §6); 0 while pending.
  int64_t problem_version = 0;
};

struct SubmissionRecord {
  std::string submission_id;
  int64_t problem_id = 0;
  int language = 0;
  int priority = 1;
  int status = kPendingStatus;  // api::Verdict code; kPendingStatus until a result lands
  int score = 0;
  int64_t exec_time_ms = 0;
  int64_t memory_kib = 0;
  int attempts = 0;  // of the current job
  int64_t created_at = 0;
  int64_t judged_at = 0;  // 0 until final
  std::string current_job_id;
  std::optional<api::SubmissionResult> result;  // set once final
  // Of the current job while it exists: "pending" or "leased", its runner when leased.
  std::string job_state;
  std::string runner_id;
  std::string callback_url;  // as enqueued; empty: none
};

struct SubmissionFilter {
  std::optional<int64_t> problem_id;
  std::optional<int> status;
  int limit = 50;
  std::optional<std::string> before;  // submission id: only older ones (ids sort by time)
};

// Pending jobs of one requirement class (judging.md §5).
struct ClassQueueStats {
  api::JobRequirements requirements;
  int64_t pending = 0;
  int64_t oldest_pending_enqueued_at = 0;
};

struct QueueStats {
  int64_t pending[3] = {0, 0, 0};  // by priority
  int64_t leased = 0;
  int64_t oldest_pending_enqueued_at = 0;  // 0 when nothing is pending
  int64_t reclaimed_total = 0;             // orphans reclaimed since the store was created
  int64_t judge_error_total = 0;           // submissions converged to JE
  // Final results written (landed by a runner, or JE) — a rate source for dashboards. Counted from
  // the version that added it: a store created earlier starts at 0.
  int64_t results_total = 0;
  std::vector<ClassQueueStats> classes;  // every class with pending jobs, by key
};

// Monotonic counters of a store since it was opened (Store::Counters), for /metrics and benches.
struct StoreCounters {
  int64_t transitions = 0;  // write transitions run (each one atomic step)
  // SQLite: transactions committed; with group commit several transitions share one (and one
  // fsync), so transitions / commits is the mean batch size.
  int64_t commits = 0;
  // Redis: network round trips (one write of commands, one read of their replies: a pipelined
  // batch is one) and the commands they carried.
  int64_t round_trips = 0;
  int64_t commands = 0;
};

// ---- transition parameters and outcomes ----

struct LeasePolicy {
  int64_t lease_ttl_ms = 30'000;
  int max_attempts = 3;
  // A claim gives no job to a runner that already holds this many leases (expired ones not yet
  // reclaimed included): one heartbeat must be able to renew them all.
  int max_leases_per_runner = static_cast<int>(api::kMaxJobsPerHeartbeat);
};

struct ClaimOutcome {
  std::optional<JobRecord> job;  // leased to the caller; job->attempts is the fencing number
  bool reclaimed = false;        // the job was an orphan whose lease had expired
  std::optional<std::string> previous_runner;  // holder of the expired lease, when reclaimed
  std::vector<std::string> converged_to_je;    // submissions given JE during this claim
  // Why, for those not exhausted (attempts >= max_attempts): subsets of converged_to_je.
  std::vector<std::string> corrupt_je;            // the job record could not be read
  std::vector<std::string> problem_missing_je;    // the job's problem is gone
  std::vector<std::string> discarded_stale_jobs;  // non-current jobs dropped during this claim
  bool lease_limit_reached = false;  // no job: the runner holds policy.max_leases_per_runner
};

struct HeartbeatOutcome {
  std::vector<std::string> renewed;  // listed jobs this runner holds (lease extended)
  std::vector<std::string> cancel;   // listed jobs it should stop: not held, gone, or superseded
};

struct CompletionRequest {
  std::string runner_id;
  std::string job_id;
  std::optional<int> attempt;  // X-Job-Attempt; when set it must equal the lease's attempts
  api::SubmissionResult result;
  std::vector<api::CaseOutput> outputs;  // already truncated
};

enum class CompleteOutcome {
  kLanded,       // result written, job deleted (INV1)
  kDroppedStale  // the job was not current for its submission: job deleted, result dropped
};

enum class AbortOutcome {
  kRequeued,     // back to the end of the pending queue
  kJudgeError,   // attempts reached the maximum: JE landed, job deleted
  kDroppedStale  // the job was not current for its submission: job deleted
};

struct ReapOutcome {
  std::vector<std::string> converged_to_je;  // submission ids
  // Subsets of converged_to_je, as ClaimOutcome's: the rest were exhausted.
  std::vector<std::string> corrupt_je;
  std::vector<std::string> problem_missing_je;
  std::vector<std::string> discarded_stale_jobs;
};

// ---- result callbacks (docs/callbacks.md) ----

// A delivery is pending until it is delivered (then deleted: only counted) or dead (kept until an
// operator redelivers it). A pending one may be leased to one node while a POST is in flight.
enum class DeliveryState { kPending, kDead };

// One event: the final result of one job of a submission, to be POSTed to `url`.
struct DeliveryRecord {
  // "msg_" + the job id: one landing, one event; the same on every retry of it (the receiver's
  // idempotency key, Standard Webhooks' webhook-id). A rejudge's landing is a new job: a new id.
  std::string event_id;
  std::string submission_id;
  std::string job_id;  // superseded once the submission's current job is another one
  std::string url;
  DeliveryState state = DeliveryState::kPending;
  int attempts = 0;             // POSTs finished so far (postponements not counted)
  int64_t created_at = 0;       // the landing (Redeliver: the redelivery); max age counts from it
  int64_t next_attempt_at = 0;  // due from then (pending)
  std::string lease_owner;      // node holding it while a POST is in flight; empty when not
  int64_t lease_until = 0;      // a lease that ran out (lease_until <= now) may be taken over
  int64_t last_attempt_at = 0;  // 0 before the first
  std::string last_error;       // of the last attempt: "HTTP 500", "timeout", "connect: ..."
};

// A delivery as LeaseDeliveries hands it out, with the submission it reports read in the same
// step: the deliverer builds the POST's body from it and needs no read of its own.
struct LeasedDelivery {
  DeliveryRecord delivery;
  // nullopt when the submission cannot be read (gone, or a record that does not decode):
  // submission_error says why.
  std::optional<SubmissionRecord> submission;
  std::string submission_error;
};

// How one attempt ended (Store::FinishDeliveries).
struct DeliveryAttempt {
  enum class Kind {
    kDelivered,   // 2xx: the record is deleted, delivered_total + 1
    kRetry,       // failed, retried at next_attempt_at: attempts + 1, last_error
    kDead,        // failed for good (410, max age): state dead, attempts + 1, last_error
    kPostponed,   // not tried (its target is at its in-flight cap): due at next_attempt_at,
                  // attempts and last_error unchanged
    kSuperseded,  // not sent: the submission was rejudged since; deleted, superseded_total + 1
  };
  Kind kind = Kind::kDelivered;
  int64_t next_attempt_at = 0;  // kRetry, kPostponed
  std::string error;            // kRetry, kDead
};

// One entry of a Store::FinishDeliveries batch.
struct DeliveryOutcome {
  std::string event_id;
  DeliveryAttempt attempt;
};

struct DeliveryFilter {
  std::optional<DeliveryState> state;  // both when unset
  int limit = 50;                      // oldest created_at first (then event id)
};

// Deliveries to one url.
struct DeliveryTargetStats {
  std::string url;
  int64_t pending = 0;
  int64_t dead = 0;
  int64_t oldest_pending_created_at = 0;  // 0 when none is pending
};

struct DeliveryStats {
  int64_t pending = 0;  // leased ones included
  int64_t leased = 0;   // lease_until > now
  int64_t dead = 0;
  int64_t oldest_pending_created_at = 0;  // 0 when none is pending
  // Since the store was created (SQLite meta, Redis counters): what left the outbox.
  int64_t delivered_total = 0;
  int64_t superseded_total = 0;
  std::vector<DeliveryTargetStats> targets;  // every url with a pending or dead delivery, by url
};

}  // namespace noj::store

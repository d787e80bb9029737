#pragma once
// The Store contract: one method per atomic transition of protocol.md §4, plus reads.
//
// Every transition is ONE atomic step of the backing store (one SQL transaction, one Redis Lua
// script): a crash at any instant leaves either the state before or the state after. `now` is
// always passed in by the caller (tests control time); an implementation never reads a clock.
//
// Error codes (all methods): kUnavailable when the backing store cannot be reached (retry later);
// kInternal for a broken invariant. Records that cannot be decoded are skipped by scans (logged),
// never allowed to block other jobs. Others as documented per method; among them
// kResourceExhausted where an implementation caps a blob's size (WriteTestdata, Enqueue: the Redis
// store's max_testdata_bytes and max_code_bytes; SQLite has no cap of its own): nothing written,
// the same request fails again (413 on the wire).
//
// Thread safety: implementations are safe to call from many threads at once.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/records.h"

namespace noj::store {

class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;

  // Liveness probe for /healthz: OK when the store answers.
  virtual Status Ping() = 0;

  // What the backing store has done since it was opened, for /metrics and the benchmarks.
  virtual StoreCounters Counters() const = 0;

  // ---- problems ----
  // Assigns the next positive problem id.
  virtual Result<int64_t> CreateProblem(const NewProblem& problem, int64_t now) = 0;
  // The current version. kNotFound if absent.
  virtual Result<ProblemRecord> GetProblem(int64_t problem_id) = 0;
  // A version of the problem (judging.md §6): the current one, or an older one still kept.
  // Versions are immutable. An older version is kept while a leased job judges it (expired leases
  // not yet reclaimed included) and dropped by a later version write once none does.
  // kNotFound if the problem is absent or that version was dropped (or never existed).
  virtual Result<ProblemRecord> GetProblemVersion(int64_t problem_id, int64_t version) = 0;

  // Replaces tasks, meta and title (a new version, version + 1, in one step). The testdata is
  // kept (not copied: blobs are shared between versions). The problem's PENDING jobs (and their
  // submissions) move to the class `<language>:<update.features>`; leased jobs keep theirs and
  // finish on the version they judge. kNotFound if absent; kAborted if the version is not
  // update.expected_version (nothing changed: the caller re-reads, re-checks and retries).
  virtual Result<VersionOutcome> UpdateProblem(int64_t problem_id, const ProblemUpdate& update,
                                               int64_t now) = 0;
  // Replaces the testdata zip, its checksum and whether it uses the ContextIO layout (judging.md
  // §1): a new version as UpdateProblem, pending jobs re-classed when write.features is set.
  // kNotFound if the problem is absent; kAborted as UpdateProblem when expected_version is set;
  // kResourceExhausted if the zip is larger than the implementation's cap.
  virtual Result<VersionOutcome> WriteTestdata(int64_t problem_id, const TestdataWrite& write,
                                               int64_t now) = 0;
  // WriteTestdata without compare-and-set, keeping the classes of pending jobs.
  Status PutTestdata(int64_t problem_id, const std::string& zip, const std::string& checksum,
                     bool context_io, int64_t now) {
    return WriteTestdata(problem_id, TestdataWrite{zip, checksum, context_io, {}, {}}, now)
        .status();
  }
  // The current zip bytes. kNotFound if the problem is absent, kFailedPrecondition if it has no
  // testdata.
  virtual Result<std::string> GetTestdata(int64_t problem_id) = 0;
  // The zip of a version (GetProblemVersion's rules); kFailedPrecondition if it had no testdata.
  virtual Result<std::string> GetTestdataVersion(int64_t problem_id, int64_t version) = 0;

  // Rejudges one batch of the problem's submissions (those with `status` when set, older than
  // `before` when set), newest first, at most new_job_ids.size(): each as Rejudge with the class
  // `<language>:<features>` and the next id of new_job_ids. The batch is one atomic step; the
  // caller loops with before = the last id rejudged until done. kNotFound if the problem is
  // absent; kAborted if its version is not expected_version (nothing changed); kInvalidArgument
  // for a priority outside 0..2.
  virtual Result<ProblemRejudgeOutcome> RejudgeProblem(int64_t problem_id,
                                                       const ProblemRejudge& batch,
                                                       int64_t now) = 0;

  // ---- runners ----
  // kAlreadyExists if the id is taken.
  virtual Status RegisterRunner(const RunnerRecord& runner) = 0;
  // kNotFound if unknown, revoked or expired (expires_at <= now).
  virtual Result<RunnerRecord> GetRunner(const std::string& runner_id, int64_t now) = 0;
  // Renews the leases of listed jobs this runner holds to now + lease_ttl_ms (ids it does not hold
  // are ignored and listed in `cancel`), extends identity to now + identity_ttl_ms, last_seen =
  // now. kNotFound if the runner is unknown, revoked or expired (never re-creates it).
  virtual Result<HeartbeatOutcome> Heartbeat(const std::string& runner_id,
                                             const std::vector<std::string>& job_ids, int64_t now,
                                             int64_t lease_ttl_ms, int64_t identity_ttl_ms) = 0;
  // The runner whose token has this SHA-256 (testdata downloads accept any runner's token): of
  // several, the earliest registered. kNotFound as for GetRunner. Through an index (O(1)), not a
  // scan of the runners.
  virtual Result<RunnerRecord> GetRunnerByTokenHash(const std::string& token_sha256,
                                                    int64_t now) = 0;
  // Deletes the identity at once; its leases are left to expire (INV2). kNotFound if unknown.
  virtual Status RevokeRunner(const std::string& runner_id) = 0;
  // Runners not expired at `now`, with the jobs each holds, in registration order.
  virtual Result<std::vector<RunnerInfo>> ListRunners(int64_t now) = 0;
  // Deletes identities expired at `now`; returns how many.
  virtual Result<int> ForgetExpiredRunners(int64_t now) = 0;

  // ---- jobs ----
  // Creates the submission (status -1) and its job (pending, attempts 0) in one step (INV6).
  // The job's requirement class is submission.requirements (judging.md §5), stored with both.
  // kAlreadyExists if either id is taken; kInvalidArgument if requirements.language is not
  // `language` or names an unknown feature; kResourceExhausted if the code is larger than the
  // implementation's cap (nothing created). Does not check the problem (the caller does).
  virtual Status Enqueue(const NewSubmission& submission, int64_t now) = 0;

  // Leases to `runner_id`, for policy.lease_ttl_ms and attempts + 1, one job that `capabilities`
  // can take (judging.md §5, api::RunnerCapabilities::CanTake). Order among those: orphans
  // (leased, lease_deadline <= now) oldest deadline first, then pending by priority (0 first),
  // FIFO within a priority. Jobs it cannot take are left alone: they wait for a runner that can,
  // and are never JE for that (an exhausted orphan among them is ReapExpired's). On the way it
  // converges the exhausted orphans it meets (attempts >= max_attempts) to JE and discards jobs
  // that are not current for their submission (INV4). Empty `job` when nothing is claimable;
  // empty with lease_limit_reached when the runner already holds policy.max_leases_per_runner
  // leases. Bounded work per call: O(log n) in pending and leased jobs, per requirement class
  // present. The leased job's problem_version is the problem's current version (a reclaimed
  // orphan too: its new holder judges what is current). Does not check the runner (the caller
  // authenticated it and read its capabilities).
  virtual Result<ClaimOutcome> Claim(const std::string& runner_id,
                                     const api::RunnerCapabilities& capabilities,
                                     const LeasePolicy& policy, int64_t now) = 0;

  // kNotFound if absent.
  virtual Result<JobRecord> GetJob(const std::string& job_id) = 0;

  // Lands a result. kNotFound: no such job. kAborted: the caller does not hold the lease (other
  // runner, or not leased), or completion.attempt is set and differs (INV7). Otherwise the job is
  // deleted and, if it is current for its submission, the result is written in the same step
  // (kLanded); if not current, nothing else changes (kDroppedStale). A lease that expired but was
  // not reclaimed yet is still held.
  virtual Result<CompleteOutcome> Complete(const CompletionRequest& completion, int64_t now) = 0;

  // Gives a leased job back. kNotFound / kAborted as for Complete. refund_attempt (drain) gives
  // back the attempt the claim counted. If, after that, attempts >= max_attempts the submission
  // gets JE and the job is deleted (kJudgeError); else the job goes to the end of its priority's
  // queue. A non-current job is just deleted (kDroppedStale).
  virtual Result<AbortOutcome> Abort(const std::string& runner_id, const std::string& job_id,
                                     std::optional<int> attempt, bool refund_attempt,
                                     int max_attempts, int64_t now) = 0;

  // Converges every expired, exhausted lease (attempts >= max_attempts) to JE and discards expired
  // non-current ones, at most `limit` per call. Runs from the server's reaper even when no runner
  // polls. Safe to run concurrently from several servers.
  virtual Result<ReapOutcome> ReapExpired(int max_attempts, int64_t now, int limit) = 0;

  // Creates a new current job for the submission (pending, attempts 0, at `priority`), resets the
  // submission to pending (status -1, result cleared). Older jobs become non-current: a pending one
  // is discarded when popped, a leased one's result is dropped. The new job's requirement class is
  // `requirements` (the server recomputes it from the problem as it is now) and becomes the
  // submission's; nullopt keeps the submission's stored class. kNotFound if the submission is
  // absent; kInvalidArgument as for Enqueue (requirements.language must be the submission's).
  virtual Status Rejudge(const std::string& submission_id, const std::string& new_job_id,
                         int priority, const std::optional<api::JobRequirements>& requirements,
                         int64_t now) = 0;
  // The same, keeping the submission's requirement class.
  Status Rejudge(const std::string& submission_id, const std::string& new_job_id, int priority,
                 int64_t now) {
    return Rejudge(submission_id, new_job_id, priority, std::nullopt, now);
  }

  // ---- reads ----
  virtual Result<SubmissionRecord> GetSubmission(const std::string& submission_id) = 0;
  // The source code and language. kNotFound if absent.
  virtual Result<std::pair<std::string, int>> GetSubmissionCode(
      const std::string& submission_id) = 0;
  // Newest first.
  virtual Result<std::vector<SubmissionRecord>> ListSubmissions(const SubmissionFilter& filter) = 0;
  // kNotFound if the submission or that case has no stored output.
  virtual Result<api::CaseOutput> GetCaseOutput(const std::string& submission_id, int task,
                                                int case_index) = 0;
  // Pending jobs per priority and per requirement class (`classes`: each class with pending jobs,
  // by key), leased jobs, counters.
  virtual Result<QueueStats> GetQueueStats(int64_t now) = 0;

  // ---- result callbacks: the outbox (docs/callbacks.md) ----
  // Every landing of a final result for a submission with a callback_url writes one pending
  // DeliveryRecord IN THE SAME STEP (INV1 extends to it): Complete's kLanded, and a JE however it
  // comes (Abort's kJudgeError, the JE a Claim or ReapExpired converges, corrupt or problem
  // missing included). event_id "msg_" + job id, attempts 0, created_at = next_attempt_at = now,
  // not leased. A stale result (kDroppedStale, a discarded job) and a submission without a
  // callback_url write none. Rejudge writes none (its job's landing will).

  // Leases to `owner` until now + lease_ms at most `limit` deliveries that are due: pending,
  // next_attempt_at <= now, and not leased or their lease ran out (lease_until <= now: a node
  // that died mid-delivery). Oldest next_attempt_at first. Each comes with its submission as it
  // is at the lease (LeasedDelivery). One atomic step: two nodes never get the same delivery
  // while its lease runs. Bounded work: O(limit log n).
  virtual Result<std::vector<LeasedDelivery>> LeaseDeliveries(const std::string& owner, int limit,
                                                              int64_t lease_ms, int64_t now) = 0;
  // Ends attempts of deliveries `owner` holds, each as its DeliveryAttempt says; their leases are
  // cleared. One Status per outcome, in order: kNotFound if there is no such delivery; kAborted
  // if it is not pending or not leased to `owner` (another node took it over after the lease ran
  // out: its outcome is that node's); an outcome that fails changes nothing, the others apply.
  // A lease that ran out but was not taken over is still held. One atomic step for the batch;
  // the call itself fails (nothing applied) only when the store does.
  virtual Result<std::vector<Status>> FinishDeliveries(const std::string& owner,
                                                       const std::vector<DeliveryOutcome>& outcomes,
                                                       int64_t now) = 0;
  // FinishDeliveries of one outcome.
  Status FinishDelivery(const std::string& event_id, const std::string& owner,
                        const DeliveryAttempt& attempt, int64_t now) {
    auto done = FinishDeliveries(owner, {DeliveryOutcome{event_id, attempt}}, now);
    if (!done.ok()) return done.status();
    return done->empty() ? InternalError("store: no outcome for " + event_id) : done->front();
  }
  // A dead delivery back to pending, due now: attempts 0, created_at = now (a fresh max age),
  // last_error kept. kNotFound if absent; kFailedPrecondition if it is not dead.
  virtual Status Redeliver(const std::string& event_id, int64_t now) = 0;
  // kNotFound if absent (never written, delivered or superseded).
  virtual Result<DeliveryRecord> GetDelivery(const std::string& event_id) = 0;
  virtual Result<std::vector<DeliveryRecord>> ListDeliveries(const DeliveryFilter& filter) = 0;
  virtual Result<DeliveryStats> GetDeliveryStats(int64_t now) = 0;
};

}  // namespace noj::store

#pragma once
// The Dispatcher: the lifecycle rules above the store (protocol.md §4). One method per request the
// HTTP layer serves (register, heartbeat, claim, complete, abort, enqueue, rejudge, revoke) and the
// reaper's pass. Each calls the store transition, then — after the store answered — emits its
// domain events (dispatch/events.h: one log line and one count each) and publishes what other parts
// and nodes must learn (dispatch/broadcast.h).
//
// Synchronous: the HTTP layer calls it off its I/O threads. Thread-safe. Errors are the store's
// codes (style.md), plus those documented per method; the HTTP layer maps them.

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/results.h"
#include "common/clock.h"
#include "common/status.h"
#include "common/thread_annotations.h"
#include "dispatch/broadcast.h"
#include "dispatch/claim_state.h"
#include "dispatch/events.h"
#include "dispatch/lease_cache.h"
#include "dispatch/outcomes.h"
#include "dispatch/problem_cache.h"
#include "store/store.h"

namespace noj::dispatch {

struct DispatchConfig {
  int64_t lease_ttl_ms = 30'000;
  int max_attempts = 3;
  int64_t identity_ttl_ms = 604'800'000;
  size_t max_output_bytes = 64 * 1024;  // per case and stream, when stored
  int64_t forget_runners_every_ms = 60'000;
};

class Dispatcher {
 public:
  // Subscribes to `broadcast` (JobsAvailable bumps the jobs epoch, local or from another node).
  // Every reference must outlive the dispatcher.
  Dispatcher(store::Store& store, const Clock& clock, DispatchConfig config, ProblemCache& problems,
             LocalBroadcast& broadcast, EventSink& sink);
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  const DispatchConfig& config() const { return config_; }
  store::LeasePolicy lease_policy() const;

  // ---- runners ----
  // A new identity (the caller checked the registration token).
  Result<Registered> Register(Registration registration);
  // Renews the listed leases it holds and the identity. kNotFound: unknown, revoked or expired.
  Result<store::HeartbeatOutcome> Heartbeat(const std::string& runner_id,
                                            const std::vector<std::string>& job_ids);
  // Deletes the identity; every node forgets it (RunnerRevoked). kNotFound if unknown.
  Status Revoke(const std::string& runner_id);

  // ---- the lease ----
  // One claim for a runner that can do `caps` (authenticated by the caller). `arrival`: the first
  // claim of a long-poll, skipped (kNothing, gated) when a claim with the same capabilities found
  // nothing and no JobsAvailable came since. A leased job whose problem version cannot be read is
  // converged to JE at once (problem_missing) and the answer is kNothing.
  Result<ClaimResult> Claim(const std::string& runner_id, const api::RunnerCapabilities& caps,
                            bool arrival);

  // The one lease-holding check of complete and abort: the lease `runner_id` holds on `job_id`
  // (with `attempt` when given). kNotFound: no such job; kAborted (counted as a lease conflict of
  // `endpoint`): another runner's, not leased, or another attempt. The transition re-checks it.
  Result<LeaseInfo> HeldLease(const std::string& runner_id, const std::string& job_id,
                              std::optional<int> attempt, Endpoint endpoint);
  // Lands the runner's result for a lease HeldLease returned. kInvalidArgument when the cases do
  // not fit the tasks of the version the lease judges; kAborted when the lease was lost meanwhile.
  Result<CompleteResult> Complete(const LeaseInfo& lease, std::optional<int> attempt,
                                  const api::ReportedCases& cases);
  // Gives the job back (`reason` "drain" refunds the attempt).
  Result<AbortResult> Abort(const LeaseInfo& lease, std::optional<int> attempt,
                            const std::string& reason);

  // ---- submissions ----
  // A new submission and its job, in the class the problem needs now. kNotFound: no such problem;
  // kInvalidArgument: the problem does not accept the language; kFailedPrecondition: no testdata.
  Result<Enqueued> Enqueue(SubmitRequest request);
  // A new job for the submission at `priority`, in the class its problem needs now; returns its id.
  Result<std::string> Rejudge(const std::string& submission_id, int priority);
  // Every submission of the problem (with `status` when set) rejudged at the bulk priority, in
  // batches; returns how many. kAborted when the problem kept changing under it.
  Result<int64_t> RejudgeProblem(int64_t problem_id, std::optional<int> status);
  // Jobs changed class or were queued outside the dispatcher (a new problem version): wakes
  // runners.
  void AnnounceJobs(int64_t count);

  // ---- background ----
  // One reaper pass: exhausted expired leases to JE, expired non-current jobs discarded, and (at
  // most every forget_runners_every_ms) expired identities forgotten.
  void Reap() EXCLUDES(reap_mu_);

 private:
  // Events of the jobs a claim or the reaper settled on the way.
  void EmitSettled(const std::vector<std::string>& converged,
                   const std::vector<std::string>& corrupt,
                   const std::vector<std::string>& problem_missing,
                   const std::vector<std::string>& discarded, const char* source);
  void EmitJudgeError(Event event);
  void EmitConflict(const Status& status, Endpoint endpoint, const std::string& job_id,
                    const std::string& runner_id);
  // A leased job whose problem cannot be read: JE now rather than a lease that burns attempts.
  void ConvergeProblemMissing(const store::JobRecord& job, const std::string& runner_id);

  store::Store& store_;
  const Clock& clock_;
  const DispatchConfig config_;
  ProblemCache& problems_;
  LocalBroadcast& broadcast_;
  EventSink& sink_;
  LeaseCache leases_;
  ArrivalGate arrival_gate_;
  LeaseLimitLog lease_limit_log_;
  // Bumped by every JobsAvailable (this node's or another's).
  std::atomic<uint64_t> jobs_epoch_{1};
  Mutex reap_mu_;  // one pass at a time
  int64_t last_forget_ms_ GUARDED_BY(reap_mu_) = 0;
};

}  // namespace noj::dispatch

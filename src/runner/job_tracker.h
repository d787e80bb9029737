#pragma once
// The jobs this runner holds, from the moment a claim is received until its result is sent (or
// it is given back): heartbeats list them (lease renewal), slots are counted from them, and
// cancellation (server hints, drain, shutdown) reaches the job's work through its stop_source.
//
// Phases: preparing (code + testdata) → judging → sending. A slot is busy while preparing or
// judging; a sending job no longer occupies a slot but is still listed in heartbeats.
// Thread-safe.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <vector>

#include "common/thread_annotations.h"

namespace noj::runner {

// Why a job's work was stopped (the first reason wins).
enum class StopReason : int {
  kNone = 0,
  kServerCancel,  // the server's heartbeat hint: the lease is lost, drop everything silently
  kDrain,         // drain before the job started judging: give it back with abort(drain)
  kShutdown,      // drain deadline or stop-now: give it back if there is still time
};

// Shared between the tracker and the job's worker.
struct JobControl {
  std::string job_id;
  int attempt = 0;
  std::stop_source stop;
  std::atomic<StopReason> reason{StopReason::kNone};

  // Records `why` (unless a reason is already set) and requests the stop.
  void RequestStop(StopReason why);
  std::stop_token token() const { return stop.get_token(); }
};

class JobTracker {
 public:
  explicit JobTracker(int slots);

  int slots() const { return slots_; }

  // Starts tracking a freshly claimed job (phase preparing). nullptr if the id is already tracked.
  // While draining the job is stopped at once (kDrain): it is only tracked to be given back.
  std::shared_ptr<JobControl> Track(const std::string& job_id, int attempt);
  // preparing → judging. False while draining: the job must be given back (abort "drain").
  bool MarkStarted(const std::string& job_id);
  // judging → sending: frees the slot.
  void MarkSending(const std::string& job_id);
  // Forgets the job (its lease is no longer renewed).
  void Untrack(const std::string& job_id);

  // Ids for the heartbeat's active_job_ids, sorted.
  std::vector<std::string> ActiveIds() const;
  size_t size() const;
  int BusySlots() const;

  // Stops the listed jobs that are tracked (server hints). Returns the ids it stopped.
  std::vector<std::string> Cancel(const std::vector<std::string>& job_ids, StopReason why);
  // From now on MarkStarted fails; stops every job still preparing (reason kDrain).
  void BeginDrain();
  bool draining() const;
  // Stops every tracked job.
  void CancelAll(StopReason why);

  // Blocks until fewer than `slots` are busy (true) or `stop` is requested (false).
  bool WaitForFreeSlot(std::stop_token stop);
  // Blocks until no job is tracked (true), `timeout` passes or `stop` is requested (false).
  bool WaitUntilEmpty(std::chrono::milliseconds timeout, std::stop_token stop);

 private:
  enum class Phase { kPreparing, kJudging, kSending };
  struct Job {
    std::shared_ptr<JobControl> control;
    Phase phase = Phase::kPreparing;
  };
  int BusyLocked() const REQUIRES(mu_);

  const int slots_;
  mutable Mutex mu_;
  std::condition_variable_any cv_;  // notified on every change
  std::map<std::string, Job> jobs_ GUARDED_BY(mu_);
  bool draining_ GUARDED_BY(mu_) = false;
};

}  // namespace noj::runner

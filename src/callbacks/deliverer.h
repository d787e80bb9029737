#pragma once
// The result-callback deliverer of one nojd (docs/callbacks.md): drains the store's outbox.
//
// A fetch thread leases due deliveries (Store::LeaseDeliveries, as many as there are idle
// workers; lease = twice the HTTP timeout, at least timeout + 2 s) when woken by Notify() — the
// server calls it when a result lands — or every poll interval; N worker threads, each with its
// own HttpPost, POST the submission's client-API JSON signed the Standard Webhooks way. Outcomes
// are recorded by the fetch thread, all that finished since its last store call in one
// Store::FinishDeliveries: under load a delivery costs a fraction of a lease and of a finish, and
// no read (the lease hands out the submission). The dispatch path never waits for any of it: a
// slow or dead receiver only keeps its deliveries pending.
//
// - Per target (CallbackUrl::target) at most inflight_per_target POSTs at once on this node;
//   leased beyond that they wait here for a slot (three per slot), then are postponed
//   (kPostponed, due again after postpone_ms).
// - Superseded (the submission was rejudged since the landing: its current job, as the lease read
//   it, is another one): not sent. Submission unreadable (gone): dead.
// - Several nodes share one store: the lease makes one node at a time attempt a delivery; a node
//   that dies mid-POST (SIGKILL) has its deliveries taken over once their lease runs out. The
//   receiver deduplicates by webhook-id (the same on every retry; a fresh webhook-timestamp and
//   signature per attempt).
//
// Thread safety: Notify and Stop may be called from any thread. Store, clock, allow-list and
// stats must outlive the Deliverer.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "callbacks/allow_list.h"
#include "callbacks/callback_stats.h"
#include "callbacks/callback_url.h"
#include "callbacks/http_post.h"
#include "callbacks/retry_policy.h"
#include "callbacks/webhook_signature.h"
#include "common/clock.h"
#include "common/status.h"
#include "common/thread_annotations.h"
#include "store/store.h"

namespace noj::callbacks {

struct DelivererOptions {
  std::string node_id;  // the lease owner: unique per nojd (e.g. the node's id)
  std::string secret;   // "whsec_" + base64: the deployment's webhook secret
  int workers = 8;
  int inflight_per_target = 4;
  int64_t poll_interval_ms = 500;
  int64_t postpone_ms = 250;
  // The fetch thread's store calls (a lease, a batch of outcomes) start at most once per window:
  // under load each carries what came in during it, for a few ms of latency. 0: no window.
  int64_t batch_window_ms = 5;
  HttpPostOptions http;
  RetryOptions retry;
};

class Deliverer {
 public:
  // Starts the threads. kInvalidArgument for a bad secret or option, kInternal if libcurl fails.
  static Result<std::unique_ptr<Deliverer>> Create(store::Store& store, const Clock& clock,
                                                   const CallbackAllowList& allow,
                                                   DelivererOptions options, CallbackStats& stats);
  ~Deliverer();  // Stop()
  Deliverer(const Deliverer&) = delete;
  Deliverer& operator=(const Deliverer&) = delete;

  // Something landed: lease now rather than at the next poll. Cheap; never blocks on I/O.
  void Notify() EXCLUDES(mu_);

  // No new leases; deliveries leased but not started are handed back (due at once, for any
  // node); POSTs in flight finish (bounded by the HTTP timeout); every thread is joined.
  // Idempotent.
  void Stop() EXCLUDES(mu_);

 private:
  struct Job {
    store::LeasedDelivery leased;
    CallbackUrl url;
  };
  // An attempt's end, waiting for the fetch thread to record it.
  struct Outcome {
    store::DeliveryRecord delivery;
    store::DeliveryAttempt attempt;
    std::string target;  // for the log
    int64_t at = 0;      // when it ended
  };

  Deliverer(store::Store& store, const Clock& clock, const CallbackAllowList& allow,
            DelivererOptions options, CallbackStats& stats, WebhookKey key);
  void FetchLoop() EXCLUDES(mu_);
  void WorkLoop(HttpPost* post) EXCLUDES(mu_);
  // Queues a leased delivery, or ends it at once (superseded, postponed, or dead if its url or
  // its submission is bad). Returns true when queued.
  bool Admit(store::LeasedDelivery leased) EXCLUDES(mu_);
  // One attempt of `job`, and how it ended (`now`: when).
  store::DeliveryAttempt Attempt(const Job& job, HttpPost& post, int64_t& now);
  // `job` out of this node's hands: its target's slot to the next one waiting there. Before its
  // outcome is recorded: once recorded it may be leased again, and must then be admitted.
  void Release(const Job& job) EXCLUDES(mu_);
  // For the fetch thread's next FinishDeliveries.
  void Queue(Outcome outcome) EXCLUDES(mu_);
  // Records `outcomes` in one store call, then counts and logs each as the store answered.
  void Record(std::vector<Outcome> outcomes);
  void Report(const Outcome& o, const Status& recorded);

  store::Store& store_;
  const Clock& clock_;
  const CallbackAllowList& allow_;
  const DelivererOptions options_;
  CallbackStats& stats_;
  const WebhookKey key_;
  RetryPolicy retry_;
  std::vector<std::unique_ptr<HttpPost>> posts_;  // one per worker

  Mutex mu_;
  // Two, not one: a wake-up per landing must not wake every worker (a notify_all to nine threads
  // per delivery was most of the deliverer's CPU under load).
  std::condition_variable_any work_cv_;    // queue_ not empty, or stopping_
  std::condition_variable_any fetch_cv_;   // notified_, a worker free, an outcome, stopping_
  std::deque<Job> queue_ GUARDED_BY(mu_);  // leased, waiting for a worker
  int busy_ GUARDED_BY(mu_) = 0;           // workers in Process
  std::map<std::string, int> per_target_ GUARDED_BY(mu_);  // queued + running, by target
  // Leased for a target at its cap: started, in order, as its POSTs finish (no store write),
  // at most kWaitingPerSlot × inflight_per_target per target; beyond that a delivery is postponed.
  std::map<std::string, std::deque<Job>> backlog_ GUARDED_BY(mu_);
  int backlogged_ GUARDED_BY(mu_) = 0;
  // Event ids queued or running here: one whose lease ran out mid-POST (a clock jump) and that
  // this node leased again is not started twice; the running attempt finishes it.
  std::set<std::string> active_ GUARDED_BY(mu_);
  std::vector<Outcome> outcomes_ GUARDED_BY(mu_);  // ended, not yet recorded
  bool notified_ GUARDED_BY(mu_) = true;           // lease at once on start
  bool stopping_ GUARDED_BY(mu_) = false;
  // The fetch thread waits for work (not lingering out its window, not in a store call): only
  // then do Notify and a finished attempt wake it — a wake-up per landing was a futex call each.
  bool fetch_idle_ GUARDED_BY(mu_) = false;

  Mutex stop_mu_;                     // serialises Stop()
  std::vector<std::thread> threads_;  // the fetch thread, then the workers
};

}  // namespace noj::callbacks

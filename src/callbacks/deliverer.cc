#include "callbacks/deliverer.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>

#include "api/submission_bodies.h"
#include "common/logging.h"
#include "common/thread_name.h"
#include "store/submission_view.h"

namespace noj::callbacks {

using Kind = store::DeliveryAttempt::Kind;

namespace {

// Leased and in this node's hands (queued, posting, waiting for a target's slot) at most this
// many per worker: a lease every batch window must bring more than the workers can start at
// once, or the window would cap the delivery rate (8 per 10 ms was below a drain's landings).
constexpr int kInHandPerWorker = 2;
// A target at its in-flight cap keeps this many leased per slot waiting here (no store round
// trip, no poll interval) before further ones are postponed through the store.
constexpr int kWaitingPerSlot = 3;

}  // namespace

Result<std::unique_ptr<Deliverer>> Deliverer::Create(store::Store& store, const Clock& clock,
                                                     const CallbackAllowList& allow,
                                                     DelivererOptions options,
                                                     CallbackStats& stats) {
  if (options.node_id.empty()) return InvalidArgumentError("deliverer: node_id is required");
  if (options.workers < 1 || options.inflight_per_target < 1 || options.poll_interval_ms < 1 ||
      options.postpone_ms < 0 || options.batch_window_ms < 0 || options.http.timeout_ms < 1)
    return InvalidArgumentError(
        "deliverer: workers, inflight_per_target, poll interval and timeout must be positive, "
        "postpone and batch window not negative");
  NOJ_ASSIGN_OR_RETURN(WebhookKey key, WebhookKey::Parse(options.secret));
  std::unique_ptr<Deliverer> d(
      new Deliverer(store, clock, allow, std::move(options), stats, std::move(key)));
  for (int i = 0; i < d->options_.workers; ++i) {
    NOJ_ASSIGN_OR_RETURN(std::unique_ptr<HttpPost> post, HttpPost::Create(allow, d->options_.http));
    d->posts_.push_back(std::move(post));
  }
  MutexLock lock(&d->stop_mu_);
  d->threads_.emplace_back([p = d.get()] {
    NameThisThread("noj-cb-fetch");
    p->FetchLoop();
  });
  for (auto& post : d->posts_)
    d->threads_.emplace_back([p = d.get(), h = post.get()] {
      NameThisThread("noj-cb-post");
      p->WorkLoop(h);
    });
  return d;
}

Deliverer::Deliverer(store::Store& store, const Clock& clock, const CallbackAllowList& allow,
                     DelivererOptions options, CallbackStats& stats, WebhookKey key)
    : store_(store),
      clock_(clock),
      allow_(allow),
      options_(std::move(options)),
      stats_(stats),
      key_(std::move(key)),
      retry_(options_.retry) {}

Deliverer::~Deliverer() { Stop(); }

void Deliverer::Notify() {
  bool wake = false;
  {
    MutexLock lock(&mu_);
    notified_ = true;
    wake = fetch_idle_;
  }
  if (wake) fetch_cv_.notify_one();
}

void Deliverer::Stop() {
  MutexLock stop_lock(&stop_mu_);
  {
    MutexLock lock(&mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  fetch_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  // What ended and was not recorded yet, and what was leased but never started: the latter handed
  // back due now, so any node takes them at once instead of after the lease runs out.
  std::vector<Outcome> left;
  {
    MutexLock lock(&mu_);
    left.swap(outcomes_);
    const int64_t now = clock_.NowMs();
    auto hand_back = [&](Job& job) {
      left.push_back({.delivery = std::move(job.leased.delivery),
                      .attempt = {.kind = Kind::kPostponed, .next_attempt_at = now},
                      .target = job.url.target(),
                      .at = now});
    };
    for (Job& job : queue_) hand_back(job);
    for (auto& [target, jobs] : backlog_)
      for (Job& job : jobs) hand_back(job);
    queue_.clear();
    backlog_.clear();
    backlogged_ = 0;
    per_target_.clear();
    active_.clear();
  }
  // Best effort: the leases running out hand them back too.
  if (!left.empty()) Record(std::move(left));
}

void Deliverer::FetchLoop() {
  // Long enough for a POST bounded by the timeout and the store call that records it, with room
  // to spare: twice the timeout, at least the timeout + 2 s (20 s with the default 10 s).
  const int64_t lease_ms = std::max(2 * options_.http.timeout_ms, options_.http.timeout_ms + 2000);
  bool lease_failing = false;
  const auto window = std::chrono::milliseconds(options_.batch_window_ms);
  auto last_call = std::chrono::steady_clock::now() - window;
  for (;;) {
    int free = 0;
    std::vector<Outcome> ended;
    {
      MutexLock lock(&mu_);
      // Lingers out the window since the last store call, so what lands or ends meanwhile
      // shares the next one.
      fetch_cv_.wait_until(mu_, last_call + window, [this] {
        mu_.AssertHeld();
        return stopping_;
      });
      auto idle = [this] {
        mu_.AssertHeld();
        return kInHandPerWorker * options_.workers - static_cast<int>(queue_.size()) - busy_ -
               backlogged_;
      };
      fetch_idle_ = true;
      fetch_cv_.wait_for(mu_, std::chrono::milliseconds(options_.poll_interval_ms), [&] {
        mu_.AssertHeld();
        return stopping_ || !outcomes_.empty() || (notified_ && idle() > 0);
      });
      fetch_idle_ = false;
      if (stopping_) return;  // Stop records what is left
      ended.swap(outcomes_);
      // Lease when told to (a landing, a full batch) or when the poll interval passed.
      const int idle_now = idle();
      if (idle_now > 0 && (notified_ || ended.empty())) {
        notified_ = false;
        free = idle_now;
      }
    }
    // Outcomes first, in one store call: everything that ended since the last one.
    if (!ended.empty() || free > 0) last_call = std::chrono::steady_clock::now();
    if (!ended.empty()) Record(std::move(ended));
    if (free <= 0) continue;
    auto leased = store_.LeaseDeliveries(options_.node_id, free, lease_ms, clock_.NowMs());
    if (!leased.ok()) {
      // Logged when it starts failing, not at every poll of a store that is down.
      if (!lease_failing) {
        NOJ_LOG_WARN("event=callback_lease_failed error={}",
                     logging::Quote(leased.status().ToString()));
      }
      lease_failing = true;
      continue;  // the next poll tries again
    }
    if (lease_failing) NOJ_LOG_INFO("event=callback_lease_recovered");
    lease_failing = false;
    int queued = 0;
    for (store::LeasedDelivery& d : *leased) queued += Admit(std::move(d)) ? 1 : 0;
    // A full batch with work in it: more may be due, lease again as soon as a worker is idle.
    // (A batch that was all postponed waits for the poll: no busy loop on a capped target.)
    if (static_cast<int>(leased->size()) == free && queued > 0) {
      MutexLock lock(&mu_);
      notified_ = true;
    }
  }
}

bool Deliverer::Admit(store::LeasedDelivery leased) {
  const int64_t now = clock_.NowMs();
  store::DeliveryRecord& d = leased.delivery;
  auto url = ParseCallbackUrl(d.url);
  Status allowed = url.ok() ? allow_.CheckUrl(*url) : url.status();
  std::string target = url.ok() ? url->target() : "(invalid url)";
  auto end_now = [&](store::DeliveryAttempt attempt) {
    Queue({.delivery = std::move(d), .attempt = std::move(attempt), .target = target, .at = now});
    return false;
  };
  if (!allowed.ok()) return end_now({.kind = Kind::kDead, .error = allowed.message()});
  if (!leased.submission) {
    return end_now(
        {.kind = Kind::kDead, .error = "submission unreadable: " + leased.submission_error});
  }
  if (leased.submission->current_job_id != d.job_id) return end_now({.kind = Kind::kSuperseded});
  {
    MutexLock lock(&mu_);
    if (active_.count(d.event_id) > 0) return false;  // already ours and in hand
    int& n = per_target_[target];
    if (n < options_.inflight_per_target) {
      ++n;
      active_.insert(d.event_id);
      queue_.push_back(Job{std::move(leased), std::move(*url)});
      work_cv_.notify_one();
      return true;
    }
    // At its cap: wait here for one of its POSTs to finish (a store round trip saved, and no
    // poll interval added to its latency) — a bounded number, the rest go back to the store.
    std::deque<Job>& waiting = backlog_[target];
    if (static_cast<int>(waiting.size()) < kWaitingPerSlot * options_.inflight_per_target) {
      active_.insert(d.event_id);
      waiting.push_back(Job{std::move(leased), std::move(*url)});
      ++backlogged_;
      return true;
    }
  }
  return end_now({.kind = Kind::kPostponed, .next_attempt_at = now + options_.postpone_ms});
}

void Deliverer::WorkLoop(HttpPost* post) {
  for (;;) {
    Job job;
    {
      MutexLock lock(&mu_);
      work_cv_.wait(mu_, [this] {
        mu_.AssertHeld();
        return stopping_ || !queue_.empty();
      });
      if (stopping_) return;  // what is still queued is handed back by Stop
      job = std::move(queue_.front());
      queue_.pop_front();
      ++busy_;
    }
    int64_t now = 0;
    store::DeliveryAttempt attempt = Attempt(job, *post, now);
    Release(job);
    Queue({.delivery = std::move(job.leased.delivery),
           .attempt = std::move(attempt),
           .target = job.url.target(),
           .at = now});
  }
}

void Deliverer::Release(const Job& job) {
  MutexLock lock(&mu_);
  --busy_;
  active_.erase(job.leased.delivery.event_id);
  const std::string target = job.url.target();
  if (auto waiting = backlog_.find(target); waiting != backlog_.end()) {
    // The freed slot goes to the target's next waiting delivery (per_target_ unchanged).
    queue_.push_back(std::move(waiting->second.front()));
    waiting->second.pop_front();
    --backlogged_;
    if (waiting->second.empty()) backlog_.erase(waiting);
    work_cv_.notify_one();
  } else if (auto it = per_target_.find(target); it != per_target_.end() && --it->second <= 0) {
    per_target_.erase(it);
  }
}

void Deliverer::Queue(Outcome outcome) {
  bool wake = false;
  {
    MutexLock lock(&mu_);
    outcomes_.push_back(std::move(outcome));
    wake = fetch_idle_;
  }
  if (wake) fetch_cv_.notify_one();
}

store::DeliveryAttempt Deliverer::Attempt(const Job& job, HttpPost& post, int64_t& now) {
  const store::DeliveryRecord& d = job.leased.delivery;
  // The same bytes on every attempt: a landed submission changes only by a rejudge (superseded).
  const std::string body = boost::json::serialize(
      api::SubmissionViewToJson(store::ToSubmissionView(*job.leased.submission)));
  now = clock_.NowMs();
  const int64_t ts = now / 1000;
  const std::string signature = key_.Sign(d.event_id, ts, body);
  stats_.in_flight.fetch_add(1);
  HttpPost::Outcome out = post.Post({.url = job.url,
                                     .body = body,
                                     .webhook_id = d.event_id,
                                     .webhook_timestamp_s = ts,
                                     .webhook_signature = signature});
  stats_.in_flight.fetch_sub(1);
  now = clock_.NowMs();
  return retry_.Decide(out.result, d.attempts, d.created_at, now);
}

void Deliverer::Record(std::vector<Outcome> outcomes) {
  std::vector<store::DeliveryOutcome> batch;
  batch.reserve(outcomes.size());
  for (const Outcome& o : outcomes) batch.push_back({o.delivery.event_id, o.attempt});
  // One "now" for the batch: the latest end in it (last_attempt_at of a retry or a death).
  int64_t now = 0;
  for (const Outcome& o : outcomes) now = std::max(now, o.at);
  auto recorded = store_.FinishDeliveries(options_.node_id, batch, now);
  if (!recorded.ok() || recorded->size() != outcomes.size()) {
    const Status s =
        recorded.ok() ? InternalError("store: wrong number of outcomes") : recorded.status();
    // Their leases running out makes them due again.
    NOJ_LOG_WARN("event=callback_finish_failed deliveries={} error={}", outcomes.size(),
                 logging::Quote(s.ToString()));
    return;
  }
  for (size_t i = 0; i < outcomes.size(); ++i) Report(outcomes[i], (*recorded)[i]);
}

void Deliverer::Report(const Outcome& o, const Status& recorded) {
  const store::DeliveryRecord& d = o.delivery;
  const store::DeliveryAttempt& attempt = o.attempt;
  const int64_t now = o.at;
  const std::string& target = o.target;
  if (recorded.code() == ErrorCode::kAborted || recorded.code() == ErrorCode::kNotFound) {
    // Another node took it over after our lease ran out: its outcome is that node's.
    stats_.lost_leases.fetch_add(1);
    NOJ_LOG_WARN("event=callback_lease_lost event_id={} submission={}", d.event_id,
                 d.submission_id);
    return;
  }
  if (!recorded.ok()) {
    NOJ_LOG_WARN("event=callback_finish_failed event_id={} error={}", d.event_id,
                 logging::Quote(recorded.ToString()));
    return;  // the lease running out makes it due again
  }
  switch (attempt.kind) {
    case Kind::kDelivered:
      stats_.delivered.fetch_add(1);
      stats_.ObserveLatency(now - d.created_at);
      NOJ_LOG_INFO(
          "event=callback_delivered event_id={} submission={} target={} attempts={} "
          "latency_ms={}",
          d.event_id, d.submission_id, target, d.attempts + 1, now - d.created_at);
      break;
    case Kind::kRetry:
      stats_.retries.fetch_add(1);
      NOJ_LOG_INFO(
          "event=callback_retry event_id={} submission={} target={} attempts={} "
          "next_in_ms={} error={}",
          d.event_id, d.submission_id, target, d.attempts + 1, attempt.next_attempt_at - now,
          logging::Quote(attempt.error));
      break;
    case Kind::kDead:
      stats_.dead.fetch_add(1);
      NOJ_LOG_WARN("event=callback_dead event_id={} submission={} target={} attempts={} error={}",
                   d.event_id, d.submission_id, target, d.attempts + 1,
                   logging::Quote(attempt.error));
      break;
    case Kind::kSuperseded:
      stats_.superseded.fetch_add(1);
      NOJ_LOG_INFO("event=callback_superseded event_id={} submission={}", d.event_id,
                   d.submission_id);
      break;
    case Kind::kPostponed:
      stats_.postponed.fetch_add(1);
      break;
  }
}

}  // namespace noj::callbacks

#pragma once
// The typed broadcast: what one part of the server tells the others (and other nodes) after a
// transition. Three messages:
//   JobsAvailable   jobs of a requirement class (or of any class) were queued or came back:
//                   parked runners that can take them wake up; the claim arrival gate reopens.
//   SubmissionFinal a submission's result landed (or JE): its waiting clients wake up.
//   RunnerRevoked   a runner identity was deleted: every node's auth cache forgets it.
//
// LocalBroadcast delivers to in-process subscribers, synchronously, on the publishing thread; with
// a Relay set (several nodes on one Redis: dispatch/redis_relay.h) it also sends what this node
// publishes to the others, and Deliver() hands it what they publish. Messages are hints: a lost
// one costs at most one long-poll re-check period.
//
// Thread safety: all methods may be called from any thread. Subscribers must be quick and must
// not publish (they run on request and notifier threads).

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "api/requirements.h"
#include "common/thread_annotations.h"

namespace noj::dispatch {

struct JobsAvailable {
  std::optional<api::JobRequirements> requirements;  // nullopt: any class (a bulk change)
  int count = 1;                                     // how many; < 0: all waiters
};
struct SubmissionFinal {
  std::string submission_id;
};
struct RunnerRevoked {
  std::string runner_id;
};
using Message = std::variant<JobsAvailable, SubmissionFinal, RunnerRevoked>;

// Carries messages to the other nodes.
// What a relay has cost on the wire since it started (Redis: the notifier's publishing
// connection), for /metrics and the benches.
struct RelayCounters {
  int64_t round_trips = 0;
  int64_t commands = 0;
};

class Relay {
 public:
  Relay() = default;
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;
  virtual ~Relay() = default;
  // Must not block (queue and return).
  virtual void Send(const Message& message) = 0;
  virtual RelayCounters Counters() const = 0;
};

class LocalBroadcast {
 public:
  using Subscriber = std::function<void(const Message&)>;

  LocalBroadcast() = default;
  LocalBroadcast(const LocalBroadcast&) = delete;
  LocalBroadcast& operator=(const LocalBroadcast&) = delete;

  // Adds a subscriber for the broadcast's lifetime (wiring time: the factory, the dispatcher).
  void Subscribe(Subscriber subscriber) EXCLUDES(mu_);
  // Sends the relay too, once set (nullptr: this node only). The relay must outlive its use.
  void SetRelay(Relay* relay) EXCLUDES(mu_);

  // A message of this node: delivered here, then relayed.
  void Publish(const Message& message) EXCLUDES(mu_);
  // A message from another node: delivered here only.
  void Deliver(const Message& message) EXCLUDES(mu_);

  // The relay's counters; zero without one.
  RelayCounters Counters() const EXCLUDES(mu_);

 private:
  using Subscribers = std::vector<Subscriber>;
  std::shared_ptr<const Subscribers> Snapshot() const EXCLUDES(mu_);

  mutable Mutex mu_;
  // Copied on write: a delivery reads one snapshot and calls it without the lock.
  std::shared_ptr<const Subscribers> subscribers_ GUARDED_BY(mu_) =
      std::make_shared<const Subscribers>();
  Relay* relay_ GUARDED_BY(mu_) = nullptr;
};

}  // namespace noj::dispatch

#pragma once
// The broadcast between nojd processes that share one Redis: a Relay over
// store::redis::RedisNotifier. What this node publishes is sent as (topic, count) (dispatch/
// topics.h); what the others publish is decoded and delivered to this node's LocalBroadcast
// (unknown topics are ignored). Linked only by src/exe and tests (it needs the Redis store).
//
// Thread safety: Send may be called from any thread; deliveries run on the notifier's thread.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "dispatch/broadcast.h"
#include "store/redis/redis_notifier.h"

namespace noj::dispatch {

class RedisRelay final : public Relay {
 public:
  // Subscribes to the store's channel at `url` and sets itself as `broadcast`'s relay.
  // `on_resubscribed` (optional) runs after each re-subscription, when messages may have been
  // missed (e.g. wake every parked long-poll to re-check). Waits up to `subscribe_timeout` for the
  // subscription (logged when it is not live yet: it comes when Redis answers).
  static Result<std::unique_ptr<RedisRelay>> Open(const std::string& url, LocalBroadcast& broadcast,
                                                  std::function<void()> on_resubscribed,
                                                  std::chrono::milliseconds subscribe_timeout);
  ~RedisRelay() override;  // detaches from the broadcast, stops the notifier

  void Send(const Message& message) override;
  RelayCounters Counters() const override {
    return RelayCounters{notifier_->round_trips(), notifier_->commands()};
  }

 private:
  RedisRelay(LocalBroadcast& broadcast) : broadcast_(broadcast) {}
  LocalBroadcast& broadcast_;
  std::unique_ptr<store::redis::RedisNotifier> notifier_;
};

}  // namespace noj::dispatch

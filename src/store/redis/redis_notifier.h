#pragma once
// RedisNotifier: long-poll wake-ups across the nojd processes that share one Redis.
//
//   Publish(topic, count)  queues the wake-up and returns at once (never blocks, never fails);
//                          a publisher thread sends it as PUBLISH <channel> "<node> <count>
//                          <topic>".
//   on_message(topic, count) is called on the subscriber thread (its own connection) for every
//                          wake-up published by another node (not for this node's own, unless
//                          deliver_own). It must be quick and thread-safe: post to an executor.
//
// Same meaning as server::NotifyFn: count > 0 wakes that many waiters of the topic, < 0 all.
// Queued wake-ups of one topic are merged (counts added; any negative count gives -1). What
// queued while the previous batch was on the wire goes out as one pipelined batch (one round
// trip), in the order first queued: a subscriber receives one node's wake-ups in that order.
// Both threads reconnect with backoff when Redis goes away. Wake-ups are hints: one lost while
// Redis is down costs at most one long-poll period (waiters re-check the store on timeout);
// on_resubscribed (optional) is called after each re-subscription so a server may wake all its
// waiters to re-check at once.
//
// Thread safety: Publish may be called from any thread. Destruction stops and joins both
// threads (on_message is not called after the destructor returns).

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"

namespace noj::store::redis {

struct NotifierOptions {
  // Default: the store's key prefix + "notify" ("noj:notify"), + ":<db>" for a db other than 0
  // (pub/sub channels are shared by every db of a Redis).
  std::string channel;
  bool deliver_own = false;          // also call on_message for this node's own publications
  size_t max_queued_topics = 10000;  // beyond it new topics are dropped (logged once)
  std::function<void()> on_resubscribed;
};

class RedisNotifier {
 public:
  using Callback = std::function<void(const std::string& topic, int count)>;

  // `url` as for OpenRedisStore. Starts both threads; does not wait for Redis (see
  // WaitSubscribed). kInvalidArgument for a bad URL.
  static Result<std::unique_ptr<RedisNotifier>> Open(const std::string& url, Callback on_message,
                                                     NotifierOptions options = {});

  virtual ~RedisNotifier() = default;
  RedisNotifier(const RedisNotifier&) = delete;
  RedisNotifier& operator=(const RedisNotifier&) = delete;

  virtual void Publish(const std::string& topic, int count) = 0;
  // True once the subscription is live (or false after `timeout`). For start-up and tests.
  virtual bool WaitSubscribed(std::chrono::milliseconds timeout) = 0;
  virtual const std::string& channel() const = 0;

  // Round trips the publisher made (each pipelined batch of PUBLISHes: one) and the PUBLISH
  // commands they carried, since Open. For /metrics: with merging and batching, publishes / round
  // trips is the mean batch size.
  virtual int64_t round_trips() const = 0;
  virtual int64_t commands() const = 0;

 protected:
  RedisNotifier() = default;
};

}  // namespace noj::store::redis

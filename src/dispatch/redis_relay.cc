#include "dispatch/redis_relay.h"

#include "common/logging.h"
#include "dispatch/topics.h"
#include "store/redis/redis_notifier.h"

namespace noj::dispatch {

Result<std::unique_ptr<RedisRelay>> RedisRelay::Open(const std::string& url,
                                                     LocalBroadcast& broadcast,
                                                     std::function<void()> on_resubscribed,
                                                     std::chrono::milliseconds subscribe_timeout) {
  std::unique_ptr<RedisRelay> relay(new RedisRelay(broadcast));
  store::redis::NotifierOptions options;
  options.on_resubscribed = std::move(on_resubscribed);
  auto on_message = [&broadcast](const std::string& topic, int count) {
    if (std::optional<Message> m = MessageOfTopic(topic, count)) broadcast.Deliver(*m);
  };
  NOJ_ASSIGN_OR_RETURN(relay->notifier_,
                       store::redis::RedisNotifier::Open(url, on_message, options));
  // Serve only once messages from other nodes can reach this one.
  if (!relay->notifier_->WaitSubscribed(subscribe_timeout))
    NOJ_LOG_WARN(
        "event=notifier_not_subscribed note=\"cross-node wake-ups start when Redis answers\"");
  broadcast.SetRelay(relay.get());
  return relay;
}

RedisRelay::~RedisRelay() {
  broadcast_.SetRelay(nullptr);
  notifier_.reset();  // joins its threads: no delivery after this
}

void RedisRelay::Send(const Message& message) {
  auto [topic, count] = TopicOf(message);
  notifier_->Publish(topic, count);
}

}  // namespace noj::dispatch

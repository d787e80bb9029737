#include "store/redis/redis_notifier.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <thread>
#include <utility>
#include <vector>

#include "common/crypto.h"
#include "common/logging.h"
#include "common/thread_annotations.h"
#include "store/redis/codec.h"
#include "store/redis/connection.h"
#include "store/redis/redis_store.h"

namespace noj::store::redis {

namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr int kBackoffMinMs = 50;
constexpr int kBackoffMaxMs = 2000;
constexpr int kPollMs = 1000;
constexpr auto kPingAfter = std::chrono::seconds(5);   // idle subscriber: check the link
constexpr auto kDeadAfter = std::chrono::seconds(15);  // nothing heard: reconnect

std::string Hex(const std::string& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

int NextBackoff(int ms) { return ms == 0 ? kBackoffMinMs : std::min(ms * 2, kBackoffMaxMs); }

class RedisNotifierImpl final : public RedisNotifier {
 public:
  RedisNotifierImpl(Endpoint endpoint, Callback on_message, NotifierOptions options)
      : endpoint_(std::move(endpoint)),
        on_message_(std::move(on_message)),
        options_(std::move(options)),
        node_(Hex(crypto::RandomBytes(8))),
        wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

  // Throws std::system_error if a thread cannot start (the destructor then joins the other).
  void Start() {
    subscriber_ = std::thread([this] { SubscribeLoop(); });
    publisher_ = std::thread([this] { PublishLoop(); });
  }

  ~RedisNotifierImpl() override {
    {
      MutexLock lock(&mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    const uint64_t one = 1;
    if (write(wake_fd_, &one, sizeof one) < 0) {
      // eventfd writes cannot fail short of overflow; the 1 s poll timeout is the fallback
    }
    if (subscriber_.joinable()) subscriber_.join();
    if (publisher_.joinable()) publisher_.join();
    if (wake_fd_ >= 0) close(wake_fd_);
  }

  void Publish(const std::string& topic, int count) override {
    {
      MutexLock lock(&mu_);
      for (auto& [t, c] : queue_) {
        if (t == topic) {
          c = (c < 0 || count < 0) ? -1 : c + count;
          return;
        }
      }
      if (queue_.size() >= options_.max_queued_topics) {
        if (!overflow_logged_) NOJ_LOG_WARN("event=notify_queue_full channel={}", channel());
        overflow_logged_ = true;
        return;
      }
      queue_.emplace_back(topic, count);
    }
    cv_.notify_all();
  }

  bool WaitSubscribed(std::chrono::milliseconds timeout) override {
    const auto deadline = SteadyClock::now() + timeout;
    MutexLock lock(&mu_);
    while (!subscribed_ && !stopping_) {
      if (cv_.wait_until(mu_, deadline) == std::cv_status::timeout) break;
    }
    return subscribed_;
  }

  const std::string& channel() const override { return options_.channel; }
  int64_t round_trips() const override { return wire_.round_trips.load(std::memory_order_relaxed); }
  int64_t commands() const override { return wire_.commands.load(std::memory_order_relaxed); }

 private:
  // Sleeps `ms` unless stopping; false when stopping.
  bool Backoff(int ms) {
    const auto deadline = SteadyClock::now() + std::chrono::milliseconds(ms);
    MutexLock lock(&mu_);
    while (!stopping_) {
      if (cv_.wait_until(mu_, deadline) == std::cv_status::timeout) break;
    }
    return !stopping_;
  }
  bool Stopping() {
    MutexLock lock(&mu_);
    return stopping_;
  }
  void SetSubscribed(bool value) {
    {
      MutexLock lock(&mu_);
      subscribed_ = value;
    }
    cv_.notify_all();
  }

  // ---- publisher thread ----
  void PublishLoop() {
    std::unique_ptr<Connection> conn;
    int backoff_ms = 0;
    SteadyClock::time_point retry_at{};
    while (true) {
      std::vector<std::pair<std::string, int>> batch;
      {
        MutexLock lock(&mu_);
        while (!stopping_ && queue_.empty()) cv_.wait(mu_);
        if (stopping_) return;
        batch.swap(queue_);  // everything queued meanwhile: one pipelined round trip below
        overflow_logged_ = false;
      }
      if (!conn && SteadyClock::now() >= retry_at) {
        auto opened = Connection::Open(endpoint_, &wire_);
        if (opened.ok()) {
          conn = std::move(opened).value();
          backoff_ms = 0;
        } else {
          backoff_ms = NextBackoff(backoff_ms);
          retry_at = SteadyClock::now() + std::chrono::milliseconds(backoff_ms);
          NOJ_LOG_DEBUG("event=notify_publish_failed error=\"{}\"", opened.status().message());
        }
      }
      if (!conn) continue;  // Redis down: these wake-ups are lost (waiters time out and re-check)
      std::vector<std::string> messages;
      for (const auto& [topic, count] : batch) {
        messages.push_back(node_ + " " + std::to_string(count) + " " + topic);
      }
      std::vector<Argv> commands;
      for (const std::string& m : messages) commands.push_back({"PUBLISH", channel(), m});
      auto sent = conn->Pipeline(commands);
      if (!sent.ok() || conn->broken()) {
        NOJ_LOG_DEBUG("event=notify_publish_failed error=\"{}\"", sent.status().message());
        conn.reset();
      }
    }
  }

  // ---- subscriber thread ----
  void SubscribeLoop() {
    int backoff_ms = 0;
    bool subscribed_before = false;
    while (!Stopping()) {
      auto opened = Connection::Open(endpoint_);
      if (!opened.ok()) {
        backoff_ms = NextBackoff(backoff_ms);
        if (!Backoff(backoff_ms)) return;
        continue;
      }
      std::unique_ptr<Connection> conn = std::move(opened).value();
      auto reply = conn->Command({"SUBSCRIBE", channel()});
      if (!reply.ok() || (*reply)->type != REDIS_REPLY_ARRAY) {
        backoff_ms = NextBackoff(backoff_ms);
        if (!Backoff(backoff_ms)) return;
        continue;
      }
      backoff_ms = 0;
      SetSubscribed(true);
      NOJ_LOG_INFO("event=notify_subscribed channel={} node={}", channel(), node_);
      if (subscribed_before && options_.on_resubscribed) Guarded(options_.on_resubscribed);
      subscribed_before = true;
      Listen(*conn);
      SetSubscribed(false);
      if (!Stopping()) NOJ_LOG_WARN("event=notify_unsubscribed channel={}", channel());
    }
  }

  // Reads messages until the link fails, goes silent, or the notifier stops.
  void Listen(Connection& conn) {
    redisContext* ctx = conn.context();
    auto last_heard = SteadyClock::now();
    bool pinged = false;
    while (!Stopping()) {
      pollfd fds[2] = {{ctx->fd, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
      const int n = poll(fds, 2, kPollMs);
      if (n < 0 && errno != EINTR) return;
      if (fds[1].revents != 0) return;  // stopping
      const auto now = SteadyClock::now();
      if (n > 0 && fds[0].revents != 0) {
        ScopedSigpipeBlock no_sigpipe;
        if (redisBufferRead(ctx) != REDIS_OK) return;
        void* raw = nullptr;
        while (redisGetReplyFromReader(ctx, &raw) == REDIS_OK && raw != nullptr) {
          ReplyPtr reply(static_cast<redisReply*>(raw));
          raw = nullptr;
          Deliver(*reply);
        }
        if (ctx->err != 0) return;
        last_heard = now;
        pinged = false;
        continue;
      }
      if (now - last_heard > kDeadAfter) return;
      if (!pinged && now - last_heard > kPingAfter) {
        ScopedSigpipeBlock no_sigpipe;
        int done = 0;
        if (redisAppendCommand(ctx, "PING") != REDIS_OK) return;
        while (done == 0) {
          if (redisBufferWrite(ctx, &done) != REDIS_OK) return;
        }
        pinged = true;
      }
    }
  }

  // ["message", channel, "<node> <count> <topic>"]; anything else (pong, ...) is ignored.
  void Deliver(const redisReply& reply) {
    if (Text(Element(reply, 0)) != "message") return;
    const std::string body = Text(Element(reply, 2));
    const size_t a = body.find(' ');
    const size_t b = a == std::string::npos ? a : body.find(' ', a + 1);
    if (b == std::string::npos) return;
    if (!options_.deliver_own && body.compare(0, a, node_) == 0) return;
    int64_t count = 0;
    if (!ParseInt(std::string_view(body).substr(a + 1, b - a - 1), count)) return;
    const std::string topic = body.substr(b + 1);
    Guarded([&] { on_message_(topic, static_cast<int>(count)); });
  }

  template <typename Fn>
  static void Guarded(Fn&& fn) {
    try {
      fn();
    } catch (const std::exception& e) {
      NOJ_LOG_ERROR("event=notify_callback_failed error=\"{}\"", e.what());
    } catch (...) {
      NOJ_LOG_ERROR("event=notify_callback_failed error=unknown");
    }
  }

  const Endpoint endpoint_;
  const Callback on_message_;
  const NotifierOptions options_;
  const std::string node_;  // random id: tells this node's own messages apart
  const int wake_fd_;

  WireCounters wire_;  // the publisher's connections (the subscriber's stream is not counted)

  Mutex mu_;
  std::condition_variable_any cv_;
  bool stopping_ GUARDED_BY(mu_) = false;
  bool subscribed_ GUARDED_BY(mu_) = false;
  bool overflow_logged_ GUARDED_BY(mu_) = false;
  std::vector<std::pair<std::string, int>> queue_ GUARDED_BY(mu_);
  std::thread subscriber_;
  std::thread publisher_;
};

}  // namespace

Result<std::unique_ptr<RedisNotifier>> RedisNotifier::Open(const std::string& url,
                                                           Callback on_message,
                                                           NotifierOptions options) {
  NOJ_ASSIGN_OR_RETURN(RedisOptions o, ParseRedisUrl(url));
  if (!on_message) return InvalidArgumentError("RedisNotifier needs an on_message callback");
  Endpoint endpoint;
  endpoint.host = o.host;
  endpoint.port = o.port;
  endpoint.password = o.password;
  endpoint.connect_timeout_ms = o.connect_timeout_ms;
  endpoint.command_timeout_ms = o.command_timeout_ms;
  // db stays 0: pub/sub ignores the db, and SELECT is not needed to publish or subscribe.
  if (options.channel.empty()) {
    options.channel = o.key_prefix + "notify" + (o.db != 0 ? ":" + std::to_string(o.db) : "");
  }
  try {
    auto notifier = std::make_unique<RedisNotifierImpl>(std::move(endpoint), std::move(on_message),
                                                        std::move(options));
    notifier->Start();
    return std::unique_ptr<RedisNotifier>(std::move(notifier));
  } catch (const std::exception& e) {  // std::system_error: no thread could be started
    return InternalError(std::string("redis notifier: ") + e.what());
  }
}

}  // namespace noj::store::redis

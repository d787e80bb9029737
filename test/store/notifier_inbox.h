#pragma once
// What a RedisNotifier subscriber heard, in order, for the notifier tests.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "store/redis/redis_notifier.h"

namespace noj::store::redis {

struct NotifierInbox {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<std::string, int>> messages;  // (topic, count), as delivered

  RedisNotifier::Callback Callback() {
    return [this](const std::string& topic, int count) {
      std::lock_guard<std::mutex> lock(mu);
      messages.emplace_back(topic, count);
      cv.notify_all();
    };
  }
  // True once at least n messages arrived (false at the timeout).
  bool WaitFor(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu);
    return cv.wait_for(lock, timeout, [&] { return messages.size() >= n; });
  }
  std::vector<std::string> Topics() {
    std::lock_guard<std::mutex> lock(mu);
    std::vector<std::string> topics;
    for (const auto& [topic, count] : messages) topics.push_back(topic);
    return topics;
  }
};

}  // namespace noj::store::redis

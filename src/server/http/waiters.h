#pragma once
// Parked long-poll connections, by topic ("jobs", "submission:sn_…"). A notification wakes waiters
// in FIFO order; a woken waiter always retries its handler once more, so a wake-up is never lost
// even when the waiter's own deadline passes at the same moment. A notification of
// "<topic>@<detail>" (e.g. "jobs@1:1", a job of that requirement class) wakes only the waiters of
// <topic> whose filter accepts <detail> (a waiter without a filter accepts everything), so a
// wake-up goes to a runner that can take the job.
//
// Thread-safe. Each waiter's cancel is posted to the waiter's own executor (its connection's
// strand), so it runs after the connection has suspended in async_wait — or sets the flag it checks
// first.

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace noj::server {

class Waiters {
 public:
  using Filter = std::function<bool(std::string_view detail)>;
  struct Waiter {
    std::shared_ptr<boost::asio::steady_timer> timer;
    Filter accepts;  // empty: every detail
    std::atomic<bool> notified{false};
  };
  using Handle = std::shared_ptr<Waiter>;

  Handle Add(const std::string& topic, std::shared_ptr<boost::asio::steady_timer> timer,
             Filter accepts = {});
  void Remove(const std::string& topic, const Handle& waiter);

  // Wakes up to `count` waiters of `topic` (FIFO), or of "<topic>@<detail>" those that accept
  // <detail>; count < 0 wakes all of them.
  void Notify(const std::string& topic, int count);
  // Wakes every waiter of every topic (shutdown).
  void NotifyAll();

  size_t Size() const;

 private:
  static void Wake(const Handle& w);
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::list<Handle>> topics_;
};

}  // namespace noj::server

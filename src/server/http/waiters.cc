#include "server/http/waiters.h"

#include <boost/asio/post.hpp>
#include <optional>

namespace noj::server {

Waiters::Handle Waiters::Add(const std::string& topic,
                             std::shared_ptr<boost::asio::steady_timer> timer, Filter accepts) {
  auto w = std::make_shared<Waiter>();
  w->timer = std::move(timer);
  w->accepts = std::move(accepts);
  std::lock_guard lock(mu_);
  topics_[topic].push_back(w);
  return w;
}

void Waiters::Remove(const std::string& topic, const Handle& waiter) {
  std::lock_guard lock(mu_);
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  it->second.remove(waiter);
  if (it->second.empty()) topics_.erase(it);
}

void Waiters::Wake(const Handle& w) {
  w->notified.store(true);
  auto timer = w->timer;
  boost::asio::post(timer->get_executor(), [timer] { timer->cancel(); });
}

void Waiters::Notify(const std::string& topic, int count) {
  const size_t at = topic.find('@');
  const std::string base = topic.substr(0, at);
  const std::optional<std::string_view> detail =
      at == std::string::npos ? std::nullopt
                              : std::optional(std::string_view(topic).substr(at + 1));
  std::list<Handle> woken;
  {
    std::lock_guard lock(mu_);
    auto it = topics_.find(base);
    if (it == topics_.end()) return;
    auto& list = it->second;
    for (auto w = list.begin(); w != list.end() && count != 0;) {
      if (detail && (*w)->accepts && !(*w)->accepts(*detail)) {
        ++w;
        continue;
      }
      woken.push_back(std::move(*w));
      w = list.erase(w);
      if (count > 0) --count;
    }
    if (list.empty()) topics_.erase(it);
  }
  for (const Handle& w : woken) Wake(w);
}

void Waiters::NotifyAll() {
  std::unordered_map<std::string, std::list<Handle>> all;
  {
    std::lock_guard lock(mu_);
    all.swap(topics_);
  }
  for (auto& [topic, list] : all)
    for (const Handle& w : list) Wake(w);
}

size_t Waiters::Size() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [topic, list] : topics_) n += list.size();
  return n;
}

}  // namespace noj::server

#include "dispatch/broadcast.h"

namespace noj::dispatch {

void LocalBroadcast::Subscribe(Subscriber subscriber) {
  MutexLock lock(&mu_);
  auto next = std::make_shared<Subscribers>(*subscribers_);
  next->push_back(std::move(subscriber));
  subscribers_ = std::move(next);
}

void LocalBroadcast::SetRelay(Relay* relay) {
  MutexLock lock(&mu_);
  relay_ = relay;
}

std::shared_ptr<const LocalBroadcast::Subscribers> LocalBroadcast::Snapshot() const {
  MutexLock lock(&mu_);
  return subscribers_;
}

void LocalBroadcast::Deliver(const Message& message) {
  for (const Subscriber& s : *Snapshot()) s(message);
}

RelayCounters LocalBroadcast::Counters() const {
  MutexLock lock(&mu_);
  return relay_ != nullptr ? relay_->Counters() : RelayCounters{};
}

void LocalBroadcast::Publish(const Message& message) {
  Deliver(message);
  Relay* relay = nullptr;
  {
    MutexLock lock(&mu_);
    relay = relay_;
  }
  if (relay != nullptr) relay->Send(message);
}

}  // namespace noj::dispatch

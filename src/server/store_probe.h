#pragma once
// The background probe behind /healthz: a thread that pings the store every `interval_ms` and
// records each answer (and each wait) in a StoreHealth, so /healthz answers from memory. Its own
// thread, not the store executor: a full executor must not make a healthy store look down.

#include <condition_variable>
#include <cstdint>
#include <stop_token>
#include <thread>

#include "server/store_health.h"
#include "store/store.h"

namespace noj::server {

class StoreProbe {
 public:
  // Starts probing at once. `store` and `health` must outlive this object.
  StoreProbe(store::Store& store, StoreHealth& health, int64_t interval_ms = 500);
  // Stops and joins; waits for a ping in flight (at most the store's own command timeout).
  ~StoreProbe();
  StoreProbe(const StoreProbe&) = delete;
  StoreProbe& operator=(const StoreProbe&) = delete;

 private:
  void Loop(std::stop_token stop);

  store::Store& store_;
  StoreHealth& health_;
  const int64_t interval_ms_;
  std::mutex mu_;  // only for the condition variable's wait: nothing is guarded by it
  std::condition_variable_any cv_;
  std::jthread thread_;  // last: started once the members above exist
};

}  // namespace noj::server

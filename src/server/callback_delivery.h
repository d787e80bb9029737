#pragma once
// nojd's deliverer of result callbacks (docs/callbacks.md), wired into a server: its options from
// --callback-*, the secret from secrets.json, woken by every SubmissionFinal on the broadcast (a
// result landed here or, on Redis, on another node), its figures on /metrics. The dispatch path
// only publishes; it never waits on a delivery.

#include <atomic>
#include <memory>

#include "callbacks/callback_stats.h"
#include "callbacks/deliverer.h"
#include "common/clock.h"
#include "common/status.h"
#include "server/assemble.h"
#include "server/config.h"

namespace noj::server {

class CallbackDelivery {
 public:
  // Starts the deliverer's threads; kInvalidArgument for a bad secret or option.
  static Result<std::unique_ptr<CallbackDelivery>> Start(Assembly& server, const Secrets& secrets,
                                                         store::Store& store, const Clock& clock);
  ~CallbackDelivery();  // Stop()
  CallbackDelivery(const CallbackDelivery&) = delete;
  CallbackDelivery& operator=(const CallbackDelivery&) = delete;

  // POSTs in flight finish (bounded by --callback-timeout-ms), leased ones not started are handed
  // back; later wake-ups are ignored. Idempotent.
  void Stop();

 private:
  explicit CallbackDelivery(ServerMetrics& metrics) : metrics_(metrics) {}

  ServerMetrics& metrics_;
  callbacks::CallbackStats stats_;
  // What the broadcast's subscription wakes: the subscription cannot be removed, so it holds this
  // and finds null once the deliverer stopped.
  std::shared_ptr<std::atomic<callbacks::Deliverer*>> wake_ =
      std::make_shared<std::atomic<callbacks::Deliverer*>>(nullptr);
  std::unique_ptr<callbacks::Deliverer> deliverer_;
};

// The deliverer's options from the server's configuration (node_id: unique per process).
callbacks::DelivererOptions DelivererOptionsOf(const CallbackConfig& config,
                                               const std::string& secret);

}  // namespace noj::server

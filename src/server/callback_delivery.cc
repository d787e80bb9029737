#include "server/callback_delivery.h"

#include <unistd.h>

#include <string>
#include <variant>

#include "common/crypto.h"

namespace noj::server {

callbacks::DelivererOptions DelivererOptionsOf(const CallbackConfig& config,
                                               const std::string& secret) {
  callbacks::DelivererOptions o;
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, 8, "host");
  // Lease owner: unique per process, readable in GET /callbacks and the logs.
  o.node_id = std::string("nojd-") + host + "-" + std::to_string(::getpid()) + "-" +
              crypto::Base64UrlEncode(crypto::RandomBytes(4));
  o.secret = secret;
  o.workers = config.workers;
  o.inflight_per_target = config.inflight_per_target;
  o.http.timeout_ms = config.timeout_ms;
  o.http.connect_timeout_ms = std::min<int64_t>(o.http.connect_timeout_ms, config.timeout_ms);
  o.retry.base_ms = config.retry_base_ms;
  o.retry.cap_ms = std::max(config.retry_max_ms, config.retry_base_ms);
  o.retry.max_age_ms = config.max_age_s * 1000;
  return o;
}

Result<std::unique_ptr<CallbackDelivery>> CallbackDelivery::Start(Assembly& server,
                                                                  const Secrets& secrets,
                                                                  store::Store& store,
                                                                  const Clock& clock) {
  std::unique_ptr<CallbackDelivery> d(new CallbackDelivery(server.metrics));
  NOJ_ASSIGN_OR_RETURN(
      d->deliverer_,
      callbacks::Deliverer::Create(
          store, clock, server.callback_allow,
          DelivererOptionsOf(server.context.config.callbacks, secrets.callback_secret), d->stats_));
  d->wake_->store(d->deliverer_.get());
  server.broadcast.Subscribe([wake = d->wake_](const dispatch::Message& m) {
    if (!std::holds_alternative<dispatch::SubmissionFinal>(m)) return;
    if (callbacks::Deliverer* deliverer = wake->load()) deliverer->Notify();
  });
  d->metrics_.SetCallbackStats(&d->stats_);
  return d;
}

void CallbackDelivery::Stop() {
  if (deliverer_ == nullptr) return;
  wake_->store(nullptr);
  deliverer_->Stop();
}

CallbackDelivery::~CallbackDelivery() {
  Stop();
  metrics_.SetCallbackStats(nullptr);
}

}  // namespace noj::server

#include "server/assemble.h"

#include <variant>

#include "dispatch/topics.h"
#include "server/api/routes.h"

namespace noj::server {

dispatch::DispatchConfig DispatchConfigOf(const ServerConfig& config) {
  dispatch::DispatchConfig d;
  d.lease_ttl_ms = config.lease_ttl_s * 1000;
  d.max_attempts = config.max_attempts;
  d.identity_ttl_ms = config.identity_ttl_s * 1000;
  d.max_output_bytes = config.max_output_bytes;
  return d;
}

Result<callbacks::CallbackAllowList> CallbackAllowOf(const CallbackConfig& config) {
  NOJ_ASSIGN_OR_RETURN(callbacks::CallbackAllowList allow,
                       callbacks::CallbackAllowList::Parse(config.allow));
  if (!config.default_url.empty()) {
    auto url = callbacks::ParseCallbackUrl(config.default_url);
    if (!url.ok()) return InvalidArgumentError("--callback-url: " + url.status().message());
    allow.AllowExact(*url);
  }
  return allow;
}

Assembly::Assembly(const ServerConfig& config, const Secrets& secrets, store::Store& store,
                   const Clock& clock)
    : problems(store),
      dispatcher(store, clock, DispatchConfigOf(config), problems, broadcast, metrics),
      callback_allow(CallbackAllowOf(config.callbacks).value_or(callbacks::CallbackAllowList())),
      context{store,    clock,     config,  secrets,       dispatcher,
              problems, broadcast, metrics, callback_allow} {
  broadcast.Subscribe([this](const dispatch::Message& m) {
    if (const auto* revoked = std::get_if<dispatch::RunnerRevoked>(&m)) {
      context.auth_cache.Forget(revoked->runner_id);
      return;
    }
    auto [topic, count] = dispatch::TopicOf(m);
    waiters.Notify(topic, count);
  });
  AddAllRoutes(router, context);
}

std::unique_ptr<Assembly> Assemble(const ServerConfig& config, const Secrets& secrets,
                                   store::Store& store, const Clock& clock) {
  return std::make_unique<Assembly>(config, secrets, store, clock);
}

}  // namespace noj::server

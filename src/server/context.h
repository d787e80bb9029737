#pragma once
// What every handler needs: the dispatcher (every lifecycle transition), the store (reads), the
// clock, configuration, secrets, the problem cache, the broadcast and the metrics. Built once by
// server::Assemble (server/assemble.h); not copyable (the auth cache holds a mutex).

#include "callbacks/allow_list.h"
#include "common/clock.h"
#include "dispatch/broadcast.h"
#include "dispatch/dispatcher.h"
#include "dispatch/problem_cache.h"
#include "server/auth_cache.h"
#include "server/config.h"
#include "server/metrics/server_metrics.h"
#include "store/store.h"

namespace noj::server {

struct ServerContext {
  store::Store& store;
  const Clock& clock;
  ServerConfig config;
  Secrets secrets;
  dispatch::Dispatcher& dispatcher;
  dispatch::ProblemCache& problems;
  dispatch::LocalBroadcast& broadcast;
  ServerMetrics& metrics;
  // Hosts a submission's callback_url may name (--callback-allow, plus --callback-url's host).
  const callbacks::CallbackAllowList& callback_allow;
  AuthCache auth_cache{};
};

}  // namespace noj::server

#pragma once
// The one factory of a server: the dispatcher, the broadcast, the long-poll waiters, the metrics,
// the handlers' context and the router, wired the same way for nojd, the fuzz harness and the
// tests. The caller opens the store (and, with Redis, the relay: dispatch/redis_relay.h, on
// `broadcast`), runs the HTTP server on `router` and `waiters`, and the reaper on `dispatcher`.
//
// Wiring: the broadcast's JobsAvailable and SubmissionFinal wake the waiters of their topics
// (dispatch/topics.h); RunnerRevoked makes the auth cache forget the runner; the dispatcher itself
// follows JobsAvailable for its claim arrival gate.

#include <memory>

#include "callbacks/allow_list.h"
#include "common/clock.h"
#include "dispatch/broadcast.h"
#include "dispatch/dispatcher.h"
#include "dispatch/problem_cache.h"
#include "server/config.h"
#include "server/context.h"
#include "server/http/router.h"
#include "server/http/waiters.h"
#include "server/metrics/server_metrics.h"
#include "store/store.h"

namespace noj::server {

// Members in construction order; destroyed in reverse (the router and context first).
struct Assembly {
  Assembly(const ServerConfig& config, const Secrets& secrets, store::Store& store,
           const Clock& clock);
  Assembly(const Assembly&) = delete;
  Assembly& operator=(const Assembly&) = delete;

  ServerMetrics metrics;
  Waiters waiters;
  dispatch::LocalBroadcast broadcast;
  dispatch::ProblemCache problems;
  dispatch::Dispatcher dispatcher;
  callbacks::CallbackAllowList callback_allow;  // CallbackAllowOf(config)
  ServerContext context;
  Router router;  // every route of protocol.md (AddAllRoutes)
};

// The dispatcher's settings from the server's configuration.
dispatch::DispatchConfig DispatchConfigOf(const ServerConfig& config);

// --callback-allow with --callback-url's host. kInvalidArgument naming a bad entry (nojd checks
// this before it assembles; Assembly takes an empty list, refusing every url, on error).
Result<callbacks::CallbackAllowList> CallbackAllowOf(const CallbackConfig& config);

std::unique_ptr<Assembly> Assemble(const ServerConfig& config, const Secrets& secrets,
                                   store::Store& store, const Clock& clock);

}  // namespace noj::server

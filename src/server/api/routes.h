#pragma once
// Registers every endpoint of protocol.md on a router. One file per area.

#include "server/context.h"
#include "server/http/router.h"

namespace noj::server {

void AddRunnerRoutes(Router& router, ServerContext& ctx);      // §2.1–2.5
void AddTestdataRoutes(Router& router, ServerContext& ctx);    // §2.6 and code links
void AddProblemRoutes(Router& router, ServerContext& ctx);     // §5 problems
void AddSubmissionRoutes(Router& router, ServerContext& ctx);  // §5 submissions
void AddAdminRoutes(Router& router, ServerContext& ctx);       // §5 runners, queue, healthz
void AddUiRoutes(Router& router);  // the status page (src/server/ui/), not in the contract
void AddMetricsRoutes(Router& router, ServerContext& ctx);     // GET /metrics (Prometheus)
void AddCallbackRoutes(Router& router, ServerContext& ctx);    // GET /callbacks, redeliver

inline void AddAllRoutes(Router& router, ServerContext& ctx) {
  AddRunnerRoutes(router, ctx);
  AddTestdataRoutes(router, ctx);
  AddProblemRoutes(router, ctx);
  AddSubmissionRoutes(router, ctx);
  AddAdminRoutes(router, ctx);
  AddUiRoutes(router);
  AddMetricsRoutes(router, ctx);
  AddCallbackRoutes(router, ctx);
}

}  // namespace noj::server

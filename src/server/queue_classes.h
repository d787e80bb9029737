#pragma once
// The queue per requirement class (judging.md §5) as GET /queue, /metrics and the status page show
// it: what waits, since when, and how many alive runners could take it — so an operator sees
// "Java: 12 waiting, no runner".

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "api/requirements.h"
#include "store/records.h"

namespace noj::server {

struct ClassView {
  api::JobRequirements requirements;
  std::string key;    // api::RequirementsKey: "1:1"
  std::string label;  // api::RequirementsLabel: "C++ + checker"
  int64_t pending = 0;
  int64_t oldest_pending_age_ms = 0;
  int64_t runners_able = 0;  // alive runners whose capabilities can take it
};

// Alive = heard from within `alive_window_ms` (two heartbeat intervals; display only, INV2).
inline std::vector<ClassView> QueueClasses(const store::QueueStats& queue,
                                           const std::vector<store::RunnerInfo>& runners,
                                           int64_t now, int64_t alive_window_ms) {
  std::vector<ClassView> out;
  for (const store::ClassQueueStats& c : queue.classes) {
    ClassView v;
    v.requirements = c.requirements;
    v.key = api::RequirementsKey(c.requirements);
    v.label = api::RequirementsLabel(c.requirements);
    v.pending = c.pending;
    v.oldest_pending_age_ms = c.oldest_pending_enqueued_at > 0
                                  ? std::max<int64_t>(0, now - c.oldest_pending_enqueued_at)
                                  : 0;
    for (const store::RunnerInfo& r : runners)
      if (now - r.runner.last_seen <= alive_window_ms &&
          r.runner.capabilities.CanTake(c.requirements))
        ++v.runners_able;
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace noj::server

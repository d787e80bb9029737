#pragma once
// The operator's view of result callbacks (docs/callbacks.md): GET /callbacks and
// POST /callbacks/{event_id}/redeliver. `…ToJson` writes what nojd answers, keys in the order
// documented there; `…FromJson` reads it back (nojctl) with FieldReader's messages.

#include <boost/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace noj::api {

namespace bj = boost::json;

// One delivery. Keys in order: event_id, submission_id, job_id, url, state ("pending" | "dead"),
// leased, attempts, created_at, next_attempt_at, last_attempt_at, last_error.
struct DeliveryView {
  std::string event_id;
  std::string submission_id;
  std::string job_id;
  std::string url;
  std::string state;
  bool leased = false;  // a POST of it is in flight on some node
  int64_t attempts = 0;
  int64_t created_at = 0;
  int64_t next_attempt_at = 0;
  int64_t last_attempt_at = 0;
  std::string last_error;
};

// Deliveries to one url. Keys: url, pending, dead, oldest_pending_age_ms.
struct DeliveryTargetView {
  std::string url;
  int64_t pending = 0;
  int64_t dead = 0;
  int64_t oldest_pending_age_ms = 0;
};

// GET /callbacks. Keys: pending, leased, dead, oldest_pending_age_ms, delivered_total,
// superseded_total, targets, deliveries.
struct CallbacksView {
  int64_t pending = 0;
  int64_t leased = 0;
  int64_t dead = 0;
  int64_t oldest_pending_age_ms = 0;
  int64_t delivered_total = 0;
  int64_t superseded_total = 0;
  std::vector<DeliveryTargetView> targets;
  std::vector<DeliveryView> deliveries;
};
bj::object CallbacksViewToJson(const CallbacksView& v);
Result<CallbacksView> CallbacksViewFromJson(const bj::value& body);

// POST /callbacks/{event_id}/redeliver's 200: {"event_id":…,"state":"pending"}.
bj::object RedeliverResponseToJson(const std::string& event_id);

}  // namespace noj::api

#pragma once
// The client API's operations bodies (protocol.md §5): GET /runners, DELETE /runners/{rn},
// GET /queue and GET /healthz. `…ToJson` writes what nojd answers with the keys in the order the
// black-box suite pins; `…FromJson` reads it back (nojctl) with FieldReader's messages. Fields
// added after Normal-OJ (sandbox, languages, features, classes) may be absent: an older server
// did not send them.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace noj::api {

namespace bj = boost::json;

// One runner of GET /runners. Keys in order: runner_id, name, registered_at, last_seen, alive,
// active_jobs, sandbox ("" when the runner did not report it), languages, features (what it
// declared at registration, judging.md §5).
struct RunnerView {
  std::string runner_id;
  std::string name;
  int64_t registered_at = 0;
  int64_t last_seen = 0;
  bool alive = false;  // heard from within two heartbeat intervals (display only, INV2)
  std::vector<std::string> active_jobs;
  std::string sandbox;
  std::vector<int> languages;
  std::vector<std::string> features;  // names, as FeatureNames gives them
  // Extension: the speed the runner measured at start (docs/runner.md); null when not reported.
  std::optional<double> speed_score;
};
bj::object RunnerViewToJson(const RunnerView& r);
// GET /runners answers a bare array of views.
bj::array RunnersViewToJson(const std::vector<RunnerView>& runners);
Result<std::vector<RunnerView>> RunnersViewFromJson(const bj::value& body);

// DELETE /runners/{rn}: {"runner_id":…,"revoked":true}.
struct RevokeResponse {
  std::string runner_id;
  bool revoked = true;
};
bj::object RevokeResponseToJson(const RevokeResponse& r);
Result<RevokeResponse> RevokeResponseFromJson(const bj::object& body);

// One requirement class with pending jobs in GET /queue (judging.md §5). Keys in order: key,
// label, language, features, pending, oldest_pending_age_ms, runners_able.
struct QueueClassView {
  std::string key;    // RequirementsKey: "1:1"
  std::string label;  // RequirementsLabel: "C++ + checker"
  int language = 0;
  std::vector<std::string> features;
  int64_t pending = 0;
  int64_t oldest_pending_age_ms = 0;
  int64_t runners_able = 0;
};

// GET /queue. Keys in order: pending {"0","1","2"}, pending_total (their sum, written, not
// stored), leased, oldest_pending_age_ms, reclaimed_total, judge_error_total, results_total,
// classes.
struct QueueView {
  int64_t pending[3] = {0, 0, 0};  // by priority: contest, normal, bulk
  int64_t leased = 0;
  int64_t oldest_pending_age_ms = 0;
  int64_t reclaimed_total = 0;
  int64_t judge_error_total = 0;
  int64_t results_total = 0;
  std::vector<QueueClassView> classes;
  int64_t PendingTotal() const { return pending[0] + pending[1] + pending[2]; }
};
bj::object QueueViewToJson(const QueueView& q);
// pending_total is not read: PendingTotal() is the sum of what `pending` holds.
Result<QueueView> QueueViewFromJson(const bj::object& body);

// GET /healthz: {"status":"ok"}.
bj::object HealthResponseToJson();

}  // namespace noj::api

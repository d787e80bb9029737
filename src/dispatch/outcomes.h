#pragma once
// What the Dispatcher's methods return: typed outcomes that keep their reason, so the HTTP layer
// shapes a response from them and nothing else.

#include <cstdint>
#include <memory>
#include <string>

#include "api/requirements.h"
#include "store/records.h"

namespace noj::dispatch {

struct Registration {
  std::string name;
  std::string sandbox;  // the runner's protections line ("" when not reported or ignored)
  api::RunnerCapabilities capabilities;
  std::optional<double> speed_score;  // the runner's measured speed (nullopt when not reported)
};
struct Registered {
  std::string runner_id;
  std::string token;  // the runner's secret: returned once, stored only as its SHA-256
};

enum class ClaimKind {
  kLeased,   // `job` is leased to the runner; `problem` is the version it judges
  kNothing,  // nothing the runner can take (or the arrival gate skipped the claim: `gated`)
  kAtBound,  // the runner holds as many leases as one heartbeat may list: no job for now
};
struct ClaimResult {
  ClaimKind kind = ClaimKind::kNothing;
  bool gated = false;  // kNothing without asking the store (ArrivalGate)
  store::JobRecord job;
  std::shared_ptr<const store::ProblemRecord> problem;
};

enum class CompleteResult { kLanded, kDroppedStale };
enum class AbortResult { kRequeued, kJudgeError, kDroppedStale };

struct SubmitRequest {
  int64_t problem_id = 0;
  int language = 0;
  std::string code;
  int priority = 1;
  std::string callback_url;  // already checked against the allow-list; "" = none
};
struct Enqueued {
  std::string submission_id;
  std::string job_id;
};

}  // namespace noj::dispatch

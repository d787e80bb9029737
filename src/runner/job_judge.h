#pragma once
// JobJudge: what turns one prepared job into its case results. The real one is JudgePipeline
// (compile and run in noj-sandbox); FakeJudge (fake_judge.h) is the chaos harness's stand-in.
// The job worker only sees this interface, so the choice is made once, where the runner is wired.

#include <stop_token>

#include "api/results.h"
#include "common/status.h"

namespace noj::runner {

struct JudgeInput;

class JobJudge {
 public:
  JobJudge() = default;
  JobJudge(const JobJudge&) = delete;
  JobJudge& operator=(const JobJudge&) = delete;
  virtual ~JobJudge() = default;

  // One result per case in payload order. kAborted when `stop` was requested; kInternal for local
  // trouble — the job should then go back to the queue. Thread-safe.
  virtual Result<api::ReportedCases> Judge(const JudgeInput& input, std::stop_token stop) = 0;
};

}  // namespace noj::runner

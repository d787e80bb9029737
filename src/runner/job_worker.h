#pragma once
// The life of one claimed job on this runner, on its own thread:
//   prepare (code + testdata) → start judging (unless draining) → judge → send the result.
// Local state is finalised (untracked, work dir removed) before an abort is sent, because the
// server may hand the job straight back to this runner.
//   language not in the table → abort "rejected" (nothing downloaded; judging.md §5 routing
//                          should never hand it one)
//   prep failure         → abort "prep_failed"
//   drain before judging → abort "drain"
//   server cancel hint   → dropped silently (the lease is not ours any more)
//   400 on complete      → abort "rejected"
//   local trouble        → abort "runner error: …"

#include <filesystem>
#include <memory>
#include <stop_token>

#include "api/job_payload.h"
#include "runner/box_id_pool.h"
#include "runner/job_judge.h"
#include "runner/job_prep.h"
#include "runner/job_tracker.h"
#include "runner/judge_pipeline.h"
#include "runner/runner_api.h"
#include "runner/runner_metrics.h"
#include "runner/sleeper.h"

namespace noj::runner {

class TrashBin;

struct JobWorkerDeps {
  RunnerApi& api;
  JobTracker& tracker;
  JobPreparer& preparer;
  JobJudge& pipeline;  // JudgePipeline, or FakeJudge under --fake-judge
  BoxIdPool& boxes;
  Sleeper& sleeper;
  std::filesystem::path work_root;  // each job works in work_root/<job id>
  RunnerMetrics* metrics = nullptr;
  TrashBin* trash = nullptr;  // null: a work dir that cannot be removed stays where it is
};

class JobWorker {
 public:
  explicit JobWorker(JobWorkerDeps deps) : d_(std::move(deps)) {}

  // Runs the job to its end. `control` comes from tracker.Track(); `runner_stop` is the runner's
  // stop-now token (ends even the final abort). Thread-safe: one call per job, in parallel.
  void Run(const api::JobPayload& job, std::shared_ptr<JobControl> control,
           std::stop_token runner_stop);

 private:
  // Untracks and cleans up, then aborts with `reason` (unless the server cancelled the job).
  void GiveBack(const api::JobPayload& job, const JobControl& control, std::string_view reason,
                std::stop_token runner_stop);
  void OnStopped(const api::JobPayload& job, const JobControl& control,
                 std::stop_token runner_stop);
  // Every path of Run ends here exactly once (logs event=job_finished).
  void Finalise(const std::string& job_id);
  // Removes the job's work dir, or moves it into the trash when that fails (a contestant's tree
  // the removal cannot cope with must not be found by the next run of the job).
  void ClearWorkDir(const std::string& job_id);
  void Send(const api::JobPayload& job, const JobControl& control, const api::ReportedCases& cases,
            std::stop_token runner_stop);

  JobWorkerDeps d_;
};

}  // namespace noj::runner

#include "runner/job_worker.h"

#include <cctype>

#include "common/crypto.h"
#include "common/logging.h"
#include "judge/aggregate.h"
#include "runner/fs_util.h"
#include "runner/result_sender.h"
#include "runner/trash_bin.h"

namespace noj::runner {
namespace {

// Job ids are opaque: use them as a directory name only when harmless.
std::string WorkDirName(const std::string& job_id) {
  bool safe = !job_id.empty() && job_id.size() <= 100;
  for (char c : job_id)
    safe = safe && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  if (safe) return job_id;
  // Appended rather than "h" + …: g++ 12 at -O3 warns falsely (-Wrestrict) on that form.
  std::string name = "h";
  name += crypto::Sha256Hex(job_id).substr(0, 32);
  return name;
}

}  // namespace

void JobWorker::ClearWorkDir(const std::string& job_id) {
  std::filesystem::path work = d_.work_root / WorkDirName(job_id);
  Status removed = RemoveTree(work);
  if (removed.ok()) return;
  NOJ_LOG_WARN("event=workdir_cleanup_failed job={} error=\"{}\"", job_id, removed.message());
  if (d_.trash == nullptr) return;
  if (Status moved = d_.trash->MoveAside(work); !moved.ok())
    NOJ_LOG_WARN("event=workdir_move_aside_failed job={} error=\"{}\"", job_id, moved.message());
  else
    NOJ_LOG_INFO("event=workdir_moved_aside job={} trash={}", job_id, d_.trash->dir().string());
}

void JobWorker::Finalise(const std::string& job_id) {
  ClearWorkDir(job_id);
  d_.tracker.Untrack(job_id);
  // Every way a job ends passes here once: the pair job_claimed … job_finished brackets a job.
  NOJ_LOG_INFO("event=job_finished job={}", job_id);
}

void JobWorker::GiveBack(const api::JobPayload& job, const JobControl& control,
                         std::string_view reason, std::stop_token runner_stop) {
  Finalise(job.job_id);
  if (control.reason.load() == StopReason::kServerCancel) return;
  int tries = control.reason.load() == StopReason::kShutdown ? 1 : 3;
  AbortJob(d_.api, d_.sleeper, job.job_id, reason, runner_stop, tries).IgnoreError();  // logged
}

void JobWorker::OnStopped(const api::JobPayload& job, const JobControl& control,
                          std::stop_token runner_stop) {
  StopReason why = control.reason.load();
  if (why == StopReason::kServerCancel) {
    NOJ_LOG_INFO("event=job_cancelled job={} by=server", job.job_id);
    Finalise(job.job_id);
    return;
  }
  NOJ_LOG_INFO("event=job_given_back job={} reason=drain", job.job_id);
  GiveBack(job, control, "drain", runner_stop);
}

void JobWorker::Send(const api::JobPayload& job, const JobControl& control,
                     const api::ReportedCases& cases, std::stop_token runner_stop) {
  d_.tracker.MarkSending(job.job_id);
  SendOutcome outcome =
      SendResult(d_.api, d_.sleeper, job.job_id, job.attempt, cases, control.token(), d_.metrics);
  if (d_.metrics && outcome == SendOutcome::kLanded)
    d_.metrics->JobDone(judge::Aggregate(job.tasks, cases).status);
  NOJ_LOG_INFO("event=result_sent job={} attempt={} outcome={}", job.job_id, job.attempt,
               SendOutcomeName(outcome));
  if (outcome == SendOutcome::kRejected) return GiveBack(job, control, "rejected", runner_stop);
  if (outcome == SendOutcome::kStopped) return OnStopped(job, control, runner_stop);
  Finalise(job.job_id);
}

void JobWorker::Run(const api::JobPayload& job, std::shared_ptr<JobControl> control,
                    std::stop_token runner_stop) {
  if (d_.metrics) d_.metrics->JobStarted();
  struct Finished {  // whichever way the job ends
    RunnerMetrics* m;
    ~Finished() {
      if (m) m->JobFinished();
    }
  } finished{d_.metrics};
  std::stop_token stop = control->token();
  NOJ_LOG_INFO("event=job_claimed job={} submission={} problem={} language={} attempt={}",
               job.job_id, job.submission_id, job.problem_id, static_cast<int>(job.language),
               job.attempt);
  if (!d_.preparer.Supports(job.language)) {
    // The server routes by the codes declared at registration, so this is a server (or a
    // changed table's) mistake: given back at once, never judged with another entry.
    NOJ_LOG_WARN("event=job_refused job={} language={} reason=\"not in this runner's languages\"",
                 job.job_id, static_cast<int>(job.language));
    return GiveBack(job, *control, "rejected", runner_stop);
  }
  auto prepared = d_.preparer.Prepare(job, stop);
  if (stop.stop_requested()) return OnStopped(job, *control, runner_stop);
  if (!prepared.ok()) return GiveBack(job, *control, "prep_failed", runner_stop);
  if (!d_.tracker.MarkStarted(job.job_id)) return OnStopped(job, *control, runner_stop);
  // From here a drain lets the job finish (before, it gives the job back).
  NOJ_LOG_INFO("event=judge_started job={} submission={} attempt={}", job.job_id, job.submission_id,
               job.attempt);

  std::filesystem::path work = d_.work_root / WorkDirName(job.job_id);
  ClearWorkDir(job.job_id);  // leftovers of an earlier run of this job; MakeDirs reports
  Result<api::ReportedCases> cases = [&]() -> Result<api::ReportedCases> {
    NOJ_RETURN_IF_ERROR(MakeDirs(work));
    BoxIdPool::Lease box(d_.boxes);
    JudgeInput in{.language = job.language,
                  .tasks = job.tasks,
                  .source = prepared->source,
                  .testdata_dir = prepared->testdata->dir,
                  .meta = prepared->testdata->meta,
                  .package = prepared->testdata->package,
                  .work_dir = work,
                  .box_id = box.id(),
                  .helper_box_id = box.helper_id()};
    return d_.pipeline.Judge(in, stop);
  }();
  if (stop.stop_requested()) return OnStopped(job, *control, runner_stop);
  if (!cases.ok()) {
    NOJ_LOG_ERROR("event=judge_failed job={} error=\"{}\"", job.job_id, cases.status().message());
    return GiveBack(job, *control, "runner error: " + cases.status().message(), runner_stop);
  }
  RemoveTree(work).IgnoreError();  // best effort: Finalise tries again
  if (d_.metrics)
    for (const auto& task : *cases)
      for (const auto& c : task)
        d_.metrics->RunSeconds(static_cast<double>(c.exec_time_ms) / 1000.0);
  Send(job, *control, *cases, runner_stop);
}

}  // namespace noj::runner

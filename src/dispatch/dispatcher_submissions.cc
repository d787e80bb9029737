// Dispatcher: submissions — enqueue, rejudge, and the bulk rejudge of a problem.

#include <algorithm>

#include "api/submission_bodies.h"
#include "common/ids.h"
#include "dispatch/dispatcher.h"
#include "judge/job_requirements.h"

namespace noj::dispatch {
namespace {

// Submissions rejudged per store step by RejudgeProblem: each batch is one short transaction (one
// Lua script), so other requests interleave.
constexpr size_t kRejudgeBatch = 1000;
// A bulk rejudge whose problem changes under it re-reads it this many times before giving up.
constexpr int kRejudgeRetries = 5;

// kInvalidArgument naming the accepted languages when the problem restricts them (meta
// "languages") and `language` is not among them; OK otherwise.
Status CheckProblemLanguage(const store::ProblemRecord& p, int language) {
  const std::vector<int>& accepted = p.meta.languages;
  if (accepted.empty() || std::find(accepted.begin(), accepted.end(), language) != accepted.end())
    return Status::Ok();
  std::string names;
  for (int code : accepted) {
    if (!names.empty()) names += ", ";
    names += std::to_string(code) + " (" + api::RequirementsLabel({code, 0}) + ")";
  }
  return InvalidArgumentError("problem " + std::to_string(p.problem_id) + " accepts language " +
                              names + " only, not " + std::to_string(language));
}

// What a problem's jobs need besides their language (judging.md §5): the same for every language.
uint32_t FeaturesOf(const store::ProblemRecord& p) {
  return judge::RequirementsOf(0, p.meta, p.context_io).features;
}

}  // namespace

Result<Enqueued> Dispatcher::Enqueue(SubmitRequest request) {
  // Read afresh, not cached: testdata (SimpleIO or ContextIO) can be replaced, and what the job
  // needs follows it (judging.md §5).
  NOJ_ASSIGN_OR_RETURN(store::ProblemRecord problem, store_.GetProblem(request.problem_id));
  NOJ_RETURN_IF_ERROR(CheckProblemLanguage(problem, request.language));
  if (!problem.has_testdata) return FailedPreconditionError("the problem has no testdata yet");
  const int64_t now = clock_.NowMs();
  store::NewSubmission sub;
  sub.submission_id = ids::NewSubmissionId(now);
  sub.job_id = ids::NewJobId(now);
  sub.problem_id = request.problem_id;
  sub.language = request.language;
  sub.code = std::move(request.code);
  sub.priority = request.priority;
  sub.callback_url = std::move(request.callback_url);
  sub.requirements = judge::RequirementsOf(sub.language, problem.meta, problem.context_io);
  NOJ_RETURN_IF_ERROR(store_.Enqueue(sub, now));
  Event e{.kind = EventKind::kEnqueued,
          .job = sub.job_id,
          .submission = sub.submission_id,
          .problem = sub.problem_id,
          .priority = sub.priority,
          .job_class = api::RequirementsKey(sub.requirements)};
  Emit(sink_, e);
  broadcast_.Publish(JobsAvailable{sub.requirements, 1});
  return Enqueued{sub.submission_id, sub.job_id};
}

Result<std::string> Dispatcher::Rejudge(const std::string& submission_id, int priority) {
  // The new job needs what the problem needs now (its checker or testdata may have changed since
  // the submission): recomputed, not copied.
  NOJ_ASSIGN_OR_RETURN(store::SubmissionRecord sub, store_.GetSubmission(submission_id));
  std::optional<api::JobRequirements> requirements;  // nullopt: keep the submission's
  if (auto problem = store_.GetProblem(sub.problem_id); problem.ok())
    requirements = judge::RequirementsOf(sub.language, problem->meta, problem->context_io);
  else if (problem.status().code() != ErrorCode::kNotFound)
    return problem.status();
  const int64_t now = clock_.NowMs();
  std::string job_id = ids::NewJobId(now);
  NOJ_RETURN_IF_ERROR(store_.Rejudge(submission_id, job_id, priority, requirements, now));
  Event e{.kind = EventKind::kRejudge,
          .job = job_id,
          .submission = submission_id,
          .priority = priority,
          .job_class = requirements ? api::RequirementsKey(*requirements) : "kept"};
  Emit(sink_, e);
  broadcast_.Publish(JobsAvailable{requirements, 1});
  return job_id;
}

Result<int64_t> Dispatcher::RejudgeProblem(int64_t problem_id, std::optional<int> status) {
  store::ProblemRejudge batch;
  batch.status = status;
  batch.priority = api::kPriorityBulk;
  int64_t queued = 0;
  int retries = 0;
  for (bool done = false; !done;) {
    NOJ_ASSIGN_OR_RETURN(store::ProblemRecord problem, store_.GetProblem(problem_id));
    batch.features = FeaturesOf(problem);
    batch.expected_version = problem.version;
    while (!done) {
      const int64_t now = clock_.NowMs();
      batch.new_job_ids.clear();
      for (size_t i = 0; i < kRejudgeBatch; ++i) batch.new_job_ids.push_back(ids::NewJobId(now));
      auto out = store_.RejudgeProblem(problem_id, batch, now);
      if (!out.ok()) {
        if (out.status().code() != ErrorCode::kAborted) return out.status();
        if (++retries > kRejudgeRetries)
          return AbortedError("the problem changed meanwhile, retry");
        break;  // the problem changed: re-read its class, go on from the same place
      }
      queued += static_cast<int64_t>(out->submission_ids.size());
      if (!out->submission_ids.empty()) batch.before = out->submission_ids.back();
      done = out->done;
    }
  }
  Event e{.kind = EventKind::kProblemRejudged, .problem = problem_id};
  e.status = status ? std::to_string(*status) : "any";
  e.count = queued;
  Emit(sink_, e);
  AnnounceJobs(queued);
  return queued;
}

}  // namespace noj::dispatch

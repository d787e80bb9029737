// RedisStore: the job transitions (enqueue, claim, complete, abort, reap, rejudge). Each is one
// EVALSHA: one round trip, atomic on the server.

#include "common/logging.h"
#include "store/job_class.h"
#include "store/redis/codec.h"
#include "store/redis/redis_store_impl.h"

namespace noj::store::redis {

namespace {

// {'OK', outcome, submission_id, attempts} (complete.lua / abort.lua)
struct LandingReply {
  std::string outcome;
  std::string submission_id;
  std::string attempts;
};
LandingReply ReadLanding(const redisReply& reply) {
  return {Text(Element(reply, 1)), Text(Element(reply, 2)), Text(Element(reply, 3))};
}

}  // namespace

Status RedisStore::Enqueue(const NewSubmission& s, int64_t now) {
  if (!api::IsValidPriority(s.priority)) return InvalidArgumentError("priority must be 0, 1 or 2");
  if (s.code.size() > options_.max_code_bytes) {
    return ResourceExhaustedError("code of " + std::to_string(s.code.size()) +
                                  " bytes is larger than the store's limit of " +
                                  std::to_string(options_.max_code_bytes) + " bytes");
  }
  NOJ_ASSIGN_OR_RETURN(const std::string req_class, JobClassKey(s.language, s.requirements));
  const std::string pid = Int(s.problem_id);
  const std::string lang = Int(s.language);
  const std::string prio = Int(s.priority);
  const std::string at = Int(now);
  NOJ_RETURN_IF_ERROR(Call(ScriptId::kEnqueue, {s.submission_id, s.job_id, pid, lang, prio, s.code,
                                                at, req_class, s.callback_url})
                          .status());
  return Status::Ok();
}

Result<ClaimOutcome> RedisStore::Claim(const std::string& runner_id,
                                       const api::RunnerCapabilities& capabilities,
                                       const LeasePolicy& policy, int64_t now) {
  const std::string ttl = Int(policy.lease_ttl_ms);
  const std::string max = Int(policy.max_attempts);
  const std::string at = Int(now);
  const std::string max_leases = Int(policy.max_leases_per_runner);
  std::string languages;  // "0,1,2"
  for (int code : capabilities.languages) {
    if (!languages.empty()) languages += ',';
    languages += Int(code);
  }
  const std::string features = Int(capabilities.features);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kClaim, {runner_id, ttl, max, at, je_json_,
                                                               max_leases, languages, features}));
  ClaimOutcome out;
  int64_t at_limit = 0;
  ParseInt(Element(*reply, 6), at_limit);
  out.lease_limit_reached = at_limit != 0;
  NOJ_ASSIGN_OR_RETURN(out.converged_to_je, Strings(Element(*reply, 4)));
  NOJ_ASSIGN_OR_RETURN(out.discarded_stale_jobs, Strings(Element(*reply, 5)));
  NOJ_ASSIGN_OR_RETURN(out.corrupt_je, Strings(Element(*reply, 7)));
  NOJ_ASSIGN_OR_RETURN(out.problem_missing_je, Strings(Element(*reply, 8)));
  const Fields job = ToFields(Element(*reply, 1));
  if (!job.empty()) {
    NOJ_ASSIGN_OR_RETURN(JobRecord record, DecodeJob("", job));
    out.job = std::move(record);
  }
  int64_t reclaimed = 0;
  ParseInt(Element(*reply, 2), reclaimed);
  if (reclaimed != 0 && out.job) {
    out.reclaimed = true;
    out.previous_runner = Text(Element(*reply, 3));
  }
  return out;
}

Result<JobRecord> RedisStore::GetJob(const std::string& job_id) {
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Read({"HGETALL", Key("job:" + job_id)}));
  const Fields fields = ToFields(reply.get());
  if (fields.empty()) return NotFoundError("no such job: " + job_id);
  return DecodeJob(job_id, fields);
}

Result<CompleteOutcome> RedisStore::Complete(const CompletionRequest& c, int64_t now) {
  const std::string attempt = c.attempt ? Int(*c.attempt) : std::string();
  const std::string at = Int(now);
  const std::string status = Int(api::VerdictCode(c.result.status));
  const std::string score = Int(c.result.score);
  const std::string time = Int(c.result.exec_time_ms);
  const std::string memory = Int(c.result.memory_kib);
  const std::string result = ResultToText(c.result);
  std::vector<std::string> fields;  // "<task>:<case>:o" / ":e"
  fields.reserve(c.outputs.size() * 2);
  for (const api::CaseOutput& o : c.outputs) {
    const std::string base = Int(o.task) + ":" + Int(o.case_index) + ":";
    fields.push_back(base + "o");
    fields.push_back(base + "e");
  }
  Argv args = {c.runner_id, c.job_id, attempt, at, status, score, time, memory, result};
  for (size_t i = 0; i < c.outputs.size(); ++i) {
    args.insert(args.end(), {fields[2 * i], c.outputs[i].stdout_text, fields[2 * i + 1],
                             c.outputs[i].stderr_text});
  }
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kComplete, args));
  const LandingReply landing = ReadLanding(*reply);
  // The handler logs the outcome (once, for both stores).
  return landing.outcome == "stale" ? CompleteOutcome::kDroppedStale : CompleteOutcome::kLanded;
}

Result<AbortOutcome> RedisStore::Abort(const std::string& runner_id, const std::string& job_id,
                                       std::optional<int> attempt, bool refund_attempt,
                                       int max_attempts, int64_t now) {
  const std::string expected = attempt ? Int(*attempt) : std::string();
  const std::string max = Int(max_attempts);
  const std::string at = Int(now);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply,
                       Call(ScriptId::kAbort, {runner_id, job_id, expected,
                                               refund_attempt ? "1" : "0", max, at, je_json_}));
  const LandingReply landing = ReadLanding(*reply);
  if (landing.outcome == "stale") return AbortOutcome::kDroppedStale;
  if (landing.outcome == "je") return AbortOutcome::kJudgeError;
  return AbortOutcome::kRequeued;
}

Result<ReapOutcome> RedisStore::ReapExpired(int max_attempts, int64_t now, int limit) {
  ReapOutcome out;
  if (limit <= 0) return out;
  const std::string max = Int(max_attempts);
  const std::string at = Int(now);
  const std::string cap = Int(limit);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kReap, {max, at, cap, je_json_}));
  NOJ_ASSIGN_OR_RETURN(out.converged_to_je, Strings(Element(*reply, 1)));
  NOJ_ASSIGN_OR_RETURN(out.discarded_stale_jobs, Strings(Element(*reply, 2)));
  NOJ_ASSIGN_OR_RETURN(out.corrupt_je, Strings(Element(*reply, 3)));
  NOJ_ASSIGN_OR_RETURN(out.problem_missing_je, Strings(Element(*reply, 4)));
  return out;
}

Status RedisStore::Rejudge(const std::string& submission_id, const std::string& new_job_id,
                           int priority, const std::optional<api::JobRequirements>& requirements,
                           int64_t now) {
  if (!api::IsValidPriority(priority)) return InvalidArgumentError("priority must be 0, 1 or 2");
  std::string req_class;  // '': the submission's own; the script checks the language matches
  if (requirements) {
    NOJ_ASSIGN_OR_RETURN(req_class, JobClassKey(requirements->language, *requirements));
  }
  const std::string prio = Int(priority);
  const std::string at = Int(now);
  NOJ_RETURN_IF_ERROR(
      Call(ScriptId::kRejudge, {submission_id, new_job_id, prio, at, req_class}).status());
  return Status::Ok();
}

Result<ProblemRejudgeOutcome> RedisStore::RejudgeProblem(int64_t problem_id,
                                                         const ProblemRejudge& b, int64_t now) {
  if (!api::IsValidPriority(b.priority)) return InvalidArgumentError("priority must be 0, 1 or 2");
  ProblemRejudgeOutcome out;
  if (b.new_job_ids.empty()) {  // nothing to do, but the problem must exist
    NOJ_RETURN_IF_ERROR(GetProblem(problem_id).status());
    out.done = true;
    return out;
  }
  // Argv holds views: every argument is named first.
  const std::string pid = Int(problem_id);
  const std::string status = b.status ? Int(*b.status) : std::string();
  const std::string before = b.before.value_or("");
  const std::string prio = Int(b.priority);
  const std::string at = Int(now);
  const std::string features = Int(b.features);
  const std::string expected = Int(b.expected_version);
  Argv args = {pid, status, before, prio, at, features, expected};
  args.insert(args.end(), b.new_job_ids.begin(), b.new_job_ids.end());
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kRejudgeProblem, args));
  NOJ_ASSIGN_OR_RETURN(out.submission_ids, Strings(Element(*reply, 1)));
  int64_t done = 0;
  ParseInt(Element(*reply, 2), done);
  out.done = done != 0;
  return out;
}

Status RedisStore::UpgradeLayout() {
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kUpgradeLayout, {}));
  int64_t moved = 0;
  ParseInt(Element(*reply, 1), moved);
  if (moved > 0) NOJ_LOG_INFO("event=redis_layout_upgraded to=2 jobs={}", moved);
  return Status::Ok();
}

}  // namespace noj::store::redis

// RedisStore: submission reads and queue statistics.

#include <algorithm>

#include "common/logging.h"
#include "store/redis/codec.h"
#include "store/redis/redis_store_impl.h"

namespace noj::store::redis {

namespace {

constexpr int kMaxListLimit = 1000;

// The listing index (key without prefix) that answers the filter exactly.
std::string ListIndex(const SubmissionFilter& filter) {
  if (filter.problem_id && filter.status) {
    return "subs:problem:" + Int(*filter.problem_id) + ":status:" + Int(*filter.status);
  }
  if (filter.problem_id) return "subs:problem:" + Int(*filter.problem_id);
  if (filter.status) return "subs:status:" + Int(*filter.status);
  return "subs:all";
}

}  // namespace

Result<SubmissionRecord> RedisStore::GetSubmission(const std::string& submission_id) {
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply,
                       Call(ScriptId::kGetSubmission, {submission_id}, Idempotent::kYes));
  const redisReply* s = Element(*reply, 1);
  if (s == nullptr) return InternalError("redis: get_submission reply");
  return DecodeSubmission(*s);
}

Result<std::pair<std::string, int>> RedisStore::GetSubmissionCode(
    const std::string& submission_id) {
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kGetCode, {submission_id}, Idempotent::kYes));
  int64_t language = 0;
  if (!ParseInt(Element(*reply, 2), language)) {
    return InternalError("corrupted submission " + submission_id + ": language");
  }
  return std::make_pair(Text(Element(*reply, 1)), static_cast<int>(language));
}

Result<std::vector<SubmissionRecord>> RedisStore::ListSubmissions(const SubmissionFilter& filter) {
  const size_t limit = static_cast<size_t>(std::clamp(filter.limit, 1, kMaxListLimit));
  const std::string index = ListIndex(filter);
  std::string before = filter.before.value_or("");
  std::vector<SubmissionRecord> out;
  // Usually one round trip; more only when records were skipped (gone or corrupted).
  while (out.size() < limit) {
    const std::string count = Int(static_cast<int64_t>(limit - out.size()));
    NOJ_ASSIGN_OR_RETURN(
        ReplyPtr reply, Call(ScriptId::kListSubmissions, {index, before, count}, Idempotent::kYes));
    const redisReply* items = Element(*reply, 1);
    if (items == nullptr) return InternalError("redis: list_submissions reply");
    for (size_t i = 0; i < items->elements; ++i) {
      auto record = DecodeSubmission(*items->element[i]);
      if (!record.ok()) {
        NOJ_LOG_WARN("event=skipped_corrupted_submission error=\"{}\"", record.status().message());
        continue;
      }
      out.push_back(std::move(record).value());
    }
    int64_t scanned = 0;
    ParseInt(Element(*reply, 2), scanned);
    if (scanned < std::stoll(count)) break;  // the index is exhausted
    before = Text(Element(*reply, 3));
  }
  return out;
}

Result<api::CaseOutput> RedisStore::GetCaseOutput(const std::string& submission_id, int task,
                                                  int case_index) {
  const std::string base = Int(task) + ":" + Int(case_index) + ":";
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply,
                       Read({"HMGET", Key("sub-out:" + submission_id), base + "o", base + "e"}));
  const redisReply* out = Element(*reply, 0);
  const redisReply* err = Element(*reply, 1);
  if ((out == nullptr || out->type == REDIS_REPLY_NIL) &&
      (err == nullptr || err->type == REDIS_REPLY_NIL)) {
    return NotFoundError("no output for " + submission_id + " task " + Int(task) + " case " +
                         Int(case_index));
  }
  return api::CaseOutput{task, case_index, Text(out), Text(err)};
}

Result<QueueStats> RedisStore::GetQueueStats(int64_t /*now*/) {
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kQueueStats, {}, Idempotent::kYes));
  QueueStats stats;
  int64_t* fields[] = {&stats.pending[0],
                       &stats.pending[1],
                       &stats.pending[2],
                       &stats.leased,
                       &stats.oldest_pending_enqueued_at,
                       &stats.reclaimed_total,
                       &stats.judge_error_total,
                       &stats.results_total};
  for (size_t i = 0; i < std::size(fields); ++i) {
    if (!ParseInt(Element(*reply, i + 1), *fields[i])) {
      return InternalError("redis: queue_stats reply");
    }
  }
  const redisReply* classes = Element(*reply, std::size(fields) + 1);
  for (size_t i = 0; classes != nullptr && i < classes->elements; ++i) {
    const redisReply& item = *classes->element[i];
    const std::optional<api::JobRequirements> r = api::RequirementsFromKey(Text(Element(item, 0)));
    ClassQueueStats c;
    if (!r || !ParseInt(Element(item, 1), c.pending) ||
        !ParseInt(Element(item, 2), c.oldest_pending_enqueued_at))
      continue;  // a damaged class key: its jobs are settled by the claim that meets them
    c.requirements = *r;
    stats.classes.push_back(c);
  }
  return stats;
}

}  // namespace noj::store::redis

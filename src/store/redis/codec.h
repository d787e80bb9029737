#pragma once
// Decoding of Redis replies into records, and the JSON text stored for tasks and results.
// A record that cannot be decoded gives kInternal ("corrupted ..."); scans skip such records.

#include <hiredis/hiredis.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/codec.h"
#include "api/results.h"
#include "api/task_spec.h"
#include "common/status.h"
#include "store/records.h"

namespace noj::store::redis {

// The i-th element of an array reply, or nullptr (not an array, or out of range).
const redisReply* Element(const redisReply& reply, size_t i);
// The text of a string/status reply, the decimal text of an integer reply, "" otherwise.
std::string Text(const redisReply* reply);
// A strict decimal integer (from a string or integer reply).
bool ParseInt(const redisReply* reply, int64_t& out);
bool ParseInt(std::string_view text, int64_t& out);
// Array elements 0..n-1 as text; kInternal if `reply` is not an array.
Result<std::vector<std::string>> Strings(const redisReply* reply);

// A script reply {'OK', ...} → OK; {'NOT_FOUND', message} → that error. kInternal for anything
// else (a script that returned a shape it should not).
Status ScriptStatus(const redisReply& reply, std::string_view script);

// Field/value pairs of a flat array (HGETALL, job_reply, submission hash).
using Fields = std::map<std::string, std::string, std::less<>>;
Fields ToFields(const redisReply* flat);

// Job fields as stored in job:<id> (+ 'id' when read from a script reply).
Result<JobRecord> DecodeJob(std::string job_id, const Fields& f);
// {sid, {fields...}, job_state, job_runner} (lib.lua submission_reply).
Result<SubmissionRecord> DecodeSubmission(const redisReply& reply);
// {name, token, registered_at, last_seen, expires_at, sandbox, capabilities, speed_score}
// starting at element `first` of `reply`.
Result<RunnerRecord> DecodeRunner(std::string runner_id, const redisReply& reply, size_t first);
Result<ProblemRecord> DecodeProblem(int64_t problem_id, const Fields& f);
// The fields of dlv:<event_id> (HGETALL; lib.lua dlv_reply gives {event_id, {fields...}}).
Result<DeliveryRecord> DecodeDelivery(std::string event_id, const Fields& f);
// A runner's speed_score as stored (shortest text that reads back the same double), and back:
// "" or anything that is not a number reads as nullopt (display only, never fatal).
std::string SpeedScoreToText(double score);
std::optional<double> SpeedScoreFromText(std::string_view text);

using api::TaskSpecsFromText;
using api::TaskSpecsToText;
inline std::string ResultToText(const api::SubmissionResult& r) {
  return api::SubmissionResultToText(r);
}
inline Result<api::SubmissionResult> ResultFromText(const std::string& t) {
  return api::SubmissionResultFromText(t);
}

}  // namespace noj::store::redis

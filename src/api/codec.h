#pragma once
// JSON codecs of the wire types: the protocol's field names in one place.
// Decoders never throw: malformed input gives kInvalidArgument naming the first problem.

#include <boost/json.hpp>
#include <string>

#include "api/job_payload.h"
#include "api/results.h"
#include "api/task_spec.h"
#include "common/status.h"

namespace noj::api {

namespace bj = boost::json;

// {"taskScore","caseCount","memoryLimit","timeLimit"} — in exactly this order (meta endpoint).
bj::object TaskSpecToMetaJson(const TaskSpec& t);
// Both spellings (next-job payload): camelCase keys, then task_id, case_count, memory_limit,
// time_limit.
bj::object TaskSpecToPayloadJson(const TaskSpec& t, int task_id);
// Accepts camelCase or snake_case; validates ranges (score 0..100, cases 1..99,
// memory 1 MiB..4 GiB in KiB, time 1 ms..60 s). Does not check that scores sum to 100.
Result<TaskSpec> TaskSpecFromJson(const bj::value& v);
Result<TaskSpecs> TaskSpecsFromJson(const bj::value& v);  // non-empty array, ≤ 99 tasks, sum 100

bj::object JobPayloadToJson(const JobPayload& p);
// Reads top-level fields, falling back to the `data` object (Normal-OJ wraps payloads).
Result<JobPayload> JobPayloadFromJson(const bj::object& body);

// The complete body {"tasks":[[case,…],…]}: structure, field types and status strings only.
Result<ReportedCases> ReportedCasesFromJson(const bj::value& body);
bj::object ReportedCasesToJson(const ReportedCases& cases);

// Storage / client API form of an aggregated result (no outputs).
bj::object SubmissionResultToJson(const SubmissionResult& r);
Result<SubmissionResult> SubmissionResultFromJson(const bj::value& v);

// The text forms both stores keep: a task list as the JSON array of meta objects (decoded per task
// only, so what was stored is read back even if a newer problem-level rule would refuse it), and an
// aggregated result as SubmissionResultToJson text.
std::string TaskSpecsToText(const TaskSpecs& tasks);
Result<TaskSpecs> TaskSpecsFromText(const std::string& text);
std::string SubmissionResultToText(const SubmissionResult& result);
Result<SubmissionResult> SubmissionResultFromText(const std::string& text);

}  // namespace noj::api

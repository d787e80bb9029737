#pragma once
// The client API's submission bodies (protocol.md §5): POST /submissions and its 201, GET
// /submissions/{sid} (one SubmissionView), GET /submissions (a SubmissionList), the case output
// and POST /submissions/{sid}/rejudge. `…ToJson` writes what the sender sends with the keys in
// the order the black-box suite pins; `…FromJson` reads with FieldReader's messages.

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/results.h"
#include "api/verdict.h"
#include "common/status.h"

namespace noj::api {

namespace bj = boost::json;

// Priorities (protocol.md §5 [ext]): 0 contest, 1 normal (a submission's default), 2 bulk (a
// rejudge's default).
inline constexpr int kPriorityNormal = 1;
inline constexpr int kPriorityBulk = 2;

// POST /submissions. Key order: problem_id, language, code, priority, callback_url.
struct SubmitRequest {
  int64_t problem_id = 0;
  int language = 0;
  std::string code;
  int priority = kPriorityNormal;
  // [ext] docs/callbacks.md: where its final results are POSTed. Absent (or null): the server's
  // --callback-url; "": none. The server checks it against its allow-list.
  std::optional<std::string> callback_url;
};
bj::object SubmitRequestToJson(const SubmitRequest& r);
// problem_id: a required integer; language: a required code IsValidLanguage accepts; code: a
// non-empty string (the server checks its size against its own cap); priority: optional 0..2;
// callback_url: an optional string (null as absent).
Result<SubmitRequest> SubmitRequestFromJson(const bj::object& body);

// Its 201: {"submission_id":…,"status":-1}.
struct SubmitResponse {
  std::string submission_id;
  int status = kPendingCode;
};
bj::object SubmitResponseToJson(const SubmitResponse& r);
Result<SubmitResponse> SubmitResponseFromJson(const bj::object& body);

// POST /submissions/{sid}/rejudge: {"priority":…} (optional, default bulk); 202 {"job_id":…}.
// The request without a priority is {} (the server's default).
bj::object RejudgeRequestToJson(std::optional<int> priority);
Result<int> RejudgePriorityFromJson(const bj::object& body);
bj::object RejudgeResponseToJson(const std::string& job_id);
Result<std::string> RejudgeResponseFromJson(const bj::object& body);

// GET /submissions/{sid}/cases/{task}/{case}: {"stdout":…,"stderr":…}.
bj::object CaseOutputToJson(const std::string& stdout_text, const std::string& stderr_text);
// Both optional (absent or null is "").
Result<CaseOutput> CaseOutputFromJson(const bj::object& body);

// GET /submissions/{sid}. Keys in order: submission_id, problem_id, language, status, score,
// execTime, memoryUsage, attempts, created_at, judged_at (null until judged), tasks (the result's
// tasks as SubmissionResultToJson writes them; [] until judged), priority, job_state and
// runner_id (null when none).
struct SubmissionView {
  std::string submission_id;
  int64_t problem_id = 0;
  int language = 0;
  int status = kPendingCode;
  int score = 0;
  int64_t exec_time_ms = 0;
  int64_t memory_kib = 0;
  int attempts = 0;
  int64_t created_at = 0;
  int64_t judged_at = 0;  // 0: not judged (null)
  std::optional<SubmissionResult> result;
  int priority = kPriorityNormal;
  std::string job_state;  // "" → null
  std::string runner_id;  // "" → null
};
bj::object SubmissionViewToJson(const SubmissionView& v);
// Reads what SubmissionViewToJson writes (nojctl). submission_id, problem_id, language and status
// (-2..7) are required; the rest may be absent (their defaults above). `tasks` is decoded as
// SubmissionResultFromJson decodes a result; `result` is set when the status is final or tasks
// are listed.
Result<SubmissionView> SubmissionViewFromJson(const bj::value& body);

// GET /submissions: {"next_before":<sid of the last item when the page is full, else null>,
// "submissions":[view…]}.
bj::object SubmissionListToJson(const std::vector<SubmissionView>& page,
                                const std::optional<std::string>& next_before);
struct SubmissionList {
  std::vector<SubmissionView> submissions;
  std::optional<std::string> next_before;  // null or absent: the last page
};
Result<SubmissionList> SubmissionListFromJson(const bj::object& body);

}  // namespace noj::api

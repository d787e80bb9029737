#pragma once
// Waits for a submission's verdict with the server's long-poll (GET /submissions/{sid}?wait=N),
// telling the progress line where the submission is: queued → judging on runner X → verdict.

#include <boost/json.hpp>
#include <chrono>
#include <string>

#include "cli/api_client.h"
#include "cli/progress_line.h"
#include "cli/submission_view.h"
#include "common/status.h"

namespace noj::cli {

struct WaitOptions {
  std::chrono::seconds timeout{600};  // total; the last state seen is returned when it passes
  std::chrono::seconds poll{1};       // long-poll length: how often the progress line refreshes
  bool just_submitted = false;  // show "queued" first (a runner may claim before the 1st look)
};

// The submission once final, or as last seen when `timeout` passed (check IsFinal()).
// Errors: those of ApiClient (the server went away, the submission is unknown…) and of
// ReadSubmissionAnswer.
Result<SubmissionAnswer> WaitForVerdict(ApiClient& api, const std::string& sid,
                                        const WaitOptions& options, ProgressLine& progress);

// "queued", "queued again (attempt 1 was lost)", "judging on runner NAME" …; `runner_name` is
// the runner's name when known (else its id is shown).
std::string PendingStateText(const api::SubmissionView& submission, const std::string& runner_name);

}  // namespace noj::cli

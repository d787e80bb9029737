#include "store/submission_view.h"

namespace noj::store {

api::SubmissionView ToSubmissionView(const SubmissionRecord& s) {
  return api::SubmissionView{.submission_id = s.submission_id,
                             .problem_id = s.problem_id,
                             .language = s.language,
                             .status = s.status,
                             .score = s.score,
                             .exec_time_ms = s.exec_time_ms,
                             .memory_kib = s.memory_kib,
                             .attempts = s.attempts,
                             .created_at = s.created_at,
                             .judged_at = s.judged_at,
                             .result = s.result,
                             .priority = s.priority,
                             .job_state = s.job_state,
                             .runner_id = s.runner_id};
}

}  // namespace noj::store

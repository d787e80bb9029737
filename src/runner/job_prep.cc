#include "runner/job_prep.h"

#include "common/logging.h"
#include "runner/backoff.h"
#include "runner/code_package.h"
#include "runner/package_layout.h"

namespace noj::runner {

Result<PreparedJob> JobPreparer::TryOnce(const api::JobPayload& job, std::stop_token stop) {
  NOJ_ASSIGN_OR_RETURN(std::string zip, api_.DownloadCode(job.code_url, stop));
  // The zip names the file as the server does (main.c, main.cpp, main.py; `main` for codes >= 4);
  // the pipeline writes it as the table's source name.
  NOJ_ASSIGN_OR_RETURN(std::string source, ExtractSource(zip, api::SourceFileName(job.language)));
  // The version the lease judges when the server said (judging.md §6), else the current one.
  NOJ_ASSIGN_OR_RETURN(TestdataHandle testdata,
                       cache_.Get(job.problem_id, {job.problem_version, job.checksum}, stop));
  NOJ_RETURN_IF_ERROR(CheckCasesPresent(job.tasks, testdata->dir, testdata->package));
  return PreparedJob{std::move(source), std::move(testdata)};
}

Result<PreparedJob> JobPreparer::Prepare(const api::JobPayload& job, std::stop_token stop) {
  Backoff backoff = PrepBackoff();
  for (;;) {
    auto prepared = TryOnce(job, stop);
    if (prepared.ok()) return prepared;
    if (stop.stop_requested()) return AbortedError("preparation cancelled");
    Status s = prepared.status();
    bool permanent = s.code() == ErrorCode::kInvalidArgument;
    auto delay = permanent ? std::nullopt : backoff.Next();
    NOJ_LOG_WARN("event=prep_failed job={} attempt={} retry={} error=\"{}\"", job.job_id,
                 backoff.retries(), delay.has_value(), s.message());
    if (!delay) return s;
    if (!sleeper_.SleepFor(*delay, stop)) return AbortedError("preparation cancelled");
  }
}

}  // namespace noj::runner

#pragma once
// Preparing a claimed job: the code (plain GET of code_url, exactly main.<ext> in the zip, or
// `main` for a code >= 4: api::SourceFileName) and
// the testdata and its meta (through the cache, covering every case of the payload in the
// package's format: package_layout.h). Up to 3 attempts with backoff for transient trouble; a
// malformed package fails at once. The caller then aborts the job with reason "prep_failed".

#include <stop_token>
#include <string>

#include "api/job_payload.h"
#include "common/status.h"
#include "runner/languages.h"
#include "runner/runner_api.h"
#include "runner/sleeper.h"
#include "runner/testdata_cache.h"

namespace noj::runner {

struct PreparedJob {
  std::string source;  // contents of main.<ext>
  TestdataHandle testdata;
};

class JobPreparer {
 public:
  JobPreparer(RunnerApi& api, TestdataCache& cache, const LanguageTable& languages,
              Sleeper& sleeper)
      : api_(api), cache_(cache), languages_(languages), sleeper_(sleeper) {}

  // Whether the languages table holds `language`: a job for any other is refused unprepared.
  bool Supports(api::Language language) const { return languages_.Find(language) != nullptr; }

  // kAborted when `stop` was requested; otherwise the last attempt's error. Thread-safe.
  Result<PreparedJob> Prepare(const api::JobPayload& job, std::stop_token stop);

 private:
  Result<PreparedJob> TryOnce(const api::JobPayload& job, std::stop_token stop);

  RunnerApi& api_;
  TestdataCache& cache_;
  const LanguageTable& languages_;
  Sleeper& sleeper_;
};

}  // namespace noj::runner

#pragma once
// TestdataSource over the runner API: GET /problem/{pid}/checksum and /testdata with the runner's
// token. A download is verified like Normal-OJ's runner does: md5(zip bytes + meta `data` dumped
// the Python way) must equal the checksum (skipped when the server has no /meta endpoint: 404).
// This also catches testdata replaced between the checksum and the download. The meta comes
// along: it says how the problem is judged (judging.md §2).

#include "runner/runner_api.h"
#include "runner/testdata_cache.h"

namespace noj::runner {

class ServerTestdataSource final : public TestdataSource {
 public:
  explicit ServerTestdataSource(RunnerApi& api) : api_(api) {}

  Result<std::string> Checksum(int64_t problem_id, std::stop_token stop) override;
  Result<TestdataDownload> Download(int64_t problem_id, const std::string& checksum,
                                    std::stop_token stop) override;
  // RunnerApi fetches the current version only (GET /problem/{pid}/… without ?version=N, which
  // the server accepts: docs/protocol.md): the job's version when it is still current, else
  // kFailedPrecondition (the cache then judges with the current one).
  Result<TestdataDownload> DownloadVersion(int64_t problem_id, int64_t version,
                                           const std::string& checksum,
                                           std::stop_token stop) override;

 private:
  RunnerApi& api_;
};

}  // namespace noj::runner

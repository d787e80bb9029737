#include "runner/server_testdata_source.h"

#include "common/crypto.h"
#include "common/logging.h"

namespace noj::runner {

Result<std::string> ServerTestdataSource::Checksum(int64_t problem_id, std::stop_token stop) {
  return api_.Checksum(problem_id, stop);
}

Result<TestdataDownload> ServerTestdataSource::Download(int64_t problem_id,
                                                        const std::string& checksum,
                                                        std::stop_token stop) {
  NOJ_ASSIGN_OR_RETURN(std::string zip, api_.Testdata(problem_id, stop));
  auto meta = api_.MetaForChecksum(problem_id, stop);
  if (!meta.ok()) {
    // No meta endpoint (404): a server that knows no problem meta, so the problem is plain and
    // the zip cannot be verified. Any other failure: the meta decides how to judge, so retry.
    if (meta.status().code() != ErrorCode::kNotFound) return meta.status();
    NOJ_LOG_DEBUG("event=testdata_unverified problem={} reason=\"{}\"", problem_id,
                  meta.status().message());
    return TestdataDownload{std::move(zip), ""};
  }
  if (crypto::Md5Hex(zip + *meta) == checksum)
    return TestdataDownload{std::move(zip), std::move(meta).value()};
  // Changed while downloading (retry with the new checksum), or a server computing the checksum
  // some other way (the zip is then as good as we can get: accept it, say so).
  NOJ_ASSIGN_OR_RETURN(std::string now, api_.Checksum(problem_id, stop));
  if (now != checksum)
    return UnavailableError("testdata of problem " + std::to_string(problem_id) +
                            " changed while downloading");
  NOJ_LOG_WARN("event=testdata_checksum_unverifiable problem={} checksum={}", problem_id, checksum);
  return TestdataDownload{std::move(zip), std::move(meta).value()};
}

Result<TestdataDownload> ServerTestdataSource::DownloadVersion(int64_t problem_id, int64_t version,
                                                               const std::string& checksum,
                                                               std::stop_token stop) {
  // The server keeps a version while a lease refers to it; once dropped (404) or not what the
  // payload said, the caller judges with the current one (kFailedPrecondition).
  auto unavailable = [&](const Status& why) {
    return FailedPreconditionError("version " + std::to_string(version) + " of problem " +
                                   std::to_string(problem_id) +
                                   " is not served: " + std::string(why.message()));
  };
  auto zip = api_.Testdata(problem_id, stop, version);
  if (!zip.ok()) {
    if (zip.status().code() == ErrorCode::kNotFound) return unavailable(zip.status());
    return zip.status();
  }
  auto meta = api_.MetaForChecksum(problem_id, stop, version);
  if (!meta.ok()) {
    if (meta.status().code() == ErrorCode::kNotFound) return unavailable(meta.status());
    return meta.status();
  }
  if (crypto::Md5Hex(*zip + *meta) != checksum)
    return unavailable(InvalidArgumentError("its zip and meta do not match checksum " + checksum));
  return TestdataDownload{std::move(zip).value(), std::move(meta).value()};
}

}  // namespace noj::runner

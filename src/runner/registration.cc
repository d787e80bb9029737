#include "runner/registration.h"

#include "common/logging.h"
#include "runner/backoff.h"

namespace noj::runner {

Result<Registration> RegisterWithRetry(client::HttpClient& http, Sleeper& sleeper,
                                       const std::string& server_url,
                                       const std::string& registration_token,
                                       const std::string& name, const std::string& sandbox,
                                       const api::RunnerCapabilities& capabilities,
                                       std::stop_token stop, std::optional<double> speed_score) {
  Backoff backoff = RegisterBackoff();
  for (;;) {
    auto reg = Register(http, server_url, registration_token, name, sandbox, capabilities, stop,
                        speed_score);
    if (reg.ok()) {
      std::string languages;
      for (int code : capabilities.languages)
        languages += (languages.empty() ? "" : ",") + std::to_string(code);
      std::string features;
      for (const std::string& f : api::FeatureNames(capabilities.features))
        features += (features.empty() ? "" : ",") + f;
      NOJ_LOG_INFO(
          "event=registered runner={} heartbeat_sec={} poll_sec={} max_jobs={} languages={} "
          "features={}",
          reg->runner_id, reg->config.heartbeat_interval_sec, reg->config.poll_interval_sec,
          reg->config.max_concurrent_jobs, languages, features);
      return reg;
    }
    if (stop.stop_requested()) return AbortedError("registration cancelled");
    Status s = reg.status();
    if (s.code() != ErrorCode::kUnavailable) {
      NOJ_LOG_ERROR("event=register_failed fatal=true error=\"{}\"", s.message());
      return s;
    }
    auto delay = backoff.Next();  // never empty: the schedule repeats its last delay
    NOJ_LOG_WARN("event=register_failed retry_in_ms={} error=\"{}\"", delay->count(), s.message());
    if (!sleeper.SleepFor(*delay, stop)) return AbortedError("registration cancelled");
  }
}

}  // namespace noj::runner

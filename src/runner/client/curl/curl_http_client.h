#pragma once
// HttpClient on libcurl. Easy handles are pooled (reset between uses) so connections are reused;
// each CURL* is owned by a small RAII type.

#include <memory>

#include "common/status.h"
#include "runner/client/http_client.h"

namespace noj::runner::client::curl {

struct CurlOptions {
  std::chrono::milliseconds connect_timeout{10000};
  std::string user_agent = "noj-runner/0.1";
};

// Calls curl_global_init once per process (thread-safe); kInternal if libcurl cannot start.
Result<std::unique_ptr<HttpClient>> MakeCurlHttpClient(const CurlOptions& options = {});

}  // namespace noj::runner::client::curl

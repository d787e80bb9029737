#pragma once
// Registering with the server (protocol.md §2.1): retried after 1, 2, 4, 8, 16, 30, 30, … s on
// network errors and 5xx (and 429); 401 is fatal (wrong registration token), as is any other
// 4xx (a configuration error: wrong URL or server). kAborted when `stop` is requested.

#include <optional>
#include <stop_token>
#include <string>

#include "runner/client/http_client.h"
#include "runner/runner_api.h"
#include "runner/sleeper.h"

namespace noj::runner {

Result<Registration> RegisterWithRetry(client::HttpClient& http, Sleeper& sleeper,
                                       const std::string& server_url,
                                       const std::string& registration_token,
                                       const std::string& name, const std::string& sandbox,
                                       const api::RunnerCapabilities& capabilities,
                                       std::stop_token stop,
                                       std::optional<double> speed_score = std::nullopt);

}  // namespace noj::runner

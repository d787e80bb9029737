#pragma once
// Secrets live in <data-dir>/secrets.json (mode 0600). Tokens not given on the command line are
// read from there, or generated at first start and written there; never a fixed default.

#include <string>

#include "common/status.h"
#include "server/config.h"

namespace noj::server {

// Loads or creates the secrets file and applies the overrides of `config`.
// `path_out` receives the file's path (printed at start so the operator can find the tokens).
Result<Secrets> LoadOrCreateSecrets(const ServerConfig& config, std::string& path_out);

}  // namespace noj::server

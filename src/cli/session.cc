#include "cli/session.h"

#include "cli/exit_codes.h"
#include "cli/token.h"

namespace noj::cli {

Result<ApiClient*> Session::Api() {
  if (api_) return api_.get();
  NOJ_ASSIGN_OR_RETURN(std::string server,
                       NormalizeServerUrl(flags_.server.empty() ? kDefaultServer : flags_.server));
  NOJ_ASSIGN_OR_RETURN(std::string token,
                       ResolveApiToken(TokenSources{.flag_token = flags_.token,
                                                    .flag_file = flags_.token_file,
                                                    .env_token = io_.env_token,
                                                    .env_file = io_.env_token_file}));
  api_ = std::make_unique<ApiClient>(http_, std::move(server), std::move(token));
  return api_.get();
}

int Session::Fail(const Status& status, int exit_code) {
  std::string line = status.message();
  for (char& c : line)
    if (c == '\n' || c == '\r') c = ' ';
  io_.out.flush();
  io_.err << "nojctl: " << line << '\n';
  io_.err.flush();
  return exit_code;
}

int Session::FailApi(const Status& status) { return Fail(status, ExitCodeForApiError(status)); }

}  // namespace noj::cli

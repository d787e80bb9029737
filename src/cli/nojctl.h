#pragma once
// nojctl: the command line client of nojd's client API. RunNojctl() parses the arguments and runs
// one command; main() only provides the HTTP client and the process's streams and environment.

#include <ostream>
#include <string>

#include "runner/client/http_client.h"

namespace noj::cli {

struct Environment {
  runner::client::HttpClient& http;
  std::ostream& out;
  std::ostream& err;
  bool err_is_terminal = false;
  std::string server;      // NOJ_SERVER
  std::string token;       // NOJ_API_TOKEN
  std::string token_file;  // NOJ_API_TOKEN_FILE
};

// The exit code (see exit_codes.h).
int RunNojctl(int argc, const char* const* argv, const Environment& env);

}  // namespace noj::cli

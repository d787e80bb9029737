#pragma once
// What every nojctl command shares: the global flags, the output streams, the API client (built on
// first use, once the flags are parsed) and the command picked by the parser.

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "cli/api_client.h"
#include "common/status.h"
#include "runner/client/http_client.h"

namespace noj::cli {

struct GlobalFlags {
  std::string server;      // --server / NOJ_SERVER
  std::string token;       // --token
  std::string token_file;  // --token-file
  bool json = false;       // --json: print the server's JSON instead of text
};

struct Io {
  std::ostream& out;           // results (tables, JSON)
  std::ostream& err;           // the progress line and errors
  bool err_is_terminal;        // progress redrawn in place when true, one line per change otherwise
  std::string env_token;       // NOJ_API_TOKEN
  std::string env_token_file;  // NOJ_API_TOKEN_FILE
};

class Session {
 public:
  static constexpr char kDefaultServer[] = "http://127.0.0.1:8080";

  Session(runner::client::HttpClient& http, Io io) : http_(http), io_(std::move(io)) {}
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  GlobalFlags& flags() { return flags_; }
  bool json() const { return flags_.json; }
  std::ostream& out() { return io_.out; }
  std::ostream& err() { return io_.err; }
  bool err_is_terminal() const { return io_.err_is_terminal; }

  // The client for --server with the resolved token; kInvalidArgument (a usage error) when the
  // URL or the token is unusable.
  Result<ApiClient*> Api();

  // Called by a subcommand's parse callback; Run() executes the last one selected.
  void Select(std::function<int()> command) { command_ = std::move(command); }
  bool selected() const { return static_cast<bool>(command_); }
  int Run() { return command_(); }

  // Prints "nojctl: <message>" as one line on stderr and returns `exit_code`.
  int Fail(const Status& status, int exit_code);
  // Fail() with the exit code for a failed API call (refused or unreachable).
  int FailApi(const Status& status);

 private:
  runner::client::HttpClient& http_;
  Io io_;
  GlobalFlags flags_;
  std::unique_ptr<ApiClient> api_;
  std::function<int()> command_;
};

}  // namespace noj::cli

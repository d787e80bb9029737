// nojctl: wiring only — the libcurl HTTP client, the process's streams and environment.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "cli/exit_codes.h"
#include "cli/nojctl.h"
#include "runner/client/curl/curl_http_client.h"

namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

}  // namespace

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);  // `nojctl … | head` must not die inside libcurl
  noj::runner::client::curl::CurlOptions options;
  options.user_agent = "nojctl/0.1";
  auto http = noj::runner::client::curl::MakeCurlHttpClient(options);
  if (!http.ok()) {
    std::fprintf(stderr, "nojctl: %s\n", http.status().message().c_str());
    return noj::cli::kExitUsage;
  }
  noj::cli::Environment env{.http = **http,
                            .out = std::cout,
                            .err = std::cerr,
                            .err_is_terminal = ::isatty(STDERR_FILENO) == 1,
                            .server = Env("NOJ_SERVER"),
                            .token = Env("NOJ_API_TOKEN"),
                            .token_file = Env("NOJ_API_TOKEN_FILE")};
  int code = noj::cli::RunNojctl(argc, argv, env);
  std::cout.flush();
  return code;
}

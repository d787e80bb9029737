#include "cli/nojctl.h"

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/session.h"

namespace noj::cli {
namespace {

constexpr char kFooter[] =
    "Environment: NOJ_SERVER, NOJ_API_TOKEN, NOJ_API_TOKEN_FILE (flags win).\n"
    "Exit codes: 0 done (with --wait: AC), 1 judged but not AC or still pending, 2 usage error,\n"
    "            3 the server refused the request, 4 the server could not be reached.\n";

void AddGlobalFlags(CLI::App& app, GlobalFlags& f, const Environment& env) {
  f.server = env.server;
  app.add_option("--server", f.server, "nojd base URL (default http://127.0.0.1:8080)");
  app.add_option("--token", f.token, "API token");
  app.add_option("--token-file", f.token_file,
                 "file holding the API token: plain text or nojd's secrets.json");
  app.add_flag("--json", f.json, "print the server's JSON (one document per line)");
}

}  // namespace

int RunNojctl(int argc, const char* const* argv, const Environment& env) {
  Session session(env.http, Io{.out = env.out,
                               .err = env.err,
                               .err_is_terminal = env.err_is_terminal,
                               .env_token = env.token,
                               .env_token_file = env.token_file});
  CLI::App app{"nojctl — submit to, and operate, a noj-dispatch judge server (nojd)", "nojctl"};
  app.fallthrough();  // global flags are accepted after the subcommand too
  app.footer(kFooter);
  app.require_subcommand(1);
  AddGlobalFlags(app, session.flags(), env);
  AddProblemCommands(app, session);
  AddSubmissionCommands(app, session);
  AddAdminCommands(app, session);
  AddCallbackCommands(app, session);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, env.out, env.err);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (!session.selected()) {
    env.err << "nojctl: no command given (see nojctl --help)\n";
    return kExitUsage;
  }
  return session.Run();
}

}  // namespace noj::cli

#pragma once
// The nojctl subcommands, each group registering itself on the CLI11 app. A subcommand's parse
// callback only selects it (Session::Select); it runs once parsing has succeeded.

namespace CLI {
class App;
}

namespace noj::cli {

class Session;

// problem create | show | testdata
void AddProblemCommands(CLI::App& app, Session& session);
// submit, status, rejudge, submissions
void AddSubmissionCommands(CLI::App& app, Session& session);
// runners [revoke], queue
void AddAdminCommands(CLI::App& app, Session& session);
// callbacks [list] | callbacks redeliver EVENT_ID
void AddCallbackCommands(CLI::App& app, Session& session);

}  // namespace noj::cli

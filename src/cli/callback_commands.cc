// nojctl callbacks [list] [--state pending|dead] [--limit N] | callbacks redeliver EVENT_ID.

#include <CLI/CLI.hpp>

#include "api/callback_bodies.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/format.h"
#include "cli/session.h"
#include "cli/table.h"
#include "common/json_util.h"

namespace noj::cli {
namespace {

struct CallbackListArgs {
  std::string state;  // "" both
  int limit = 50;
};

int ListCallbacks(Session& s, const CallbackListArgs& args) {
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  std::string path = "/callbacks?limit=" + std::to_string(args.limit);
  if (!args.state.empty()) path += "&state=" + args.state;
  auto r = (*api)->Get(path);
  if (!r.ok()) return s.FailApi(r.status());
  if (s.json()) {
    s.out() << json::Dump(*r) << '\n';
    return kExitOk;
  }
  auto view = DecodeAnswer("GET /callbacks", api::CallbacksViewFromJson(*r));
  if (!view.ok()) return s.FailApi(view.status());
  s.out() << "pending " << view->pending << " (in flight " << view->leased << "), dead "
          << view->dead << ", oldest pending " << FormatMs(view->oldest_pending_age_ms)
          << "; delivered " << view->delivered_total << ", superseded " << view->superseded_total
          << " (total)\n";
  if (!view->targets.empty()) {
    Table t({"target", "pending", "dead", "oldest pending"});
    for (const api::DeliveryTargetView& x : view->targets)
      t.AddRow({x.url, std::to_string(x.pending), std::to_string(x.dead),
                FormatMs(x.oldest_pending_age_ms)});
    t.Print(s.out());
  }
  if (!view->deliveries.empty()) {
    int64_t now = WallClockMs();
    Table t({"event", "submission", "state", "attempts", "landed", "next attempt", "last error"});
    for (const api::DeliveryView& d : view->deliveries)
      t.AddRow({d.event_id, d.submission_id, d.leased ? "in flight" : d.state,
                std::to_string(d.attempts), FormatAgo(now, d.created_at),
                d.state == "dead" ? "-" : FormatAgo(now, d.next_attempt_at), d.last_error});
    t.Print(s.out());
  }
  return kExitOk;
}

int Redeliver(Session& s, const std::string& event_id) {
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  auto r = (*api)->Call("POST", "/callbacks/" + event_id + "/redeliver", "{}");
  if (!r.ok()) return s.FailApi(r.status());
  if (s.json())
    s.out() << json::Dump(*r) << '\n';
  else
    s.out() << "redelivering " << event_id << ": pending again, due now, with a fresh max age\n";
  return kExitOk;
}

}  // namespace

void AddCallbackCommands(CLI::App& app, Session& session) {
  CLI::App* callbacks = app.add_subcommand(
      "callbacks", "result callbacks: the outbox, per target, the oldest deliveries");
  callbacks->require_subcommand(0, 1);
  auto list_args = std::make_shared<CallbackListArgs>();
  CLI::App* list = callbacks->add_subcommand("list", "list deliveries (the default)");
  for (CLI::App* cmd : {callbacks, list}) {
    cmd->add_option("--state", list_args->state, "pending or dead (default: both)")
        ->check(CLI::IsMember({"pending", "dead"}));
    cmd->add_option("--limit", list_args->limit, "deliveries listed, oldest first")
        ->check(CLI::Range(1, 1000));
  }
  auto event_id = std::make_shared<std::string>();
  CLI::App* redeliver =
      callbacks->add_subcommand("redeliver", "send a dead delivery again (same event id)");
  redeliver->add_option("EVENT_ID", *event_id, "event id (msg_…)")->required();
  redeliver->callback([&session, event_id] {
    session.Select([&session, event_id] { return Redeliver(session, *event_id); });
  });
  callbacks->callback([&session, redeliver, list_args] {
    if (redeliver->parsed()) return;  // `callbacks redeliver ID` selected itself already
    session.Select([&session, list_args] { return ListCallbacks(session, *list_args); });
  });
}

}  // namespace noj::cli

// nojctl runners [revoke RN] | queue.

#include <CLI/CLI.hpp>

#include "api/admin_bodies.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/format.h"
#include "cli/session.h"
#include "cli/table.h"
#include "common/json_util.h"

namespace noj::cli {
namespace {

int Runners(Session& s) {
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  auto r = (*api)->Get("/runners");
  if (!r.ok()) return s.FailApi(r.status());
  if (s.json()) {
    s.out() << json::Dump(*r) << '\n';
    return kExitOk;
  }
  auto runners = DecodeAnswer("GET /runners", api::RunnersViewFromJson(*r));
  if (!runners.ok()) return s.FailApi(runners.status());
  Table t({"runner", "name", "alive", "last seen", "active jobs", "registered"});
  int64_t now = WallClockMs();
  for (const api::RunnerView& o : *runners)
    t.AddRow({o.runner_id, o.name, o.alive ? "yes" : "no", FormatAgo(now, o.last_seen),
              std::to_string(o.active_jobs.size()), FormatAgo(now, o.registered_at)});
  if (t.empty())
    s.out() << "no runners registered\n";
  else
    t.Print(s.out());
  return kExitOk;
}

int Revoke(Session& s, const std::string& rn) {
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  auto r = (*api)->Call("DELETE", "/runners/" + rn);
  if (!r.ok()) return s.FailApi(r.status());
  if (s.json())
    s.out() << json::Dump(*r) << '\n';
  else
    s.out() << "revoked runner " << rn
            << ": its next call is refused, its leased jobs are reclaimed when their leases "
               "expire\n";
  return kExitOk;
}

int Queue(Session& s) {
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  auto r = (*api)->Get("/queue");
  if (!r.ok()) return s.FailApi(r.status());
  if (s.json()) {
    s.out() << json::Dump(*r) << '\n';
    return kExitOk;
  }
  auto queue = DecodeAnswer("GET /queue", api::QueueViewFromJson(AnswerObject(*r)));
  if (!queue.ok()) return s.FailApi(queue.status());
  const api::QueueView& q = *queue;
  Table t({"queue", "value"});
  t.AddRow({"pending", std::to_string(q.PendingTotal()) + " (contest " +
                           std::to_string(q.pending[0]) + ", normal " +
                           std::to_string(q.pending[1]) + ", bulk " + std::to_string(q.pending[2]) +
                           ")"});
  t.AddRow({"leased (judging)", std::to_string(q.leased)});
  t.AddRow({"oldest pending", FormatMs(q.oldest_pending_age_ms)});
  t.AddRow({"reclaimed jobs (total)", std::to_string(q.reclaimed_total)});
  t.AddRow({"judge errors (total)", std::to_string(q.judge_error_total)});
  t.AddRow({"results (total)", std::to_string(q.results_total)});
  t.Print(s.out());
  return kExitOk;
}

}  // namespace

void AddAdminCommands(CLI::App& app, Session& session) {
  CLI::App* runners = app.add_subcommand("runners", "list runners (name, alive, last seen, jobs)");
  runners->require_subcommand(0, 1);
  auto rn = std::make_shared<std::string>();
  CLI::App* revoke = runners->add_subcommand("revoke", "revoke a runner at once");
  revoke->add_option("RN", *rn, "runner id (rn_…)")->required();
  revoke->callback(
      [&session, rn] { session.Select([&session, rn] { return Revoke(session, *rn); }); });
  runners->callback([&session, revoke] {
    if (revoke->parsed()) return;  // `runners revoke RN` selected itself already
    session.Select([&session] { return Runners(session); });
  });

  CLI::App* queue = app.add_subcommand("queue", "show the job queue");
  queue->callback([&session] { session.Select([&session] { return Queue(session); }); });
}

}  // namespace noj::cli

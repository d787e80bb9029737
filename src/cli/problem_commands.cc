// nojctl problem create | update | show | testdata | rejudge.

#include <CLI/CLI.hpp>

#include "api/problem_bodies.h"
#include "cli/api_client.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/format.h"
#include "cli/problem_input.h"
#include "cli/session.h"
#include "cli/table.h"
#include "common/json_util.h"

namespace noj::cli {
namespace {

struct CreateArgs {
  std::string title;
  std::vector<std::string> tasks;
  std::string meta;
  std::string testdata;
  std::string checker;       // --checker; "" keeps the meta file's (or the default)
  bool interactive = false;  // --interactive
  std::string output_limit;  // --output-limit BYTES
};

// The body of POST /problems, or of PUT /problems/{pid} when `update` (title optional there), as
// the meta file and the flags compose it.
Result<bj::object> ComposeProblemBody(const CreateArgs& a, bool update) {
  bj::object body;
  if (!a.meta.empty()) {
    NOJ_ASSIGN_OR_RETURN(body, ReadProblemMeta(a.meta));
  }
  if (!a.title.empty()) body["title"] = a.title;
  if (!a.tasks.empty()) {
    bj::array tasks;
    for (const std::string& t : a.tasks) {
      NOJ_ASSIGN_OR_RETURN(bj::object spec, ParseTaskSpec(t));
      tasks.push_back(std::move(spec));
    }
    body["tasks"] = std::move(tasks);
  }
  if (!a.checker.empty()) {
    NOJ_ASSIGN_OR_RETURN(bj::object checker, ParseCheckerFlag(a.checker));
    body["checker"] = std::move(checker);
  }
  if (a.interactive) body["interactive"] = true;
  if (!a.output_limit.empty()) {
    NOJ_ASSIGN_OR_RETURN(int64_t limit, ParseByteSize("--output-limit", a.output_limit));
    body["outputLimit"] = limit;
  }
  if (!update && !body.contains("title")) return InvalidArgumentError("--title is required");
  if (!body.contains("tasks"))
    return InvalidArgumentError("at least one --task SCORE:CASES:TIME_MS:MEM_KIB is required");
  return body;
}

// What nojctl sends: the composed body written by the api/ codec when the codec reads it (the
// server reads it the same way); otherwise the body as composed, so that the server's refusal
// names what is wrong (exit 3) — the limits are the server's to judge.
Result<bj::object> CreateProblemBody(const CreateArgs& a) {
  NOJ_ASSIGN_OR_RETURN(bj::object composed, ComposeProblemBody(a, /*update=*/false));
  auto request = api::ProblemCreateRequestFromJson(composed);
  if (!request.ok()) return composed;
  return api::ProblemCreateRequestToJson(*request);
}
Result<bj::object> UpdateProblemBody(const CreateArgs& a) {
  NOJ_ASSIGN_OR_RETURN(bj::object composed, ComposeProblemBody(a, /*update=*/true));
  auto request = api::ProblemUpdateRequestFromJson(composed);
  if (!request.ok()) return composed;
  return api::ProblemUpdateRequestToJson(*request);
}

Result<std::string> UploadTestdata(ApiClient& api, int64_t pid, std::string zip) {
  const std::string path = "/problems/" + std::to_string(pid) + "/testdata";
  NOJ_ASSIGN_OR_RETURN(bj::value v, api.Call("PUT", path, std::move(zip), "application/zip",
                                             std::chrono::seconds(300)));
  NOJ_ASSIGN_OR_RETURN(api::TestdataUploaded uploaded,
                       DecodeAnswer("PUT " + path, api::TestdataUploadedFromJson(AnswerObject(v))));
  return std::move(uploaded.checksum);
}

int Create(Session& s, const CreateArgs& a) {
  auto body = CreateProblemBody(a);
  if (!body.ok()) return s.Fail(body.status(), kExitUsage);
  std::optional<std::string> zip;
  if (!a.testdata
           .empty()) {  // read and checked before creating, so a local mistake creates nothing
    auto z = LoadTestdata(a.testdata);
    if (!z.ok()) return s.Fail(z.status(), kExitUsage);
    if (Status fits = CheckPackageLocally(*body, *z); !fits.ok())
      return s.Fail(Status(fits.code(), fits.message() + "; nothing was created"), kExitUsage);
    zip = std::move(z).value();
  }
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  auto created = (*api)->Call("POST", "/problems", json::Dump(*body));
  if (!created.ok()) return s.FailApi(created.status());
  auto answer = DecodeAnswer("POST /problems", api::ProblemCreatedFromJson(AnswerObject(*created)));
  if (!answer.ok()) return s.FailApi(answer.status());
  const int64_t pid = answer->problem_id;
  bj::object out = AnswerObject(*created);
  std::string checksum;
  if (zip) {
    auto up = UploadTestdata(**api, pid, std::move(*zip));
    if (!up.ok())
      return s.Fail(Status(up.status().code(), "problem " + std::to_string(pid) +
                                                   " was created, but its testdata was refused: " +
                                                   up.status().message()),
                    ExitCodeForApiError(up.status()));
    checksum = *up;
    out["checksum"] = checksum;
  }
  if (s.json()) {
    s.out() << json::Dump(out) << '\n';
    return kExitOk;
  }
  const bj::value& task_list = body->at("tasks");  // an array: the server created the problem
  const size_t tasks = task_list.is_array() ? task_list.as_array().size() : 0;
  s.out() << "created problem " << pid << " (" << tasks << (tasks == 1 ? " task" : " tasks") << ")";
  if (zip)
    s.out() << ", testdata uploaded (checksum " << checksum << ")\n";
  else
    s.out() << "; no testdata yet: nojctl problem testdata " << pid << " ZIP|DIR\n";
  return kExitOk;
}

int Testdata(Session& s, int64_t pid, const std::string& path) {
  auto zip = LoadTestdata(path);
  if (!zip.ok()) return s.Fail(zip.status(), kExitUsage);
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  auto checksum = UploadTestdata(**api, pid, std::move(*zip));
  if (!checksum.ok()) return s.FailApi(checksum.status());
  if (s.json())
    s.out() << json::Dump(bj::object{{"checksum", *checksum}}) << '\n';
  else
    s.out() << "uploaded testdata for problem " << pid << " (checksum " << *checksum << ")\n";
  return kExitOk;
}

// PUT /problems/{pid} (judging.md §6): the tasks and meta are replaced, a new version.
int Update(Session& s, int64_t pid, const CreateArgs& a) {
  auto body = UpdateProblemBody(a);
  if (!body.ok()) return s.Fail(body.status(), kExitUsage);
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  const std::string path = "/problems/" + std::to_string(pid);
  auto updated = (*api)->Call("PUT", path, json::Dump(*body));
  if (!updated.ok()) return s.FailApi(updated.status());
  if (s.json()) {
    s.out() << json::Dump(*updated) << '\n';
    return kExitOk;
  }
  auto p = DecodeAnswer("PUT " + path, api::ProblemViewFromJson(AnswerObject(*updated)));
  if (!p.ok()) return s.FailApi(p.status());
  s.out() << "updated problem " << pid << " to version " << p->version;
  if (p->has_testdata) s.out() << " (checksum " << p->checksum << ")";
  s.out() << "; jobs already running finish on the version they started with\n";
  return kExitOk;
}

// POST /problems/{pid}/rejudge[?status=].
int RejudgeProblem(Session& s, int64_t pid, const std::string& status) {
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  std::string path = "/problems/" + std::to_string(pid) + "/rejudge";
  if (!status.empty()) path += "?status=" + status;
  auto queued = (*api)->Call("POST", path);
  if (!queued.ok()) return s.FailApi(queued.status());
  if (s.json()) {
    s.out() << json::Dump(*queued) << '\n';
    return kExitOk;
  }
  auto answer = DecodeAnswer("POST " + path, api::RejudgeQueuedFromJson(AnswerObject(*queued)));
  if (!answer.ok()) return s.FailApi(answer.status());
  const int64_t n = answer->queued;
  s.out() << "queued " << n << (n == 1 ? " submission" : " submissions") << " of problem " << pid
          << (status.empty() ? "" : " with status " + status) << " for rejudging\n";
  return kExitOk;
}

// "float (abs 1e-06, rel 1e-06)", "custom", …; "default" when the problem has none.
std::string CheckerText(const api::CheckerSpec& c) {
  if (c.kind != api::CheckerKind::kFloat) return api::CheckerKindName(c.kind);
  return "float (abs " + json::PythonDumps(bj::value(c.abs)) + ", rel " +
         json::PythonDumps(bj::value(c.rel)) + ")";
}

// The judging.md §2 keys a plain problem does not have, one line each.
void PrintMeta(Session& s, const api::ProblemMeta& meta) {
  s.out() << "checker: " << CheckerText(meta.checker) << '\n';
  if (meta.interactive) s.out() << "interactive: yes\n";
  if (meta.output_limit_bytes)
    s.out() << "output limit: " << *meta.output_limit_bytes << " bytes\n";
  if (!meta.languages.empty()) {
    s.out() << "languages:";
    for (int code : meta.languages) s.out() << ' ' << code;
    s.out() << '\n';
  }
}

void PrintProblem(Session& s, const api::ProblemView& p) {
  s.out() << "problem " << p.problem_id << ": " << p.title << '\n';
  if (p.has_testdata)
    s.out() << "testdata: present, " << (p.context_io ? "ContextIO" : "SimpleIO") << " (checksum "
            << p.checksum << ")\n";
  else
    s.out() << "testdata: missing (upload it: nojctl problem testdata " << p.problem_id
            << " ZIP|DIR)\n";
  PrintMeta(s, p.meta);
  Table t({"task", "score", "cases", "time limit", "memory limit", "scoring"});
  int i = 0;
  for (const api::TaskSpec& task : p.tasks)
    t.AddRow({std::to_string(i++), std::to_string(task.score), std::to_string(task.case_count),
              FormatMs(task.time_limit_ms), FormatKiB(task.memory_limit_kib),
              task.scoring == api::TaskScoring::kPartial ? "partial" : "all"});
  t.Print(s.out());
}

int Show(Session& s, int64_t pid) {
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  const std::string path = "/problems/" + std::to_string(pid);
  auto p = (*api)->Get(path);
  if (!p.ok()) return s.FailApi(p.status());
  if (s.json()) {
    s.out() << json::Dump(*p) << '\n';
    return kExitOk;
  }
  auto view = DecodeAnswer("GET " + path, api::ProblemViewFromJson(AnswerObject(*p)));
  if (!view.ok()) return s.FailApi(view.status());
  PrintProblem(s, *view);
  return kExitOk;
}

}  // namespace

namespace {

// The body options create and update share: tasks, meta file and the meta flags.
void AddProblemBodyOptions(CLI::App* cmd, CreateArgs& args, const std::string& meta_help) {
  cmd->add_option("--task", args.tasks,
                  "a task as SCORE:CASES:TIME_MS:MEM_KIB (repeat; scores sum to 100)");
  cmd->add_option("--meta", args.meta, meta_help);
  cmd->add_option("--checker", args.checker,
                  "default, exact, tokens, custom (source in checker/) or float:ABS:REL");
  cmd->add_flag("--interactive", args.interactive,
                "interactive problem (interactor source in interactor/)");
  cmd->add_option("--output-limit", args.output_limit,
                  "output limit per case in BYTES (K, M, G suffixes allowed)");
}

void AddCreate(CLI::App* problem, Session& session) {
  auto args = std::make_shared<CreateArgs>();
  CLI::App* create =
      problem->add_subcommand("create", "create a problem (and upload its testdata)");
  create->add_option("--title", args->title, "problem title");
  AddProblemBodyOptions(create, *args,
                        "JSON file with \"title\", \"tasks\" (with \"scoring\") and the meta "
                        "keys \"checker\", \"interactive\", \"outputLimit\", \"languages\" "
                        "(flags override it)");
  create->add_option("--testdata", args->testdata,
                     "zip file, or package directory (TTCC.in/.out or test-case/TTCC/…, and "
                     "checker/, interactor/, include/, share/, chaos/), zipped for you");
  create->callback(
      [&session, args] { session.Select([&session, args] { return Create(session, *args); }); });
}

// update: the inputs of create (all optional but the tasks), no testdata (`problem testdata`).
void AddUpdate(CLI::App* problem, Session& session) {
  struct UpdateArgs {
    int64_t pid = 0;
    CreateArgs body;
  };
  auto args = std::make_shared<UpdateArgs>();
  CLI::App* update = problem->add_subcommand(
      "update", "replace a problem's tasks and meta (a new version; running jobs keep theirs)");
  update->add_option("ID", args->pid, "problem id")->required()->check(CLI::PositiveNumber);
  update->add_option("--title", args->body.title, "new title (kept when not given)");
  AddProblemBodyOptions(update, args->body,
                        "JSON file with \"title\", \"tasks\" and the meta keys (flags override "
                        "it); meta keys left out are back to their defaults");
  update->callback([&session, args] {
    session.Select([&session, args] { return Update(session, args->pid, args->body); });
  });
}

void AddRejudge(CLI::App* problem, Session& session) {
  struct RejudgeArgs {
    int64_t pid = 0;
    std::string status;
  };
  auto args = std::make_shared<RejudgeArgs>();
  CLI::App* rejudge = problem->add_subcommand(
      "rejudge", "rejudge a problem's submissions (all, or those with --status) at bulk priority");
  rejudge->add_option("ID", args->pid, "problem id")->required()->check(CLI::PositiveNumber);
  rejudge->add_option("--status", args->status,
                      "only submissions with this status: AC, WA, CE, TLE, MLE, RE, JE, OLE or a "
                      "code from -2 to 7");
  rejudge->callback([&session, args] {
    session.Select([&session, args] { return RejudgeProblem(session, args->pid, args->status); });
  });
}

void AddShowAndTestdata(CLI::App* problem, Session& session) {
  auto show_id = std::make_shared<int64_t>(0);
  CLI::App* show = problem->add_subcommand("show", "show a problem's tasks and testdata");
  show->add_option("ID", *show_id, "problem id")->required()->check(CLI::PositiveNumber);
  show->callback([&session, show_id] {
    session.Select([&session, show_id] { return Show(session, *show_id); });
  });

  struct TestdataArgs {
    int64_t pid = 0;
    std::string path;
  };
  auto td = std::make_shared<TestdataArgs>();
  CLI::App* testdata = problem->add_subcommand("testdata", "upload (replace) a problem's testdata");
  testdata->add_option("ID", td->pid, "problem id")->required()->check(CLI::PositiveNumber);
  testdata->add_option("PATH", td->path, "zip file or directory")->required();
  testdata->callback([&session, td] {
    session.Select([&session, td] { return Testdata(session, td->pid, td->path); });
  });
}

}  // namespace

void AddProblemCommands(CLI::App& app, Session& session) {
  CLI::App* problem = app.add_subcommand(
      "problem", "create, update, show, rejudge and upload testdata of problems");
  problem->require_subcommand(1);
  AddCreate(problem, session);
  AddUpdate(problem, session);
  AddRejudge(problem, session);
  AddShowAndTestdata(problem, session);
}

}  // namespace noj::cli

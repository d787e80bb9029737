// nojctl problem create | show | testdata.

#include <CLI/CLI.hpp>

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
};

Result<bj::object> CreateBody(const CreateArgs& a) {
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
  if (!body.contains("title")) return InvalidArgumentError("--title is required");
  if (!body.contains("tasks"))
    return InvalidArgumentError("at least one --task SCORE:CASES:TIME_MS:MEM_KIB is required");
  return body;
}

Result<std::string> UploadTestdata(ApiClient& api, int64_t pid, std::string zip) {
  NOJ_ASSIGN_OR_RETURN(
      bj::value v, api.Call("PUT", "/problems/" + std::to_string(pid) + "/testdata", std::move(zip),
                            "application/zip", std::chrono::seconds(300)));
  return v.is_object() ? StringField(v.as_object(), "checksum") : std::string();
}

int Create(Session& s, const CreateArgs& a) {
  auto body = CreateBody(a);
  if (!body.ok()) return s.Fail(body.status(), kExitUsage);
  std::optional<std::string> zip;
  if (!a.testdata.empty()) {  // read before creating, so a local mistake creates nothing
    auto z = LoadTestdata(a.testdata);
    if (!z.ok()) return s.Fail(z.status(), kExitUsage);
    zip = std::move(z).value();
  }
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  auto created = (*api)->Call("POST", "/problems", json::Dump(*body));
  if (!created.ok()) return s.FailApi(created.status());
  int64_t pid = created->is_object() ? IntField(created->as_object(), "problem_id") : 0;
  bj::object out = created->is_object() ? created->as_object() : bj::object();
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
  const bj::array& tasks = body->at("tasks").as_array();
  s.out() << "created problem " << pid << " (" << tasks.size()
          << (tasks.size() == 1 ? " task" : " tasks") << ")";
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

void PrintProblem(Session& s, const bj::object& p) {
  int64_t pid = IntField(p, "problem_id");
  s.out() << "problem " << pid << ": " << StringField(p, "title") << '\n';
  bool has = p.if_contains("has_testdata") && p.at("has_testdata").is_bool() &&
             p.at("has_testdata").as_bool();
  if (has)
    s.out() << "testdata: present (checksum " << StringField(p, "checksum") << ")\n";
  else
    s.out() << "testdata: missing (upload it: nojctl problem testdata " << pid << " ZIP|DIR)\n";
  Table t({"task", "score", "cases", "time limit", "memory limit"});
  if (const bj::value* tasks = p.if_contains("tasks"); tasks && tasks->is_array()) {
    int i = 0;
    for (const bj::value& v : tasks->as_array()) {
      if (!v.is_object()) continue;
      const bj::object& o = v.as_object();
      t.AddRow({std::to_string(i++), std::to_string(IntField(o, "taskScore")),
                std::to_string(IntField(o, "caseCount")), FormatMs(IntField(o, "timeLimit")),
                FormatKiB(IntField(o, "memoryLimit"))});
    }
  }
  t.Print(s.out());
}

int Show(Session& s, int64_t pid) {
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  auto p = (*api)->Get("/problems/" + std::to_string(pid));
  if (!p.ok()) return s.FailApi(p.status());
  if (s.json())
    s.out() << json::Dump(*p) << '\n';
  else if (p->is_object())
    PrintProblem(s, p->as_object());
  return kExitOk;
}

}  // namespace

void AddProblemCommands(CLI::App& app, Session& session) {
  CLI::App* problem = app.add_subcommand("problem", "create, show and upload testdata of problems");
  problem->require_subcommand(1);

  auto create_args = std::make_shared<CreateArgs>();
  CLI::App* create =
      problem->add_subcommand("create", "create a problem (and upload its testdata)");
  create->add_option("--title", create_args->title, "problem title");
  create->add_option("--task", create_args->tasks,
                     "a task as SCORE:CASES:TIME_MS:MEM_KIB (repeat; scores sum to 100)");
  create->add_option("--meta", create_args->meta,
                     "JSON file with \"title\" and \"tasks\" (--title/--task override it)");
  create->add_option("--testdata", create_args->testdata,
                     "zip file, or directory of TTCC.in/TTCC.out files (zipped for you)");
  create->callback([&session, create_args] {
    session.Select([&session, create_args] { return Create(session, *create_args); });
  });

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

}  // namespace noj::cli

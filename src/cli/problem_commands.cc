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
  std::string checker;       // --checker; "" keeps the meta file's (or the default)
  bool interactive = false;  // --interactive
  std::string output_limit;  // --output-limit BYTES
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
  if (!a.checker.empty()) {
    NOJ_ASSIGN_OR_RETURN(bj::object checker, ParseCheckerFlag(a.checker));
    body["checker"] = std::move(checker);
  }
  if (a.interactive) body["interactive"] = true;
  if (!a.output_limit.empty()) {
    NOJ_ASSIGN_OR_RETURN(int64_t limit, ParseByteSize("--output-limit", a.output_limit));
    body["outputLimit"] = limit;
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

bool BoolField(const bj::object& o, const char* key) {
  const bj::value* v = o.if_contains(key);
  return v != nullptr && v->is_bool() && v->as_bool();
}

// "float (abs 1e-06, rel 1e-06)", "custom", …; "default" when the problem has none.
std::string CheckerText(const bj::object& p) {
  const bj::value* c = p.if_contains("checker");
  if (c == nullptr || !c->is_object()) return "default";
  const bj::object& o = c->as_object();
  std::string type = StringField(o, "type");
  if (type != "float") return type;
  auto number = [&](const char* key) {
    const bj::value* v = o.if_contains(key);
    return v != nullptr && v->is_number() ? json::PythonDumps(*v) : std::string("?");
  };
  return "float (abs " + number("abs") + ", rel " + number("rel") + ")";
}

// The judging.md §2 keys a plain problem does not have, one line each.
void PrintMeta(Session& s, const bj::object& p) {
  s.out() << "checker: " << CheckerText(p) << '\n';
  if (BoolField(p, "interactive")) s.out() << "interactive: yes\n";
  if (const bj::value* v = p.if_contains("outputLimit"); v != nullptr && v->is_int64())
    s.out() << "output limit: " << v->as_int64() << " bytes\n";
  if (const bj::value* v = p.if_contains("languages"); v != nullptr && v->is_array()) {
    s.out() << "languages:";
    for (const bj::value& code : v->as_array()) s.out() << ' ' << json::Dump(code);
    s.out() << '\n';
  }
}

void PrintProblem(Session& s, const bj::object& p) {
  int64_t pid = IntField(p, "problem_id");
  s.out() << "problem " << pid << ": " << StringField(p, "title") << '\n';
  if (BoolField(p, "has_testdata"))
    s.out() << "testdata: present, " << (BoolField(p, "context_io") ? "ContextIO" : "SimpleIO")
            << " (checksum " << StringField(p, "checksum") << ")\n";
  else
    s.out() << "testdata: missing (upload it: nojctl problem testdata " << pid << " ZIP|DIR)\n";
  PrintMeta(s, p);
  Table t({"task", "score", "cases", "time limit", "memory limit", "scoring"});
  if (const bj::value* tasks = p.if_contains("tasks"); tasks && tasks->is_array()) {
    int i = 0;
    for (const bj::value& v : tasks->as_array()) {
      if (!v.is_object()) continue;
      const bj::object& o = v.as_object();
      const std::string scoring = StringField(o, "scoring");
      t.AddRow({std::to_string(i++), std::to_string(IntField(o, "taskScore")),
                std::to_string(IntField(o, "caseCount")), FormatMs(IntField(o, "timeLimit")),
                FormatKiB(IntField(o, "memoryLimit")), scoring.empty() ? "all" : scoring});
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
                     "JSON file with \"title\", \"tasks\" (with \"scoring\") and the meta keys "
                     "\"checker\", \"interactive\", \"outputLimit\", \"languages\" (flags "
                     "override it)");
  create->add_option("--checker", create_args->checker,
                     "default, exact, tokens, custom (source in checker/) or float:ABS:REL");
  create->add_flag("--interactive", create_args->interactive,
                   "interactive problem (interactor source in interactor/)");
  create->add_option("--output-limit", create_args->output_limit,
                     "output limit per case in BYTES (K, M, G suffixes allowed)");
  create->add_option("--testdata", create_args->testdata,
                     "zip file, or package directory (TTCC.in/.out or test-case/TTCC/…, and "
                     "checker/, interactor/, include/, share/, chaos/), zipped for you");
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

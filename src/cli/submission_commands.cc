// nojctl submit | status | rejudge | submissions.

#include <CLI/CLI.hpp>
#include <optional>
#include <fstream>
#include <sstream>

#include "api/submission_bodies.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/format.h"
#include "cli/session.h"
#include "cli/submission_view.h"
#include "cli/table.h"
#include "cli/verdict_wait.h"
#include "common/json_util.h"

namespace noj::cli {
namespace {

constexpr size_t kMaxSourceBytes = 16 << 20;  // the server has its own, smaller, limit
constexpr int kMaxCompilerLines = 40;

struct WaitArgs {
  bool wait = false;
  int64_t timeout_s = 600;
};

void AddWaitFlags(CLI::App* cmd, WaitArgs& w) {
  cmd->add_flag("--wait", w.wait,
                "wait for the verdict (progress on stderr), print the case table; exit 0 only "
                "for AC");
  cmd->add_option("--timeout", w.timeout_s, "with --wait: give up after this many seconds")
      ->check(CLI::Range(1, 86400));
}

// The compiler's message of a CE submission, indented, at most kMaxCompilerLines lines.
void PrintCompilerOutput(Session& s, ApiClient& api, const std::string& sid) {
  auto c = api.Get("/submissions/" + sid + "/cases/0/0");
  if (!c.ok() || !c->is_object()) return;  // best effort: the verdict is already shown
  auto output = api::CaseOutputFromJson(c->as_object());
  if (!output.ok() || output->stderr_text.empty()) return;
  const std::string& text = output->stderr_text;
  s.out() << "compiler output:\n";
  std::istringstream in(text);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (++n > kMaxCompilerLines) {
      s.out() << "  …\n";
      break;
    }
    s.out() << "  " << line << '\n';
  }
}

void PrintFinal(Session& s, ApiClient& api, const api::SubmissionView& sub) {
  PrintCaseTable(s.out(), sub);
  if (sub.status == 2) PrintCompilerOutput(s, api, sub.submission_id);
  s.out() << sub.submission_id << ": " << SummaryText(sub) << '\n';
}

int ExitForVerdict(const api::SubmissionView& sub) {
  return IsFinal(sub) && sub.status == 0 ? kExitOk : kExitNotAccepted;
}

// Waits with the progress line, then prints the table (or the JSON).
int WaitAndReport(Session& s, ApiClient& api, const std::string& sid, const WaitArgs& w,
                  bool just_submitted) {
  ProgressLine progress(s.err(), s.err_is_terminal(), !s.json());
  WaitOptions options;
  options.timeout = std::chrono::seconds(w.timeout_s);
  options.poll = std::chrono::seconds(s.json() ? 25 : 1);
  options.just_submitted = just_submitted;
  auto sub = WaitForVerdict(api, sid, options, progress);
  if (!sub.ok()) return s.FailApi(sub.status());
  if (s.json())
    s.out() << json::Dump(sub->body) << '\n';
  else if (IsFinal(sub->view))
    PrintFinal(s, api, sub->view);
  else
    s.out() << sid << ": still pending after " << w.timeout_s << "s\n";
  return ExitForVerdict(sub->view);
}

struct SubmitArgs {
  int64_t problem = 0;
  std::string lang;
  std::string file;
  int priority = -1;
  std::optional<std::string> callback_url;  // unset: the server's --callback-url
  WaitArgs wait;
};

Result<std::string> ReadSource(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgumentError("cannot read " + path);
  std::string code(kMaxSourceBytes + 1, '\0');
  in.read(code.data(), static_cast<std::streamsize>(code.size()));
  code.resize(static_cast<size_t>(in.gcount()));
  if (code.size() > kMaxSourceBytes) return InvalidArgumentError(path + " is larger than 16 MiB");
  if (code.empty()) return InvalidArgumentError(path + " is empty");
  return code;
}

int Submit(Session& s, const SubmitArgs& a) {
  std::optional<int> lang = a.lang.empty() ? LanguageFromPath(a.file) : ParseLanguage(a.lang);
  if (!lang)
    return s.Fail(
        InvalidArgumentError(
            a.lang.empty()
                ? "cannot tell the language of " + a.file +
                      " from its name: give --lang c|cpp|py|java|…|<code>"
                : "--lang must be a language name (c, cpp, py, cpp20, java, rust, go, pypy3, "
                  "js) or a code 0..63 other than 3 (got '" +
                      a.lang + "')"),
        kExitUsage);
  auto code = ReadSource(a.file);
  if (!code.ok()) return s.Fail(code.status(), kExitUsage);
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  api::SubmitRequest request{.problem_id = a.problem, .language = *lang, .code = std::move(*code)};
  if (a.priority >= 0) request.priority = a.priority;
  request.callback_url = a.callback_url;
  auto created =
      (*api)->Call("POST", "/submissions", json::Dump(api::SubmitRequestToJson(request)));
  if (!created.ok()) return s.FailApi(created.status());
  auto response =
      DecodeAnswer("POST /submissions", api::SubmitResponseFromJson(AnswerObject(*created)));
  if (!response.ok()) return s.FailApi(response.status());
  const std::string& sid = response->submission_id;
  if (a.wait.wait) return WaitAndReport(s, **api, sid, a.wait, true);
  if (s.json())
    s.out() << json::Dump(*created) << '\n';
  else
    s.out() << sid << '\n';
  if (!s.json())
    s.err() << "submitted " << LanguageText(*lang) << " to problem " << a.problem
            << "; follow it with: nojctl status " << sid << " --wait\n";
  return kExitOk;
}

struct StatusArgs {
  std::string sid;
  WaitArgs wait;
};

int StatusCmd(Session& s, const StatusArgs& a) {
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  if (a.wait.wait) return WaitAndReport(s, **api, a.sid, a.wait, false);
  auto sub = (*api)->Get("/submissions/" + a.sid);
  if (!sub.ok()) return s.FailApi(sub.status());
  if (s.json()) {
    s.out() << json::Dump(*sub) << '\n';
    return kExitOk;
  }
  auto answer = ReadSubmissionAnswer("GET /submissions/" + a.sid, std::move(*sub));
  if (!answer.ok()) return s.FailApi(answer.status());
  const api::SubmissionView& o = answer->view;
  s.out() << a.sid << ": problem " << o.problem_id << ", " << LanguageText(o.language)
          << ", submitted " << FormatAgo(WallClockMs(), o.created_at) << '\n';
  if (IsFinal(o))
    PrintFinal(s, **api, o);
  else
    s.out() << a.sid << ": " << PendingStateText(o, "") << '\n';
  return kExitOk;
}

struct RejudgeArgs {
  std::string sid;
  int priority = -1;
  WaitArgs wait;
};

int Rejudge(Session& s, const RejudgeArgs& a) {
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  std::optional<int> priority;
  if (a.priority >= 0) priority = a.priority;
  const std::string path = "/submissions/" + a.sid + "/rejudge";
  auto r = (*api)->Call("POST", path, json::Dump(api::RejudgeRequestToJson(priority)));
  if (!r.ok()) return s.FailApi(r.status());
  if (a.wait.wait) return WaitAndReport(s, **api, a.sid, a.wait, true);
  if (s.json()) {
    s.out() << json::Dump(*r) << '\n';
    return kExitOk;
  }
  auto job = DecodeAnswer("POST " + path, api::RejudgeResponseFromJson(AnswerObject(*r)));
  if (!job.ok()) return s.FailApi(job.status());
  s.out() << "rejudging " << a.sid << " (job " << *job << ")\n";
  return kExitOk;
}

struct ListArgs {
  int64_t problem = 0;
  std::string status;
  int limit = 20;
  std::string before;
};

int List(Session& s, const ListArgs& a) {
  std::string query = "?limit=" + std::to_string(a.limit);
  if (a.problem > 0) query += "&problem_id=" + std::to_string(a.problem);
  if (!a.status.empty()) {
    std::optional<int> v = ParseVerdict(a.status);
    if (!v)
      return s.Fail(InvalidArgumentError("--status must be a verdict (AC, WA, CE, TLE, MLE, RE, "
                                         "JE, OLE, PENDING) or a code from -2 to 7"),
                    kExitUsage);
    query += "&status=" + std::to_string(*v);
  }
  if (!a.before.empty()) query += "&before=" + a.before;
  auto api = s.Api();
  if (!api.ok()) return s.Fail(api.status(), kExitUsage);
  auto r = (*api)->Get("/submissions" + query);
  if (!r.ok()) return s.FailApi(r.status());
  if (s.json()) {
    s.out() << json::Dump(*r) << '\n';
    return kExitOk;
  }
  auto list = DecodeAnswer("GET /submissions", api::SubmissionListFromJson(AnswerObject(*r)));
  if (!list.ok()) return s.FailApi(list.status());
  Table t({"submission", "problem", "language", "verdict", "score", "time", "memory", "submitted"});
  int64_t now = WallClockMs();
  for (const api::SubmissionView& x : list->submissions) {
    bool done = IsFinal(x);
    t.AddRow({x.submission_id, std::to_string(x.problem_id), LanguageText(x.language),
              VerdictText(x.status), done ? std::to_string(x.score) : "",
              done ? FormatMs(x.exec_time_ms) : "", done ? FormatKiB(x.memory_kib) : "",
              FormatAgo(now, x.created_at)});
  }
  if (t.empty()) {
    s.out() << "no submissions\n";
    return kExitOk;
  }
  t.Print(s.out());
  if (list->next_before && !list->next_before->empty())
    s.out() << "older: nojctl submissions --before " << *list->next_before << '\n';
  return kExitOk;
}

template <typename Args, typename Fn>
void Bind(CLI::App* cmd, Session& session, std::shared_ptr<Args> args, Fn fn) {
  cmd->callback([&session, args, fn] {
    session.Select([&session, args, fn] { return fn(session, *args); });
  });
}

}  // namespace

void AddSubmissionCommands(CLI::App& app, Session& session) {
  auto submit_args = std::make_shared<SubmitArgs>();
  CLI::App* submit = app.add_subcommand("submit", "submit a source file");
  submit->add_option("--problem", submit_args->problem, "problem id")
      ->required()
      ->check(CLI::PositiveNumber);
  submit->add_option("--lang", submit_args->lang, "c, cpp or py (default: from the file name)");
  submit->add_option("--priority", submit_args->priority, "0 contest, 1 normal, 2 bulk")
      ->check(CLI::Range(0, 2));
  submit->add_option("--callback-url", submit_args->callback_url,
                     "where nojd POSTs its final results (docs/callbacks.md); '' for none");
  submit->add_option("FILE", submit_args->file, "source file")->required();
  AddWaitFlags(submit, submit_args->wait);
  Bind(submit, session, submit_args, Submit);

  auto status_args = std::make_shared<StatusArgs>();
  CLI::App* status = app.add_subcommand("status", "show a submission and its verdict");
  status->add_option("SID", status_args->sid, "submission id (sn_…)")->required();
  AddWaitFlags(status, status_args->wait);
  Bind(status, session, status_args, StatusCmd);

  auto rejudge_args = std::make_shared<RejudgeArgs>();
  CLI::App* rejudge = app.add_subcommand("rejudge", "judge a submission again");
  rejudge->add_option("SID", rejudge_args->sid, "submission id (sn_…)")->required();
  rejudge->add_option("--priority", rejudge_args->priority, "0 contest, 1 normal, 2 bulk (default)")
      ->check(CLI::Range(0, 2));
  AddWaitFlags(rejudge, rejudge_args->wait);
  Bind(rejudge, session, rejudge_args, Rejudge);

  auto list_args = std::make_shared<ListArgs>();
  CLI::App* list = app.add_subcommand("submissions", "list submissions, newest first");
  list->add_option("--problem", list_args->problem, "only this problem")
      ->check(CLI::PositiveNumber);
  list->add_option("--status", list_args->status, "only this verdict (AC, WA, … or a code)");
  list->add_option("--limit", list_args->limit, "at most this many")->check(CLI::Range(1, 1000));
  list->add_option("--before", list_args->before, "older than this submission id (paging)");
  Bind(list, session, list_args, List);
}

}  // namespace noj::cli

// Client API, problems (protocol.md §5, judging.md §1-§2): create, upload testdata, show.

#include <boost/json.hpp>

#include "api/codec.h"
#include "api/problem_meta.h"
#include "common/json_util.h"
#include "common/logging.h"
#include "common/zip_archive.h"
#include "judge/testdata_layout.h"
#include "server/api/handler_util.h"
#include "server/api/problem_meta_data.h"
#include "server/api/routes.h"
#include "server/auth.h"
#include "server/http/respond.h"

namespace noj::server {
namespace {

namespace bj = boost::json;

constexpr size_t kMaxTitle = 256;
// Entries listed before the package is judged: above the package's own bound (10,000, reported
// entry by entry) so the report can name it, yet a bound on what one request makes us hold.
constexpr size_t kMaxListedEntries = 100000;
constexpr size_t kIssuesInMessage = 3;

HandlerResult Create(ServerContext& ctx, const Request& req) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  int http_status = 400;
  auto body = ParseJsonBody(req, false, http_status);
  if (!body.ok()) return ErrorResponse(http_status, body.status().message());
  auto title = json::GetString(*body, "title");
  if (!title.ok()) return ErrorResponse(400, title.status().message());
  if (!title->has_value() || (*title)->empty()) return ErrorResponse(400, "title is required");
  if ((*title)->size() > kMaxTitle)
    return ErrorResponse(400, "title must be at most 256 characters");
  const bj::value* tasks_json = json::Find(*body, "tasks");
  if (tasks_json == nullptr) return ErrorResponse(400, "tasks is required");
  auto tasks = api::TaskSpecsFromJson(*tasks_json);
  if (!tasks.ok()) return ErrorResponse(400, tasks.status().message());
  auto meta = api::ProblemMetaFromJson(*body);  // judging.md §2, next to tasks
  if (!meta.ok()) return ErrorResponse(400, meta.status().message());
  auto id = ctx.store.CreateProblem(store::NewProblem{**title, *tasks, *meta}, ctx.clock.NowMs());
  if (!id.ok()) return ErrorResponse(id.status());
  NOJ_LOG_INFO("event=problem_created problem={} tasks={} meta={}", *id, tasks->size(),
               api::ProblemMetaToText(*meta));
  bj::object out;
  out["problem_id"] = *id;
  return JsonOk(201, out);
}

// 400 for a refused package: the message names the first issues; `data` lists every one, with
// the older extra/missing summary kept for clients of the first protocol.
Response PackageRefused(const judge::PackageReport& report) {
  std::string message = "testdata package refused (" + std::to_string(report.issues.size()) +
                        (report.issues.size() == 1 ? " issue" : " issues") + "): ";
  for (size_t i = 0; i < report.issues.size() && i < kIssuesInMessage; ++i)
    message += (i ? "; " : "") + report.issues[i].entry + ": " + report.issues[i].reason;
  if (report.issues.size() > kIssuesInMessage) message += "; … (see data.issues)";
  bj::array issues;
  for (const judge::PackageIssue& issue : report.issues)
    issues.push_back(bj::object{{"entry", issue.entry}, {"reason", issue.reason}});
  bj::object detail;
  detail["extra"] = bj::value_from(report.extra);
  detail["missing"] = bj::value_from(report.missing);
  detail["issues"] = std::move(issues);
  return ErrorResponse(400, message, std::move(detail));
}

HandlerResult PutTestdata(ServerContext& ctx, const Request& req, const std::string& pid_text) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  auto pid = ParseProblemId(pid_text);
  if (!pid) return ErrorResponse(404, "no such problem");
  if (const std::string* ct = req.Header("content-type"); ct != nullptr) {
    if (ct->rfind("application/zip", 0) != 0 && ct->rfind("application/octet-stream", 0) != 0 &&
        ct->rfind("application/x-zip-compressed", 0) != 0)
      return ErrorResponse(415, "content type must be application/zip");
  }
  auto problem = ctx.store.GetProblem(*pid);
  if (!problem.ok()) return ErrorResponse(problem.status());
  const judge::PackageLimits limits;
  auto listed = zip::ListEntries(req.body, zip::ReadLimits{.max_entries = kMaxListedEntries});
  if (!listed.ok()) return ErrorResponse(400, listed.status().message());
  std::vector<judge::PackageEntry> entries;
  entries.reserve(listed->size());
  for (zip::EntryInfo& e : *listed) entries.push_back({std::move(e.name), e.size, e.is_link});
  judge::PackageReport report = judge::CheckPackage(entries, problem->tasks, problem->meta, limits);
  if (!report.ok()) return PackageRefused(report);
  // The entries are right; make sure each really decompresses to its declared size (a runner
  // would fail on it later), in chunks: the expansion is never held in memory.
  if (Status s =
          zip::CheckReadable(req.body, zip::ReadLimits{.max_entries = limits.max_entries,
                                                       .max_total_bytes = limits.max_total_bytes});
      !s.ok())
    return ErrorResponse(400, s.message());
  std::string checksum = TestdataChecksum(req.body, problem->tasks, problem->meta);
  if (Status s =
          ctx.store.PutTestdata(*pid, req.body, checksum, report.context_io, ctx.clock.NowMs());
      !s.ok())
    return ErrorResponse(s);
  NOJ_LOG_INFO("event=testdata_uploaded problem={} bytes={} checksum={} context_io={}", *pid,
               req.body.size(), checksum, report.context_io);
  bj::object out;
  out["checksum"] = checksum;
  out["context_io"] = report.context_io;
  return JsonOk(200, out);
}

HandlerResult ShowProblem(ServerContext& ctx, const Request& req, const std::string& pid_text) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  auto pid = ParseProblemId(pid_text);
  if (!pid) return ErrorResponse(404, "no such problem");
  auto problem = ctx.store.GetProblem(*pid);
  if (!problem.ok()) return ErrorResponse(problem.status());
  bj::object out;
  out["problem_id"] = problem->problem_id;
  out["title"] = problem->title;
  // tasks, then the meta extension keys, as GET /problem/{pid}/meta serves them
  for (auto& [key, value] : ProblemMetaData(problem->tasks, problem->meta)) out[key] = value;
  out["has_testdata"] = problem->has_testdata;
  out["context_io"] = problem->context_io;
  out["checksum"] = problem->has_testdata ? bj::value(problem->checksum) : bj::value(nullptr);
  out["created_at"] = problem->created_at;
  return JsonOk(200, out);
}

}  // namespace

void AddProblemRoutes(Router& router, ServerContext& ctx) {
  router.Add("POST", "/problems",
             [&ctx](const Request& r, const PathParams&) { return Create(ctx, r); });
  router.Add("PUT", "/problems/{pid}/testdata",
             [&ctx](const Request& r, const PathParams& p) { return PutTestdata(ctx, r, p[0]); });
  router.Add("GET", "/problems/{pid}",
             [&ctx](const Request& r, const PathParams& p) { return ShowProblem(ctx, r, p[0]); });
}

}  // namespace noj::server

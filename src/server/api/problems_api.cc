// Client API, problems (protocol.md §5, judging.md §1-§2, §6): create, update, upload testdata,
// show, rejudge. Every testdata or tasks/meta write is a new version (compare-and-set on the
// version the handler read and checked: a concurrent write answers 409).

#include <boost/json.hpp>

#include "api/problem_bodies.h"
#include "api/problem_meta.h"
#include "api/verdict.h"
#include "common/logging.h"
#include "common/zip_archive.h"
#include "judge/job_requirements.h"
#include "judge/testdata_layout.h"
#include "server/api/handler_util.h"
#include "server/api/problem_meta_data.h"
#include "server/api/routes.h"
#include "server/auth.h"
#include "server/http/respond.h"

namespace noj::server {
namespace {

namespace bj = boost::json;

// Entries listed before the package is judged: above the package's own bound (10,000, reported
// entry by entry) so the report can name it, yet a bound on what one request makes us hold.
constexpr size_t kMaxListedEntries = 100000;
constexpr size_t kIssuesInMessage = 3;

// What a problem's jobs need besides their language (judging.md §5): the same for every language.
uint32_t FeaturesOf(const api::ProblemMeta& meta, bool context_io) {
  return judge::RequirementsOf(0, meta, context_io).features;
}

// A compare-and-set lost to a concurrent write of the same problem.
Response Changed() { return ErrorResponse(409, "the problem changed meanwhile, retry"); }

// Wakes parked runners after pending jobs changed class: any may now take them.
void WakeRunners(ServerContext& ctx, int64_t jobs) { ctx.dispatcher.AnnounceJobs(jobs); }

HandlerResult Create(ServerContext& ctx, const Request& req) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  int http_status = 400;
  auto body = ParseJsonBody(req, false, http_status);
  if (!body.ok()) return ErrorResponse(http_status, body.status().message());
  auto request = api::ProblemCreateRequestFromJson(*body);  // meta: judging.md §2, next to tasks
  if (!request.ok()) return ErrorResponse(400, request.status().message());
  auto id = ctx.store.CreateProblem(
      store::NewProblem{request->title, request->tasks, request->meta}, ctx.clock.NowMs());
  if (!id.ok()) return ErrorResponse(id.status());
  NOJ_LOG_INFO("event=problem_created problem={} tasks={} meta={}", *id, request->tasks.size(),
               api::ProblemMetaToText(request->meta));
  return JsonOk(201, api::ProblemCreatedToJson({*id}));
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

// The entries of a zip, for judge::CheckPackage; a zip that cannot be listed is a 400 message.
Result<std::vector<judge::PackageEntry>> PackageEntries(const std::string& zip) {
  auto listed = zip::ListEntries(zip, zip::ReadLimits{.max_entries = kMaxListedEntries});
  if (!listed.ok()) return InvalidArgumentError(listed.status().message());
  std::vector<judge::PackageEntry> entries;
  entries.reserve(listed->size());
  for (zip::EntryInfo& e : *listed) entries.push_back({std::move(e.name), e.size, e.is_link});
  return entries;
}

// GET /problems/{pid}: the problem as it is now (also the answer of PUT /problems/{pid}).
bj::object ProblemView(const store::ProblemRecord& p) {
  return api::ProblemViewToJson(api::ProblemView{.problem_id = p.problem_id,
                                                 .title = p.title,
                                                 .tasks = p.tasks,
                                                 .meta = p.meta,
                                                 .has_testdata = p.has_testdata,
                                                 .context_io = p.context_io,
                                                 .checksum = p.checksum,
                                                 .created_at = p.created_at,
                                                 .version = p.version});
}

// PUT /problems/{pid} (judging.md §6): new tasks and meta, validated as at creation, and the
// stored testdata checked again against them; a new version, or nothing changes.
HandlerResult Update(ServerContext& ctx, const Request& req, const std::string& pid_text) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  auto pid = ParseProblemId(pid_text);
  if (!pid) return ErrorResponse(404, "no such problem");
  int http_status = 400;
  auto body = ParseJsonBody(req, false, http_status);
  if (!body.ok()) return ErrorResponse(http_status, body.status().message());
  auto update = api::ProblemUpdateRequestFromJson(*body);
  if (!update.ok()) return ErrorResponse(400, update.status().message());
  auto problem = ctx.store.GetProblem(*pid);
  if (!problem.ok()) return ErrorResponse(problem.status());
  std::string checksum;
  if (problem->has_testdata) {
    // The package of the version read, checked against the new tasks and meta.
    auto zip = ctx.store.GetTestdataVersion(*pid, problem->version);
    if (!zip.ok()) {
      if (zip.status().code() == ErrorCode::kNotFound) return Changed();
      return ErrorResponse(zip.status());
    }
    auto entries = PackageEntries(*zip);
    if (!entries.ok()) return ErrorResponse(500, "stored testdata: " + entries.status().message());
    judge::PackageReport report =
        judge::CheckPackage(*entries, update->tasks, update->meta, judge::PackageLimits{});
    if (!report.ok()) return PackageRefused(report);
    checksum = TestdataChecksum(*zip, update->tasks, update->meta);
  }
  store::ProblemUpdate u;
  u.title = update->title.value_or(problem->title);
  u.tasks = update->tasks;
  u.meta = update->meta;
  u.checksum = checksum;
  u.features = FeaturesOf(update->meta, problem->context_io);
  u.expected_version = problem->version;
  auto out = ctx.store.UpdateProblem(*pid, u, ctx.clock.NowMs());
  if (!out.ok()) {
    if (out.status().code() == ErrorCode::kAborted) return Changed();
    return ErrorResponse(out.status());
  }
  NOJ_LOG_INFO("event=problem_updated problem={} version={} tasks={} meta={} reclassed={}", *pid,
               out->version, u.tasks.size(), api::ProblemMetaToText(u.meta), out->reclassed);
  WakeRunners(ctx, out->reclassed);
  auto now = ctx.store.GetProblem(*pid);
  if (!now.ok()) return ErrorResponse(now.status());
  return JsonOk(200, ProblemView(*now));
}

// ?status=: a verdict name (AC, WA, CE, TLE, MLE, RE, JE, OLE) or a status code from -2 to 7.
Result<std::optional<int>> StatusFilter(const Request& req) {
  const std::string* v = req.Query("status");
  if (v == nullptr || v->empty()) return std::optional<int>();
  if (std::optional<api::Verdict> verdict = api::ParseCaseVerdict(*v))
    return std::optional<int>(api::VerdictCode(*verdict));
  const bool negative = (*v)[0] == '-';
  auto code = ParseIntInRange(negative ? v->substr(1) : *v, 0, 7);
  if (!code || (negative && *code > 2))
    return InvalidArgumentError(
        "status must be a verdict (AC, WA, CE, TLE, MLE, RE, JE, OLE) or "
        "a status code from -2 to 7");
  return std::optional<int>(static_cast<int>(negative ? -*code : *code));
}

// POST /problems/{pid}/rejudge[?status=]: every submission of the problem (or those with that
// status) gets a new job at the bulk priority, in the class the problem needs now; in batches
// (the dispatcher's loop). 409 when the problem kept changing under it.
HandlerResult RejudgeProblem(ServerContext& ctx, const Request& req, const std::string& pid_text) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  auto pid = ParseProblemId(pid_text);
  if (!pid) return ErrorResponse(404, "no such problem");
  auto status = StatusFilter(req);
  if (!status.ok()) return ErrorResponse(400, status.status().message());
  auto queued = ctx.dispatcher.RejudgeProblem(*pid, *status);
  if (!queued.ok()) {
    if (queued.status().code() == ErrorCode::kAborted) return Changed();
    return ErrorResponse(queued.status());
  }
  return JsonOk(202, api::RejudgeQueuedToJson({*queued}));
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
  auto entries = PackageEntries(req.body);
  if (!entries.ok()) return ErrorResponse(400, entries.status().message());
  judge::PackageReport report =
      judge::CheckPackage(*entries, problem->tasks, problem->meta, limits);
  if (!report.ok()) return PackageRefused(report);
  // The entries are right; make sure each really decompresses to its declared size (a runner
  // would fail on it later), in chunks: the expansion is never held in memory.
  if (Status s =
          zip::CheckReadable(req.body, zip::ReadLimits{.max_entries = limits.max_entries,
                                                       .max_total_bytes = limits.max_total_bytes});
      !s.ok())
    return ErrorResponse(400, s.message());
  std::string checksum = TestdataChecksum(req.body, problem->tasks, problem->meta);
  // A new version, checked against the meta read above (judging.md §6).
  store::TestdataWrite write{req.body, checksum, report.context_io,
                             FeaturesOf(problem->meta, report.context_io), problem->version};
  auto written = ctx.store.WriteTestdata(*pid, write, ctx.clock.NowMs());
  if (!written.ok()) {
    if (written.status().code() == ErrorCode::kAborted) return Changed();
    return ErrorResponse(written.status());
  }
  NOJ_LOG_INFO("event=testdata_uploaded problem={} bytes={} checksum={} context_io={} version={}",
               *pid, req.body.size(), checksum, report.context_io, written->version);
  WakeRunners(ctx, written->reclassed);
  return JsonOk(200, api::TestdataUploadedToJson({checksum, report.context_io}));
}

HandlerResult ShowProblem(ServerContext& ctx, const Request& req, const std::string& pid_text) {
  if (Status s = AuthenticateClient(ctx, req); !s.ok()) return ErrorResponse(s);
  auto pid = ParseProblemId(pid_text);
  if (!pid) return ErrorResponse(404, "no such problem");
  auto problem = ctx.store.GetProblem(*pid);
  if (!problem.ok()) return ErrorResponse(problem.status());
  return JsonOk(200, ProblemView(*problem));
}

}  // namespace

void AddProblemRoutes(Router& router, ServerContext& ctx) {
  router.Add("POST", "/problems",
             [&ctx](const Request& r, const PathParams&) { return Create(ctx, r); });
  router.Add("PUT", "/problems/{pid}/testdata",
             [&ctx](const Request& r, const PathParams& p) { return PutTestdata(ctx, r, p[0]); });
  router.Add("GET", "/problems/{pid}",
             [&ctx](const Request& r, const PathParams& p) { return ShowProblem(ctx, r, p[0]); });
  router.Add("PUT", "/problems/{pid}",
             [&ctx](const Request& r, const PathParams& p) { return Update(ctx, r, p[0]); });
  router.Add("POST", "/problems/{pid}/rejudge", [&ctx](const Request& r, const PathParams& p) {
    return RejudgeProblem(ctx, r, p[0]);
  });
}

}  // namespace noj::server

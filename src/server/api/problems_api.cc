// Client API, problems (protocol.md §5): create, upload testdata, show.

#include <boost/json.hpp>

#include "api/codec.h"
#include "common/crypto.h"
#include "common/json_util.h"
#include "common/logging.h"
#include "common/zip_archive.h"
#include "judge/testdata_layout.h"
#include "server/api/handler_util.h"
#include "server/api/routes.h"
#include "server/auth.h"
#include "server/http/respond.h"

namespace noj::server {
namespace {

namespace bj = boost::json;

constexpr size_t kMaxTitle = 256;

bj::array MetaTasks(const api::TaskSpecs& tasks) {
  bj::array out;
  for (const api::TaskSpec& t : tasks) out.push_back(api::TaskSpecToMetaJson(t));
  return out;
}

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
  auto id = ctx.store.CreateProblem(store::NewProblem{**title, *tasks}, ctx.clock.NowMs());
  if (!id.ok()) return ErrorResponse(id.status());
  NOJ_LOG_INFO("event=problem_created problem={} tasks={}", *id, tasks->size());
  bj::object out;
  out["problem_id"] = *id;
  return JsonOk(201, out);
}

// md5 over the zip bytes followed by the meta `data` object as Python's json.dumps writes it.
std::string TestdataChecksum(const std::string& zip, const api::TaskSpecs& tasks) {
  bj::object data;
  data["tasks"] = MetaTasks(tasks);
  return crypto::Md5Hex(zip + json::PythonDumps(data));
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
  auto names = zip::ListNames(req.body);
  if (!names.ok()) return ErrorResponse(400, names.status().message());
  judge::LayoutReport report = judge::CheckTestdataLayout(problem->tasks, *names);
  if (!report.ok()) {
    bj::object detail;
    detail["extra"] = bj::value_from(report.extra);
    detail["missing"] = bj::value_from(report.missing);
    return ErrorResponse(400, "testdata does not match the tasks: see extra and missing",
                         std::move(detail));
  }
  // Names are right; make sure every entry really decompresses (a runner would fail on it later).
  if (auto all = zip::ReadAll(req.body); !all.ok())
    return ErrorResponse(400, all.status().message());
  std::string checksum = TestdataChecksum(req.body, problem->tasks);
  if (Status s = ctx.store.PutTestdata(*pid, req.body, checksum, ctx.clock.NowMs()); !s.ok())
    return ErrorResponse(s);
  NOJ_LOG_INFO("event=testdata_uploaded problem={} bytes={} checksum={}", *pid, req.body.size(),
               checksum);
  bj::object out;
  out["checksum"] = checksum;
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
  out["tasks"] = MetaTasks(problem->tasks);
  out["has_testdata"] = problem->has_testdata;
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

// Testdata for runners (protocol.md §2.6, Normal-OJ paths) and the signed code links of §2.3.
// Each testdata path accepts `?version=N` (judging.md §6, an extension): that version of the
// problem while it is kept (a runner judging an older lease), 404 once dropped; without it, the
// current version, as Normal-OJ's runner asks.

#include <boost/json.hpp>
#include <limits>
#include <memory>

#include "api/codec.h"
#include "api/job_payload.h"
#include "common/ids.h"
#include "common/zip_archive.h"
#include "server/api/handler_util.h"
#include "server/api/problem_meta_data.h"
#include "server/api/routes.h"
#include "server/auth.h"
#include "server/code_link.h"
#include "server/http/respond.h"

namespace noj::server {
namespace {

namespace bj = boost::json;

Response NojOk(bj::value data) {
  bj::object o;
  o["status"] = "ok";
  o["message"] = "";
  o["data"] = std::move(data);
  return JsonOk(200, o);
}

// Auth first (401 before 404), then ?version (400), then the problem (at that version).
Result<std::shared_ptr<const store::ProblemRecord>> AuthorizedProblem(ServerContext& ctx,
                                                                      const Request& req,
                                                                      const std::string& pid_text) {
  NOJ_RETURN_IF_ERROR(AuthenticateTestdata(ctx, req));
  int64_t version = 0;  // current
  if (const std::string* v = req.Query("version"); v != nullptr) {
    auto n = ParseIntInRange(*v, 1, std::numeric_limits<int64_t>::max());
    if (!n) return InvalidArgumentError("version must be a positive integer");
    version = *n;
  }
  auto pid = ParseProblemId(pid_text);
  if (!pid) return NotFoundError("no such problem");
  return ctx.problems.Version(*pid, version);
}

HandlerResult Testdata(ServerContext& ctx, const Request& req, const std::string& pid_text) {
  auto problem = AuthorizedProblem(ctx, req, pid_text);
  if (!problem.ok()) return ErrorResponse(problem.status());
  // Without ?version the current zip, read in one step (the version read above may be gone).
  const int64_t pid = (*problem)->problem_id;
  auto zip = req.Query("version") == nullptr
                 ? ctx.store.GetTestdata(pid)
                 : ctx.store.GetTestdataVersion(pid, (*problem)->version);
  if (!zip.ok()) {
    if (zip.status().code() == ErrorCode::kFailedPrecondition)
      return ErrorResponse(404, "the problem has no testdata");
    return ErrorResponse(zip.status());
  }
  return Response{200, "application/zip", std::move(*zip), {}};
}

HandlerResult Meta(ServerContext& ctx, const Request& req, const std::string& pid_text) {
  auto problem = AuthorizedProblem(ctx, req, pid_text);
  if (!problem.ok()) return ErrorResponse(problem.status());
  return NojOk(ProblemMetaData((*problem)->tasks, (*problem)->meta));
}

HandlerResult Checksum(ServerContext& ctx, const Request& req, const std::string& pid_text) {
  auto problem = AuthorizedProblem(ctx, req, pid_text);
  if (!problem.ok()) return ErrorResponse(problem.status());
  if (!(*problem)->has_testdata) return ErrorResponse(404, "the problem has no testdata");
  return NojOk(bj::string((*problem)->checksum));
}

HandlerResult Code(ServerContext& ctx, const Request& req, const std::string& sid) {
  const std::string* expires = req.Query("expires");
  const std::string* sig = req.Query("sig");
  if (expires == nullptr || sig == nullptr || !ids::IsSubmissionId(sid) ||
      !VerifyCodeLink(ctx.secrets.code_url_key, sid, *expires, *sig, ctx.clock.NowMs() / 1000))
    return ErrorResponse(403, "code link is invalid or expired");
  auto code = ctx.store.GetSubmissionCode(sid);
  if (!code.ok()) return ErrorResponse(code.status());
  if (!api::IsValidLanguage(code->second)) return ErrorResponse(500, "internal error");
  auto zip = zip::Build(
      {zip::Entry{api::SourceFileName(static_cast<api::Language>(code->second)), code->first}});
  if (!zip.ok()) return ErrorResponse(zip.status());
  return Response{200, "application/zip", std::move(*zip), {}};
}

}  // namespace

void AddTestdataRoutes(Router& router, ServerContext& ctx) {
  router.Add("GET", "/problem/{pid}/testdata",
             [&ctx](const Request& r, const PathParams& p) { return Testdata(ctx, r, p[0]); });
  router.Add("GET", "/problem/{pid}/meta",
             [&ctx](const Request& r, const PathParams& p) { return Meta(ctx, r, p[0]); });
  router.Add("GET", "/problem/{pid}/checksum",
             [&ctx](const Request& r, const PathParams& p) { return Checksum(ctx, r, p[0]); });
  router.Add("GET", "/code/{sid}",
             [&ctx](const Request& r, const PathParams& p) { return Code(ctx, r, p[0]); });
}

}  // namespace noj::server

// ParseResultLine lives apart from FormatResultLine so that noj-sandbox itself, which only
// formats, does not link Boost.JSON (it is linked statically to keep its start-up cheap).

#include "common/json_util.h"
#include "sandbox/run_result.h"

namespace noj::sandbox {
namespace {

Result<Verdict> ParseVerdict(std::string_view name) {
  for (Verdict v :
       {Verdict::kOk, Verdict::kTle, Verdict::kMle, Verdict::kOle, Verdict::kRe, Verdict::kSe}) {
    if (VerdictName(v) == name) return v;
  }
  return Status(ErrorCode::kInvalidArgument, "unknown verdict '" + std::string(name) + "'");
}

Status ReadInt(const json::bj::object& obj, std::string_view field, int64_t& out) {
  NOJ_ASSIGN_OR_RETURN(std::optional<int64_t> v, json::GetInt(obj, field));
  if (!v) return Status(ErrorCode::kInvalidArgument, "missing field " + std::string(field));
  out = *v;
  return Status::Ok();
}

}  // namespace

Result<RunResult> ParseResultLine(std::string_view line) {
  NOJ_ASSIGN_OR_RETURN(json::bj::object obj, json::ParseObject(line));
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> verdict, json::GetString(obj, "verdict"));
  if (!verdict) return Status(ErrorCode::kInvalidArgument, "missing field verdict");
  RunResult r;
  NOJ_ASSIGN_OR_RETURN(r.verdict, ParseVerdict(*verdict));
  int64_t exit_code = 0, signal = 0;
  NOJ_RETURN_IF_ERROR(ReadInt(obj, "exit_code", exit_code));
  NOJ_RETURN_IF_ERROR(ReadInt(obj, "signal", signal));
  NOJ_RETURN_IF_ERROR(ReadInt(obj, "cpu_ms", r.cpu_ms));
  NOJ_RETURN_IF_ERROR(ReadInt(obj, "wall_ms", r.wall_ms));
  NOJ_RETURN_IF_ERROR(ReadInt(obj, "memory_kib", r.memory_kib));
  r.exit_code = static_cast<int>(exit_code);
  r.signal = static_cast<int>(signal);
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> protections, json::GetString(obj, "protections"));
  r.protections = protections.value_or("");
  NOJ_ASSIGN_OR_RETURN(std::optional<std::string> error, json::GetString(obj, "error"));
  r.error = error.value_or("");
  return r;
}

}  // namespace noj::sandbox

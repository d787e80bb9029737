#include "server/http/respond.h"

namespace noj::server {

namespace bj = boost::json;

Response ErrorResponse(int http_status, const std::string& message, bj::value data) {
  bj::object o;
  o["status"] = "err";
  o["message"] = message;
  o["data"] = std::move(data);
  return Response{http_status, "application/json", bj::serialize(o), {}};
}

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return 200;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kAlreadyExists:
      return 409;
    case ErrorCode::kInvalidArgument:
      return 400;
    case ErrorCode::kUnauthenticated:
      return 401;
    case ErrorCode::kPermissionDenied:
      return 403;
    case ErrorCode::kFailedPrecondition:
      return 409;
    case ErrorCode::kAborted:
      return 409;
    case ErrorCode::kUnavailable:
      return 503;
    case ErrorCode::kResourceExhausted:
      return 413;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

Response ErrorResponse(const Status& status) {
  int code = HttpStatusFor(status.code());
  // Internal details stay in the log; the client gets a sentence it can act on.
  if (code == 500) return ErrorResponse(500, "internal error");
  if (code == 503) return ErrorResponse(503, "service unavailable: " + status.message());
  return ErrorResponse(code, status.message());
}

Response RunnerOk(int http_status, const bj::object& fields) {
  bj::object o = fields;
  o["status"] = "ok";
  o["message"] = "";
  o["data"] = fields;
  return Response{http_status, "application/json", bj::serialize(o), {}};
}

Response Empty(int http_status) { return Response{http_status, "", "", {}}; }

Response JsonOk(int http_status, const bj::value& body) {
  return Response{http_status, "application/json", bj::serialize(body), {}};
}

}  // namespace noj::server

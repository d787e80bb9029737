#include "server/http/respond.h"

#include "api/envelope.h"
#include "api/http_status.h"

namespace noj::server {

namespace bj = boost::json;

Response ErrorResponse(int http_status, const std::string& message, bj::value data) {
  return Response{http_status,
                  "application/json",
                  bj::serialize(api::ErrorEnvelope(message, std::move(data))),
                  {}};
}

Response ErrorResponse(const Status& status) {
  int code = api::HttpStatusFor(status.code());
  // Internal details stay in the log; the client gets a sentence it can act on.
  if (code == 500) return ErrorResponse(500, "internal error");
  if (code == 503) return ErrorResponse(503, "service unavailable: " + status.message());
  return ErrorResponse(code, status.message());
}

Response RunnerOk(int http_status, const bj::object& fields) {
  return Response{http_status, "application/json", bj::serialize(api::RunnerEnvelope(fields)), {}};
}

Response Empty(int http_status) { return Response{http_status, "", "", {}}; }

Response JsonOk(int http_status, const bj::value& body) {
  return Response{http_status, "application/json", bj::serialize(body), {}};
}

}  // namespace noj::server

#include "api/http_status.h"

namespace noj::api {

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

ErrorCode ErrorCodeForHttp(int http_status) {
  if (http_status >= 200 && http_status < 300) return ErrorCode::kOk;
  switch (http_status) {
    case 400:
    case 415:
      return ErrorCode::kInvalidArgument;
    case 401:
      return ErrorCode::kUnauthenticated;
    case 403:
      return ErrorCode::kPermissionDenied;
    case 404:
      return ErrorCode::kNotFound;
    case 409:
      return ErrorCode::kAborted;
    case 413:
      return ErrorCode::kResourceExhausted;
    default:
      return ErrorCode::kUnavailable;
  }
}

}  // namespace noj::api

#include "common/status.h"

namespace noj {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return "OK";
    case ErrorCode::kNotFound: return "NOT_FOUND";
    case ErrorCode::kAlreadyExists: return "ALREADY_EXISTS";
    case ErrorCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case ErrorCode::kUnauthenticated: return "UNAUTHENTICATED";
    case ErrorCode::kPermissionDenied: return "PERMISSION_DENIED";
    case ErrorCode::kFailedPrecondition: return "FAILED_PRECONDITION";
    case ErrorCode::kAborted: return "ABORTED";
    case ErrorCode::kUnavailable: return "UNAVAILABLE";
    case ErrorCode::kResourceExhausted: return "RESOURCE_EXHAUSTED";
    case ErrorCode::kInternal: return "INTERNAL";
  }
  return "UNKNOWN";
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(ErrorCodeName(code_)) + ": " + message_;
}

#define NOJ_DEFINE_ERROR_(Name, Code) \
  Status Name(std::string msg, std::source_location w) { return Status(ErrorCode::Code, std::move(msg), w); }
NOJ_DEFINE_ERROR_(NotFoundError, kNotFound)
NOJ_DEFINE_ERROR_(AlreadyExistsError, kAlreadyExists)
NOJ_DEFINE_ERROR_(InvalidArgumentError, kInvalidArgument)
NOJ_DEFINE_ERROR_(UnauthenticatedError, kUnauthenticated)
NOJ_DEFINE_ERROR_(PermissionDeniedError, kPermissionDenied)
NOJ_DEFINE_ERROR_(FailedPreconditionError, kFailedPrecondition)
NOJ_DEFINE_ERROR_(AbortedError, kAborted)
NOJ_DEFINE_ERROR_(UnavailableError, kUnavailable)
NOJ_DEFINE_ERROR_(ResourceExhaustedError, kResourceExhausted)
NOJ_DEFINE_ERROR_(InternalError, kInternal)
#undef NOJ_DEFINE_ERROR_

}  // namespace noj

#pragma once
// The one table between our error codes and HTTP statuses (style.md: codes chosen by what the
// caller should do). The server answers HttpStatusFor(code); the runner and nojctl read an answer
// with ErrorCodeForHttp(status) and add their own wording (and nojctl its exit-code rule).

#include "common/status.h"

namespace noj::api {

// kOk 200; kInvalidArgument 400; kUnauthenticated 401; kPermissionDenied 403; kNotFound 404;
// kAlreadyExists, kFailedPrecondition and kAborted 409; kResourceExhausted 413;
// kUnavailable 503; kInternal 500.
int HttpStatusFor(ErrorCode code);

// The reverse, by retry semantics: 2xx kOk; 400 and 415 kInvalidArgument (the same request fails
// again); 401 kUnauthenticated; 403 kPermissionDenied; 404 kNotFound; 409 kAborted (the state
// changed under the caller — a lost lease, a conflict: re-read, do not repeat); 413
// kResourceExhausted (too large: the same request fails again); anything else — 429, 5xx, 3xx,
// an unknown status — kUnavailable (the server is busy, restarting or behind a proxy: retry later).
ErrorCode ErrorCodeForHttp(int http_status);

}  // namespace noj::api

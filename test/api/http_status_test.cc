#include "api/http_status.h"

#include <gtest/gtest.h>

namespace noj::api {
namespace {

TEST(HttpStatus, EveryCodeHasItsStatus) {
  EXPECT_EQ(HttpStatusFor(ErrorCode::kOk), 200);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kAborted), 409);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kResourceExhausted), 413);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInternal), 500);
}

TEST(HttpStatus, StatusesMapBackByRetrySemantics) {
  for (int s : {200, 201, 202, 204}) EXPECT_EQ(ErrorCodeForHttp(s), ErrorCode::kOk) << s;
  EXPECT_EQ(ErrorCodeForHttp(400), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorCodeForHttp(415), ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorCodeForHttp(401), ErrorCode::kUnauthenticated);
  EXPECT_EQ(ErrorCodeForHttp(403), ErrorCode::kPermissionDenied);
  EXPECT_EQ(ErrorCodeForHttp(404), ErrorCode::kNotFound);
  EXPECT_EQ(ErrorCodeForHttp(409), ErrorCode::kAborted);
  EXPECT_EQ(ErrorCodeForHttp(413), ErrorCode::kResourceExhausted);
  for (int s : {0, 302, 405, 429, 500, 502, 503, 504, 599})
    EXPECT_EQ(ErrorCodeForHttp(s), ErrorCode::kUnavailable) << s;
}

// What the server answers, read back, asks the caller for the same action: only the codes that
// share 409 (all "re-read, do not repeat") and kInternal (a 500: retried by a client) differ.
TEST(HttpStatus, RoundTripKeepsTheCallersAction) {
  for (ErrorCode c : {ErrorCode::kOk, ErrorCode::kInvalidArgument, ErrorCode::kUnauthenticated,
                      ErrorCode::kPermissionDenied, ErrorCode::kNotFound, ErrorCode::kAborted,
                      ErrorCode::kResourceExhausted, ErrorCode::kUnavailable})
    EXPECT_EQ(ErrorCodeForHttp(HttpStatusFor(c)), c) << HttpStatusFor(c);
  EXPECT_EQ(ErrorCodeForHttp(HttpStatusFor(ErrorCode::kAlreadyExists)), ErrorCode::kAborted);
  EXPECT_EQ(ErrorCodeForHttp(HttpStatusFor(ErrorCode::kFailedPrecondition)), ErrorCode::kAborted);
  EXPECT_EQ(ErrorCodeForHttp(HttpStatusFor(ErrorCode::kInternal)), ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace noj::api

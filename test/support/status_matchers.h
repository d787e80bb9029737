#pragma once
// GoogleTest helpers for Status and Result<T>:
//   EXPECT_THAT(store.GetJob(id), StatusIs(ErrorCode::kNotFound));
//   ASSERT_OK(store.Ping());
//   ASSERT_OK_AND_ASSIGN(auto job, store.GetJob(id));

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "common/status.h"

namespace noj {

// Found by ADL: failure messages print "NOT_FOUND" rather than a number.
inline void PrintTo(ErrorCode code, std::ostream* os) { *os << ErrorCodeName(code); }
inline void PrintTo(const Status& status, std::ostream* os) { *os << status.ToString(); }

namespace testing {
namespace internal {
inline Status StatusOf(const Status& s) { return s; }
template <typename T>
Status StatusOf(const Result<T>& r) {
  return r.status();
}
}  // namespace internal

MATCHER_P(StatusIs, code,
          std::string(negation ? "doesn't have" : "has") + " status " +
              std::string(::noj::ErrorCodeName(code))) {
  const ::noj::Status s = ::noj::testing::internal::StatusOf(arg);
  *result_listener << "whose status is " << s.ToString();
  return s.code() == code;
}

MATCHER(IsOk, std::string(negation ? "isn't" : "is") + " OK") {
  const ::noj::Status s = ::noj::testing::internal::StatusOf(arg);
  *result_listener << "whose status is " << s.ToString();
  return s.ok();
}

}  // namespace testing
}  // namespace noj

#define ASSERT_OK(expr) ASSERT_THAT((expr), ::noj::testing::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::noj::testing::IsOk())

#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  NOJ_ASSERT_OK_AND_ASSIGN_IMPL_(NOJ_CONCAT_(noj_test_result_, __LINE__), lhs, expr)
#define NOJ_ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr)               \
  auto tmp = (expr);                                                 \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.status().ToString(); \
  lhs = std::move(tmp).value()

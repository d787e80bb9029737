// nojctl's reading of server replies: values from a (possibly hostile or buggy) server never
// crash it and never convert out of range.

#include "cli/format.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace noj::cli {
namespace {

namespace bj = boost::json;

TEST(CliFormat, IntFieldTakesIntegersAndFallsBackOnAnythingElse) {
  bj::object o =
      bj::parse(R"({"a":7,"b":-2,"c":3.0,"d":1e300,"e":-1e300,"f":"9","g":null})").as_object();
  EXPECT_EQ(IntField(o, "a"), 7);
  EXPECT_EQ(IntField(o, "b"), -2);
  EXPECT_EQ(IntField(o, "c"), 3);
  EXPECT_EQ(IntField(o, "d", -1), -1);  // out of int64's range: the fallback, not UB
  EXPECT_EQ(IntField(o, "e", -1), -1);
  EXPECT_EQ(IntField(o, "f", -1), -1);
  EXPECT_EQ(IntField(o, "g", -1), -1);
  EXPECT_EQ(IntField(o, "absent", 42), 42);
}

}  // namespace
}  // namespace noj::cli

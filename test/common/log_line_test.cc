#include "common/log_line.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace noj::logging {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(ParseKeyValuesTest, SplitsPairsAndUnquotesJsonStrings) {
  EXPECT_EQ(
      ParseKeyValues("event=landed job=jb_1 attempt=2 reason=\"bad \\\"zip\\\" file\""),
      (Pairs{
          {"event", "landed"}, {"job", "jb_1"}, {"attempt", "2"}, {"reason", "bad \"zip\" file"}}));
}

TEST(ParseKeyValuesTest, FreeTextIsKeptWhole) {
  EXPECT_EQ(ParseKeyValues("nojd listening on x"), (Pairs{{"msg", "nojd listening on x"}}));
  EXPECT_EQ(ParseKeyValues("event=x then text"), (Pairs{{"msg", "event=x then text"}}));
  EXPECT_EQ(ParseKeyValues("a=\"unterminated"), (Pairs{{"msg", "a=\"unterminated"}}));
  EXPECT_EQ(ParseKeyValues(""), (Pairs{{"msg", ""}}));
}

TEST(ParseKeyValuesTest, EmptyValueAndExtraSpaces) {
  EXPECT_EQ(ParseKeyValues("  previous=  event=x "), (Pairs{{"previous", ""}, {"event", "x"}}));
}

TEST(JsonLogLineTest, IsOneJsonObjectWithTypedMembers) {
  std::string line = JsonLogLine("2026-11-26T01:00:00.000Z", "info",
                                 "event=claimed job=jb_9 attempt=3 score=007 level=x");
  EXPECT_EQ(line.find('\n'), std::string::npos);
  boost::json::object o = boost::json::parse(line).as_object();
  EXPECT_EQ(o["ts"], "2026-11-26T01:00:00.000Z");
  EXPECT_EQ(o["level"], "info");
  EXPECT_EQ(o["event"], "claimed");
  EXPECT_EQ(o["attempt"], 3);
  EXPECT_EQ(o["score"], "007");      // not a canonical integer: kept as text
  EXPECT_EQ(o["field_level"], "x");  // never shadows the envelope
}

TEST(JsonLogLineTest, HostileTextStaysValidJson) {
  std::string line =
      JsonLogLine("t", "warn", std::string("msg with \x01 control and \"quotes\"\n"));
  boost::json::object o = boost::json::parse(line).as_object();
  EXPECT_EQ(o["msg"].as_string(), "msg with \x01 control and \"quotes\"\n");
}

}  // namespace
}  // namespace noj::logging

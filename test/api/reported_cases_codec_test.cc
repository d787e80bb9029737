#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "api/codec.h"

namespace noj::api {
namespace {

using ::testing::HasSubstr;

constexpr char kAc[] =
    R"({"status":"AC","exitCode":0,"execTime":12,"memoryUsage":1024,"stdout":"3\n","stderr":""})";

std::string Body(const std::string& tasks) { return R"({"tasks":)" + tasks + "}"; }

Result<ReportedCases> Decode(const std::string& text) {
  return ReportedCasesFromJson(bj::parse(text));
}

TEST(ReportedCasesCodec, DecodesTheProtocolBody) {
  auto r = Decode(Body(std::string("[[") + kAc + R"(,
      {"status":"WA","exitCode":0,"execTime":5,"memoryUsage":900,"stdout":"4","stderr":"e"}],
      [{"status":"RE","exitCode":139,"execTime":1,"memoryUsage":2,"stdout":"","stderr":"segv"}]])"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  ASSERT_EQ((*r)[0].size(), 2u);
  ASSERT_EQ((*r)[1].size(), 1u);
  EXPECT_EQ((*r)[0][0], (CaseResult{Verdict::kAC, 0, 12, 1024, "3\n", ""}));
  EXPECT_EQ((*r)[0][1], (CaseResult{Verdict::kWA, 0, 5, 900, "4", "e"}));
  EXPECT_EQ((*r)[1][0], (CaseResult{Verdict::kRE, 139, 1, 2, "", "segv"}));
}

TEST(ReportedCasesCodec, AcceptsSnakeCaseFields) {
  auto r = Decode(Body(
      R"([[{"status":"TLE","exit_code":-9,"exec_time":1001,"memory_usage":7,"stdout":"","stderr":""}]])"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0][0], (CaseResult{Verdict::kTLE, -9, 1001, 7, "", ""}));
}

TEST(ReportedCasesCodec, AcceptsEveryCaseStatus) {
  for (const char* s : {"AC", "WA", "CE", "TLE", "MLE", "RE", "JE", "OLE"}) {
    auto r =
        Decode(Body(std::string(R"([[{"status":")") + s +
                    R"(","exitCode":0,"execTime":0,"memoryUsage":0,"stdout":"","stderr":""}]])"));
    ASSERT_TRUE(r.ok()) << s << ": " << r.status().ToString();
    EXPECT_EQ(VerdictName((*r)[0][0].status), s);
  }
}

TEST(ReportedCasesCodec, IgnoresUnknownFields) {
  auto r =
      Decode(R"({"extra":1,"tasks":[[{"status":"AC","exitCode":0,"execTime":1,"memoryUsage":1,)"
             R"("stdout":"","stderr":"","signal":null}]]})");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
}

TEST(ReportedCasesCodec, AcceptsEmptyTaskLists) {
  // Shape (task and case counts) is judge::CheckShape's business, not the codec's.
  auto r = Decode(Body("[]"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->empty());
  r = Decode(Body("[[]]"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_TRUE((*r)[0].empty());
}

TEST(ReportedCasesCodec, RoundTripsThroughToJson) {
  ReportedCases cases = {
      {{Verdict::kAC, 0, 1, 2, "out \xc3\xa9", ""}, {Verdict::kOLE, 0, 3, 4, "", ""}},
      {{Verdict::kCE, 1, 0, 0, "", "main.cpp:1: error"}}};
  bj::object body = ReportedCasesToJson(cases);
  const bj::object& first = body.at("tasks").as_array()[0].as_array()[0].as_object();
  EXPECT_EQ(first.at("status").as_string(), "AC");
  EXPECT_TRUE(first.contains("exitCode"));
  EXPECT_TRUE(first.contains("execTime"));
  EXPECT_TRUE(first.contains("memoryUsage"));
  auto back = ReportedCasesFromJson(body);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, cases);
  // And through text.
  back = Decode(bj::serialize(body));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, cases);
}

struct Malformed {
  std::string body;
  std::string message;  // the whole message: it names the first problem precisely
};

std::string Case(std::string_view replace_field, std::string_view with) {
  // kAc with one field's "name":value replaced by `with` (empty: field removed).
  std::string s = kAc;
  size_t start = s.find("\"" + std::string(replace_field) + "\"");
  size_t end = s.find_first_of(",}", s.find(':', start));
  if (with.empty()) {
    if (s[end] == ',')
      ++end;
    else if (s[start - 1] == ',')
      --start;
  }
  s.replace(start, end - start, with);
  return s;
}

TEST(ReportedCasesCodec, RejectsEveryMalformedBodyClass) {
  const std::string ac = kAc;
  const Malformed cases[] = {
      // Not an object.
      {"[]", "result body must be a JSON object"},
      {"\"tasks\"", "result body must be a JSON object"},
      {"null", "result body must be a JSON object"},
      // tasks missing or not an array.
      {"{}", "missing field 'tasks'"},
      {Body("{}"), "tasks: must be an array"},
      {Body("null"), "tasks: must be an array"},
      {Body("\"AC\""), "tasks: must be an array"},
      // Inner lists and case objects.
      {Body("[" + ("[" + ac + "]") + ",{}]"), "tasks[1]: must be an array"},
      {Body("[[" + ac + ",\"AC\"]]"), "tasks[0][1]: must be an object"},
      {Body("[[" + ac + ",[]]]"), "tasks[0][1]: must be an object"},
      // Unknown status and wrong types.
      {Body("[[" + ac + "],[" + Case("status", R"("status":"XX")") + "]]"),
       "tasks[1][0].status: unknown status 'XX'"},
      {Body("[[" + Case("status", R"("status":"ac")") + "]]"),
       "tasks[0][0].status: unknown status 'ac'"},
      {Body("[[" + Case("status", R"("status":0)") + "]]"), "tasks[0][0].status: must be a string"},
      {Body("[[" + Case("exitCode", R"("exitCode":"0")") + "]]"),
       "tasks[0][0].exitCode: must be an integer"},
      {Body("[[" + Case("exitCode", R"("exitCode":0.5)") + "]]"),
       "tasks[0][0].exitCode: must be an integer"},
      {Body("[[" + Case("execTime", R"("execTime":true)") + "]]"),
       "tasks[0][0].execTime: must be an integer"},
      {Body("[[" + Case("stdout", R"("stdout":null)") + "]]"),
       "tasks[0][0].stdout: must be a string"},
      {Body("[[" + Case("stderr", R"("stderr":["x"])") + "]]"),
       "tasks[0][0].stderr: must be a string"},
      // Negative measurements.
      {Body("[[" + Case("execTime", R"("execTime":-1)") + "]]"),
       "tasks[0][0].execTime: must not be negative"},
      {Body("[[" + Case("memoryUsage", R"("memoryUsage":-5)") + "]]"),
       "tasks[0][0].memoryUsage: must not be negative"},
      // Huge numbers.
      {Body("[[" + Case("execTime", R"("execTime":18446744073709551615)") + "]]"),
       "tasks[0][0].execTime: must be between 0 and 9007199254740991"},
      {Body("[[" + Case("execTime", R"("execTime":9007199254740992)") + "]]"),
       "tasks[0][0].execTime: must be between 0 and 9007199254740991"},
      {Body("[[" + Case("memoryUsage", R"("memoryUsage":1e300)") + "]]"),
       "tasks[0][0].memoryUsage: must be between 0 and 9007199254740991"},
      {Body("[[" + Case("exitCode", R"("exitCode":4294967296)") + "]]"),
       "tasks[0][0].exitCode: must be between -2147483648 and 2147483647"},
      // Missing fields, named in protocol spelling.
      {Body("[[" + ac + "," + ac + "," + Case("execTime", "") + "]]"),
       "tasks[0][2]: missing field 'execTime'"},
      {Body("[[" + Case("status", "") + "]]"), "tasks[0][0]: missing field 'status'"},
      {Body("[[" + Case("exitCode", "") + "]]"), "tasks[0][0]: missing field 'exitCode'"},
      {Body("[[" + Case("memoryUsage", "") + "]]"), "tasks[0][0]: missing field 'memoryUsage'"},
      {Body("[[" + Case("stdout", "") + "]]"), "tasks[0][0]: missing field 'stdout'"},
      {Body("[[" + Case("stderr", "") + "]]"), "tasks[0][0]: missing field 'stderr'"},
  };
  for (const Malformed& c : cases) {
    auto r = Decode(c.body);
    ASSERT_FALSE(r.ok()) << c.body;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << c.body;
    EXPECT_EQ(r.status().message(), c.message) << c.body;
  }
}

TEST(ReportedCasesCodec, NamesOnlyTheFirstProblem) {
  std::string body =
      Body("[[" + Case("execTime", "") + "],[" + Case("status", R"("status":"XX")") + "]]");
  auto r = Decode(body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "tasks[0][0]: missing field 'execTime'");
}

TEST(ReportedCasesCodec, QuotesLongUnknownStatusesShortly) {
  std::string junk(1000, 'Z');
  auto r = Decode(Body("[[" + Case("status", R"("status":")" + junk + "\"") + "]]"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("unknown status 'ZZZZ"));
  EXPECT_LT(r.status().message().size(), 100u);
}

TEST(ReportedCasesCodec, CutsQuotedStatusOnAUtf8Boundary) {
  std::string status(31, 'a');
  status += "\xc3\xa9\xc3\xa9";  // é straddles the 32-byte cut
  auto r = Decode(Body("[[" + Case("status", R"("status":")" + status + "\"") + "]]"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "tasks[0][0].status: unknown status '" + std::string(31, 'a') + "...'");
}

}  // namespace
}  // namespace noj::api

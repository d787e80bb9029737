#include "api/field_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace noj::api {
namespace {

using ::testing::Eq;

bj::object FrObj(std::string_view text) { return bj::parse(text).as_object(); }

std::string MessageOf(const Status& s) { return s.message(); }

TEST(FieldReader, FindsSnakeCaseThenCamelCase) {
  bj::object both = FrObj(R"({"execTime":2,"exec_time":1,"memoryUsage":3})");
  FieldReader r(both);
  EXPECT_EQ(r.Int("exec_time", 0, 10).value(), 1);
  EXPECT_EQ(r.Int("memory_usage", 0, 10).value(), 3);
  EXPECT_EQ(r.Find("absent"), nullptr);
}

TEST(FieldReader, OneIntegerRule) {
  bj::object o = FrObj(R"({"a":5,"b":-3,"c":2.0,"d":1e3,"e":1.5,"f":"5","g":true,"h":null,)"
                       R"("i":18446744073709551615,"j":1e300,"k":11})");
  FieldReader r(o);
  EXPECT_EQ(r.Int("a", -10, 10).value(), 5);
  EXPECT_EQ(r.Int("b", -10, 10).value(), -3);
  EXPECT_EQ(r.Int("c", -10, 10).value(), 2);
  EXPECT_EQ(r.Int("d", 0, 1000).value(), 1000);
  for (std::string_view bad : {"e", "f", "g", "h"})
    EXPECT_EQ(MessageOf(r.Int(bad, 0, 10).status()), std::string(bad) + ": must be an integer");
  EXPECT_EQ(MessageOf(r.Int("i", 0, 10).status()), "i: must be between 0 and 10");
  EXPECT_EQ(MessageOf(r.Int("j", 1, 10).status()), "j: must be between 1 and 10");
  EXPECT_EQ(MessageOf(r.Int("k", 0, 10).status()), "k: must be between 0 and 10");
  EXPECT_EQ(MessageOf(r.Int("b", 0, 10).status()), "b: must not be negative");
  EXPECT_EQ(MessageOf(r.Int("absent", 0, 10).status()), "missing field 'absent'");
  EXPECT_EQ(r.Int("e", 0, 10).status().code(), ErrorCode::kInvalidArgument);
}

TEST(FieldReader, OptionalFieldsTreatNullAsAbsent) {
  bj::object o = FrObj(R"({"n":null,"s":"x","b":false,"i":7})");
  FieldReader r(o);
  EXPECT_EQ(r.OptionalInt("n", 0, 10).value(), std::nullopt);
  EXPECT_EQ(r.OptionalInt("i", 0, 10).value(), std::optional<int64_t>(7));
  EXPECT_EQ(r.OptionalString("n").value(), std::nullopt);
  EXPECT_EQ(r.OptionalString("s").value(), std::optional<std::string>("x"));
  EXPECT_EQ(r.OptionalBool("n").value(), std::nullopt);
  EXPECT_EQ(r.OptionalBool("b").value(), std::optional<bool>(false));
  EXPECT_EQ(r.FindSet("n"), nullptr);
  EXPECT_NE(r.Find("n"), nullptr);
}

TEST(FieldReader, WrongTypesNameTheField) {
  bj::object o = FrObj(R"({"s":1,"b":"yes","l":{},"m":[1],"big":["a","b","c"]})");
  FieldReader r(o, "tasks[2]", /*camel_names=*/false);
  EXPECT_EQ(MessageOf(r.String("s").status()), "tasks[2].s: must be a string");
  EXPECT_EQ(MessageOf(r.OptionalString("s").status()), "tasks[2].s: must be a string");
  EXPECT_EQ(MessageOf(r.OptionalBool("b").status()), "tasks[2].b: must be true or false");
  EXPECT_EQ(MessageOf(r.StringList("l", 5, "must be an array of ids").status()),
            "tasks[2].l: must be an array of ids");
  EXPECT_EQ(MessageOf(r.StringList("m", 5, "must be an array of ids").status()),
            "tasks[2].m: must be an array of ids");
  EXPECT_EQ(MessageOf(r.StringList("big", 2, "must be an array of ids").status()),
            "tasks[2].big: lists more than 2 items");
  EXPECT_EQ(MessageOf(r.String("absent").status()), "tasks[2]: missing field 'absent'");
  EXPECT_THAT(r.StringList("big", 3, "x").value(), Eq(std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(r.StringList("absent", 3, "x").value().empty());
}

TEST(FieldReader, CamelNamesInMessages) {
  bj::object o = FrObj(R"({"execTime":"1"})");
  FieldReader r(o, "tasks[0][1]", /*camel_names=*/true);
  EXPECT_EQ(MessageOf(r.Int("exec_time", 0, 10).status()),
            "tasks[0][1].execTime: must be an integer");
  EXPECT_EQ(MessageOf(r.Int("memory_usage", 0, 10).status()),
            "tasks[0][1]: missing field 'memoryUsage'");
}

TEST(FieldReader, QuoteForMessageCutsOnUtf8Boundary) {
  EXPECT_EQ(QuoteForMessage("XX"), "'XX'");
  std::string long_text(31, 'a');
  long_text += "\xc3\xa9zzz";  // 'é' straddles the 32-byte cut
  EXPECT_EQ(QuoteForMessage(long_text), "'" + std::string(31, 'a') + "...'");
}

}  // namespace
}  // namespace noj::api

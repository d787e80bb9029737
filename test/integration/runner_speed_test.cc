// The runner's speed score (docs/runner.md "Speed score", an extension of docs/protocol.md):
// accepted at registration or left out, refused when it is not a positive number, shown on
// GET /runners and as noj_runner_speed_score on /metrics. Against both stores (the suite also
// runs with NOJ_IT_STORE=redis).

#include <gmock/gmock.h>

#include <map>
#include <optional>

#include "integration/nojd_fixture.h"

namespace noj::testing {
namespace {

using ::testing::HasSubstr;
using RunnerSpeed = NojdTest;

HttpResult RegisterWith(HttpClient& http, const std::string& token, const std::string& name,
                        const std::string& speed_json) {
  std::string body = R"({"registration_token":")" + token + R"(","name":")" + name + "\"";
  if (!speed_json.empty()) body += R"(,"speed_score":)" + speed_json;
  return http.Send("POST", "/runners/register", body + "}");
}

TEST_F(RunnerSpeed, RegistrationWithAndWithoutASpeedShowsOnRunnersAndMetrics) {
  auto fast = RegisterWith(*http_, nojd_->registration_token(), "fast", "1.25");
  ASSERT_EQ(fast.status, 201) << fast.body;
  const std::string fast_id(Json(fast).as_object().at("runner_id").as_string());
  auto unsaid = RegisterWith(*http_, nojd_->registration_token(), "unsaid", "");
  ASSERT_EQ(unsaid.status, 201) << unsaid.body;
  const std::string unsaid_id(Json(unsaid).as_object().at("runner_id").as_string());
  auto null_speed = RegisterWith(*http_, nojd_->registration_token(), "null", "null");
  ASSERT_EQ(null_speed.status, 201) << null_speed.body;  // null is "not stated"

  auto r = Api("GET", "/runners");
  ASSERT_EQ(r.status, 200) << r.body;
  std::map<std::string, bj::value> speed_of;
  const bj::value runners = Json(r);
  for (const bj::value& v : runners.as_array()) {
    const bj::object& o = v.as_object();
    ASSERT_TRUE(o.contains("speed_score")) << bj::serialize(o);
    speed_of[std::string(o.at("runner_id").as_string())] = o.at("speed_score");
  }
  ASSERT_EQ(speed_of.size(), 3u);
  EXPECT_EQ(speed_of[fast_id], bj::value(1.25));
  EXPECT_TRUE(speed_of[unsaid_id].is_null());

  auto metrics = http_->Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.body,
              HasSubstr("noj_runner_speed_score{name=\"fast\",runner=\"" + fast_id + "\"} 1.25"));
  EXPECT_THAT(metrics.body, ::testing::Not(HasSubstr("runner=\"" + unsaid_id + "\"")));
}

TEST_F(RunnerSpeed, ABadSpeedIsA400SayingWhy) {
  for (const std::string bad : {R"("fast")", "0", "-1", "1e7", "[1]", "true"}) {
    SCOPED_TRACE(bad);
    auto r = RegisterWith(*http_, nojd_->registration_token(), "odd", bad);
    ExpectErrorEnvelope(r, 400);
    EXPECT_THAT(r.body, HasSubstr("speed_score"));
  }
  auto r = Api("GET", "/runners");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Json(r).as_array().empty());  // none of them was registered
}

}  // namespace
}  // namespace noj::testing

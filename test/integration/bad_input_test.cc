// Hostile and malformed requests: each gets the error envelope with the right status and changes
// nothing (the queue and submissions are compared before and after).

#include "integration/nojd_fixture.h"

namespace noj::testing {
namespace {

using BadInput = NojdTest;

struct Case {
  std::string method, path, body;
  std::vector<std::string> headers;
  int status;
};

TEST_F(BadInput, EveryRowGetsTheEnvelopeAndChangesNothing) {
  RunnerCreds rc = Register();
  int64_t pid = CreateProblemWithTestdata({{100, 1}});
  std::string sid = Submit(pid);
  std::string api = ApiAuth(), run = rc.auth(), rn = "/runners/" + rc.id;
  auto queue = [&] {
    auto q = Json(Api("GET", "/queue")).as_object();
    q.erase("oldest_pending_age_ms");  // grows with time
    return bj::serialize(q);
  };
  std::string before_queue = queue();
  std::string before_sub = Api("GET", "/submissions/" + sid).body;
  std::vector<Case> cases = {
      {"GET", "/nope", "", {}, 404},
      {"PATCH", "/queue", "", {api}, 405},
      {"POST", "/problems", "{", {api}, 400},
      {"POST", "/problems", "[]", {api}, 400},
      {"POST", "/problems", "\"str\"", {api}, 400},
      {"POST", "/problems", "{\"title\":1}", {api}, 400},
      {"POST", "/problems", "{}", {api, "Content-Type: text/xml"}, 415},
      {"POST", "/submissions", "{\"problem_id\":\"1\",\"language\":1,\"code\":\"x\"}", {api}, 400},
      {"POST", "/submissions", "{\"problem_id\":1e400}", {api}, 400},
      {"POST",
       "/submissions",
       "{\"problem_id\":" + std::to_string(pid) + ",\"language\":1,\"code\":[]}",
       {api},
       400},
      {"POST", "/submissions", "", {api}, 400},
      {"GET", "/submissions/..%2F..%2Fetc%2Fpasswd", "", {api}, 404},
      {"GET", "/submissions/sn_%00", "", {api}, 400},
      {"GET", "/submissions/%zz", "", {api}, 400},
      {"GET", "/submissions/" + sid + "/cases/0/99", "", {api}, 404},
      {"GET", "/submissions/" + sid + "/cases/a/b", "", {api}, 404},
      {"GET", "/problems/-1", "", {api}, 404},
      {"GET", "/problems/1.5", "", {api}, 404},
      {"GET", "/problem/..%2F1/meta", "", {run}, 404},
      {"GET", rn + "/next-job?wait=1e3", "", {run}, 400},
      {"POST", rn + "/heartbeat", "{\"active_job_ids\":{}}", {run}, 400},
      {"POST", rn + "/heartbeat", "{\"want_hints\":\"yes\"}", {run}, 400},
      {"POST", rn + "/heartbeat", "{", {run}, 400},
      {"PUT", rn + "/jobs/jb_%00/complete", "{}", {run}, 400},
      {"PUT", rn + "/jobs/..%2F..%2Fx/complete", "{}", {run}, 404},
      {"POST", "/runners/rn_..%2F..%2F/heartbeat", "", {run}, 401},
      {"POST", "/runners/register", "{\"registration_token\":[\"a\"]}", {}, 400},
      {"POST", "/runners/register", std::string(4096, '{'), {}, 400},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.path + " " + c.body.substr(0, 60));
    ExpectErrorEnvelope(http_->Send(c.method, c.path, c.body, c.headers), c.status);
  }
  EXPECT_EQ(queue(), before_queue);
  EXPECT_EQ(Api("GET", "/submissions/" + sid).body, before_sub);
}

class SmallBodies : public NojdTest {
 protected:
  std::vector<std::string> Flags() const override { return {"--max-body", "4096"}; }
};

TEST_F(SmallBodies, OversizeBodyIs413) {
  ExpectErrorEnvelope(Api("POST", "/problems", std::string(10000, ' ')), 413);
  // The server is still fine afterwards.
  EXPECT_EQ(http_->Get("/healthz").status, 200);
}

}  // namespace
}  // namespace noj::testing

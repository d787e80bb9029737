#pragma once
// A real nojd process plus helpers that speak the protocol, for the HTTP integration tests.

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <string>
#include <vector>

#include "integration/http_client.h"
#include "integration/nojd_process.h"

namespace noj::testing {

namespace bj = boost::json;

struct RunnerCreds {
  std::string id;
  std::string token;
  std::string auth() const { return "Authorization: Bearer " + token; }
};

class NojdTest : public ::testing::Test {
 protected:
  // Override to pass flags (e.g. {"--lease-ttl", "1"}).
  virtual std::vector<std::string> Flags() const { return {}; }

  void SetUp() override;
  void TearDown() override;

  std::string ApiAuth() const { return "Authorization: Bearer " + api_token_; }
  HttpResult Api(const std::string& method, const std::string& path, const std::string& body = "");
  bj::value Json(const HttpResult& r);  // parses or fails the test

  // Creates a problem with the given tasks ({score, cases} pairs) and valid testdata.
  int64_t CreateProblemWithTestdata(const std::vector<std::pair<int, int>>& tasks);
  std::string TestdataZip(const std::vector<std::pair<int, int>>& tasks);
  std::string Submit(int64_t pid, int language = 1, const std::string& code = "int main(){}",
                     int priority = 1);
  RunnerCreds Register(const std::string& name = "test-runner");
  // GET next-job; returns the parsed body or null on 204.
  bj::value Claim(const RunnerCreds& r, int wait_s = 0);
  // A complete body of all-AC cases for the given shape.
  std::string AllCases(const std::vector<int>& case_counts, const std::string& status = "AC");
  HttpResult Complete(const RunnerCreds& r, const std::string& job, const std::string& body,
                      int attempt = -1);
  bj::object Submission(const std::string& sid);
  // Polls until the submission is final or ~timeout passes.
  bj::object WaitFinal(const std::string& sid, int timeout_s = 20);

  std::string dir_;
  std::unique_ptr<NojdProcess> nojd_;
  std::unique_ptr<HttpClient> http_;
  std::string api_token_;
  std::string last_zip_;  // the testdata last uploaded by CreateProblemWithTestdata
};

// Every error body is the envelope {"status":"err","message":…,"data":…}.
void ExpectErrorEnvelope(const HttpResult& r, int status);

}  // namespace noj::testing

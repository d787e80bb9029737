#pragma once
// A runner over raw HTTP (the protocol of protocol.md §2, no noj-runner code paths), for the
// hostile scenarios (hostile_prelude.h) and the rogue of the fault phase (rogue.h). Results are
// made with the fake judge's own rules (correct ones, or deliberately wrong ones).

#include <boost/json.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "api/job_payload.h"
#include "integration/http_client.h"

namespace noj::chaos {

// One raw runner identity.
class RawRunner {
 public:
  RawRunner(std::string base_url, std::string registration_token, std::string name);

  bool Register();  // false if nojd did not answer 201
  // GET next-job; nullopt on 204 or any failure (`status` tells which).
  std::optional<api::JobPayload> Claim(int wait_s, int* status = nullptr);
  int Heartbeat(const std::vector<std::string>& job_ids, const std::vector<std::string>& headers,
                const std::string& extra_fields = "");
  // PUT complete; `attempt` < 0 sends no X-Job-Attempt header. Returns the HTTP status (0: none).
  int Complete(const std::string& job_id, int attempt, const std::string& body,
               const std::vector<std::string>& headers = {});
  // The same, retried while nojd is down or busy (0 / 5xx) until `timeout`.
  int CompleteDefinitely(const std::string& job_id, int attempt, const std::string& body,
                         std::chrono::milliseconds timeout);
  // The source text behind the payload's code_url; nullopt if it cannot be had.
  std::optional<std::string> FetchSource(const api::JobPayload& job);

  const std::string& id() const { return id_; }

 private:
  std::string base_url_, registration_token_, name_;
  testing::HttpClient http_;
  std::string id_, token_;
};

// The complete body the fake judge would send for `source` (nullopt for FAIL/CRASH code).
std::optional<std::string> CorrectBody(const api::JobPayload& job, const std::string& source,
                                       const std::string& label);
// A well-formed body with another verdict and another source hash: landing it would be "wrong".
std::string WrongBody(const api::JobPayload& job, const std::string& source,
                      const std::string& label);

// A Date header `offset` away from now (RFC 7231 form).
std::string SkewedDateHeader(std::chrono::seconds offset);

// A submission's status, attempts and holder, through the client API; nullopt if nojd did not
// answer.
struct JobView {
  int status = -1;
  int attempts = 0;
  std::string runner_id;
};
std::optional<JobView> ViewSubmission(testing::HttpClient& http, const std::string& auth,
                                      const std::string& sid);

// `body` as a JSON object, or nullopt.
std::optional<boost::json::object> ParseObject(const std::string& body);

}  // namespace noj::chaos

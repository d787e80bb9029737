#pragma once
// One worker's HTTP client for result callbacks (libcurl, one reusable easy handle: its
// connection cache keeps a receiver's connection open between deliveries). Hardened against a
// client-chosen target (no SSRF): every address is checked against the allow-list right before
// the socket is opened (the address curl actually connects to, after DNS), no redirect is
// followed (a 3xx is a failed attempt), http and https only, no proxy from the environment, a
// total timeout, and at most 64 KiB of response read (then the transfer is cut; the status code
// still decides). Headers and the secret never reach a log line.
//
// Thread safety: one HttpPost per thread. The allow-list must outlive it.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "callbacks/allow_list.h"
#include "callbacks/callback_url.h"
#include "callbacks/retry_policy.h"
#include "common/status.h"

namespace noj::callbacks {

struct HttpPostOptions {
  int64_t timeout_ms = 10'000;         // the whole attempt, connect included
  int64_t connect_timeout_ms = 5'000;  // at most timeout_ms
  size_t max_response_bytes = 64 * 1024;
  std::string user_agent = "nojd-callbacks/1";
};

struct PostRequest {
  const CallbackUrl& url;
  std::string_view body;  // application/json
  std::string_view webhook_id;
  int64_t webhook_timestamp_s = 0;
  std::string_view webhook_signature;
};

class HttpPost {
 public:
  // kInternal if libcurl cannot be initialised.
  static Result<std::unique_ptr<HttpPost>> Create(const CallbackAllowList& allow,
                                                  HttpPostOptions options = {});
  virtual ~HttpPost() = default;
  HttpPost(const HttpPost&) = delete;
  HttpPost& operator=(const HttpPost&) = delete;

  // One attempt; never throws. `error` when not 2xx: "HTTP 500", "HTTP 302 (redirects are not
  // followed)", "timeout after N ms", "connect: …", "address not allowed: <ip>", "resolve: …".
  // `body_cut` when the response was longer than max_response_bytes.
  struct Outcome {
    AttemptResult result;
    bool body_cut = false;
  };
  virtual Outcome Post(const PostRequest& request) = 0;

 protected:
  HttpPost() = default;
};

}  // namespace noj::callbacks

#pragma once
// nojd's configuration: one struct, filled from flags and NOJ_… environment (src/exe/), printed at
// start with secrets redacted.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace noj::server {

// Result callbacks (docs/callbacks.md): where final results are POSTed, and how.
struct CallbackConfig {
  std::string default_url;         // --callback-url: for submissions that name none; "" = none
  std::vector<std::string> allow;  // --callback-allow: hosts, *.suffix, IPs, CIDRs
  int workers = 8;                 // POSTs in flight on this node
  int inflight_per_target = 4;     // of which to one scheme://host:port
  int64_t timeout_ms = 10'000;     // one POST, connect included
  int64_t retry_base_ms = 1000;    // first retry delay; doubles, with jitter, up to retry_max_ms
  int64_t retry_max_ms = 600'000;
  int64_t max_age_s = 86'400;  // then dead
};

struct ServerConfig {
  std::string listen_host = "127.0.0.1";
  uint16_t listen_port = 8080;
  std::string data_dir = "./noj-data";
  std::string store = "";  // "sqlite:PATH" or "redis://HOST:PORT/DB"; default sqlite in data dir
  std::string public_url = "";  // base of code_url; default http://<listen>
  // Unset → taken from (or generated into) <data-dir>/secrets.json. Set to "" → registration off.
  std::optional<std::string> registration_token;
  std::optional<std::string> api_token;
  std::optional<std::string> sandbox_token;  // legacy static testdata token; off when unset/empty
  int64_t lease_ttl_s = 30;
  int64_t heartbeat_interval_s = 15;
  int64_t poll_interval_s = 3;
  int64_t max_concurrent_jobs = 8;
  int max_attempts = 3;
  int64_t identity_ttl_s = 604800;
  int64_t code_url_ttl_s = 3600;
  uint64_t max_body_bytes = 64ull << 20;  // testdata zips are the largest bodies
  size_t max_output_bytes = 64 * 1024;    // per case, per stream, when stored
  size_t max_code_bytes = 256 * 1024;
  std::optional<std::string> metrics_token;  // unset/empty: GET /metrics is open
  std::string log_level = "info";
  std::string log_format = "text";  // text (key=value) | json
  int threads = 0;                  // 0 = number of cores
  // Store work runs on its own threads, never on the I/O threads (docs/operations.md, "Store
  // deadline and overload").
  int store_threads = 16;            // concurrent store calls (group commit batches them)
  size_t store_queue = 1024;         // store calls that may wait; beyond: 503 at once
  int64_t store_deadline_ms = 2000;  // per store call; then 503 with the error envelope
  CallbackConfig callbacks;
};

// The secrets nojd uses; never logged.
struct Secrets {
  std::string registration_token;  // "" = registration disabled
  std::string api_token;
  std::string sandbox_token;  // "" = legacy token off
  std::string code_url_key;   // HMAC key of code links
  std::string callback_secret;  // "whsec_…": signs result callbacks (Standard Webhooks)
};

}  // namespace noj::server

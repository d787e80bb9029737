#pragma once
// The HTTP/1.1 server on Boost.Beast: one coroutine per connection on its own strand, keep-alive,
// a body limit (413), long-polls parked on Waiters, graceful stop.
//
// Handlers run on the store executor (store_executor.h), not on the I/O threads: the connection
// posts the handler there and awaits its answer or its deadline, whichever comes first; at the
// deadline the request gets 503 with the error envelope and the late answer is dropped. A full
// queue gets 503 at once. Routes marked RouteKind::kInline run on the I/O thread. A parked
// long-poll holds no thread: only its re-tries (claims) go through the executor, each with the
// deadline.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "server/http/router.h"
#include "server/http/waiters.h"

namespace noj::server {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 = pick a free port
  int threads = 2;
  uint64_t max_body_bytes = 64ull << 20;
  int64_t recheck_interval_ms = 1000;  // parked long-polls re-run their handler this often
  int store_threads = 16;              // executor threads (group commit batches their calls)
  size_t store_queue = 1024;           // store calls that may wait for a thread; more → 503
  int64_t store_deadline_ms = 2000;    // per store call (handler or long-poll re-try); then 503
  // Store work that missed its deadline or found the queue full (from an I/O thread).
  std::function<void(bool deadline)> on_store_refused;
  // A handler answered 503: its store call failed with kUnavailable (from an I/O thread).
  std::function<void()> on_store_unavailable;
  // The executor's load after each change (from any thread, under the executor's lock: cheap).
  std::function<void(size_t queued, int busy)> on_store_load;
  // Called once per answered request (also for requests the parser refused, with route
  // "(malformed)"), from an I/O thread; seconds = from the request read to the response written.
  std::function<void(const std::string& method, const std::string& route, int status,
                     double seconds)>
      on_response;
};

class HttpServer {
 public:
  // Binds and listens (so the port is known when this returns). Does not start serving.
  static Result<std::unique_ptr<HttpServer>> Create(const HttpServerOptions& options,
                                                    const Router& router, Waiters& waiters);
  ~HttpServer();

  uint16_t port() const;

  // Serves until Stop(); blocks the calling thread (which is one of the I/O threads).
  void Run();

  // Async-signal-unsafe; call from a normal thread. Stops accepting, wakes long-polls so they
  // answer at once, lets in-flight requests finish (up to grace_ms), then returns from Run().
  void Stop(int64_t grace_ms = 5000);

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace noj::server

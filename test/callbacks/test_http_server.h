#pragma once
// A tiny HTTP/1.1 server on 127.0.0.1 for the callback tests: a plain socket, a thread per
// connection, one request per connection (answered with Connection: close). What it answers is
// set per test; what it received is recorded, and a test waits for it with a deadline.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "common/thread_annotations.h"

namespace noj::callbacks::testing {

struct Received {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

struct Reply {
  int status = 204;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  size_t huge_body_bytes = 0;  // >0: announce this Content-Length and stream zeros until cut
  bool hang = false;           // read the request, never answer (until the server stops)
};

class TestHttpServer {
 public:
  TestHttpServer();  // listens on 127.0.0.1, a free port; aborts the test binary on failure
  ~TestHttpServer();
  TestHttpServer(const TestHttpServer&) = delete;
  TestHttpServer& operator=(const TestHttpServer&) = delete;

  uint16_t port() const { return port_; }
  std::string Url(const std::string& path = "/hook") const;

  void SetHandler(std::function<Reply(const Received&)> handler) EXCLUDES(mu_);
  // Waits until at least n requests were received (true) or `deadline_ms` passed (false).
  bool WaitForRequests(size_t n, int64_t deadline_ms = 30'000) EXCLUDES(mu_);
  std::vector<Received> requests() EXCLUDES(mu_);
  int connections() const { return connections_.load(); }
  // Body bytes written for huge replies before the client went away.
  size_t huge_bytes_sent() const { return huge_sent_.load(); }
  // Waits until every connection so far has been answered or cut (true) or the deadline.
  bool WaitIdle(int64_t deadline_ms = 30'000) EXCLUDES(mu_);

 private:
  void AcceptLoop();
  void Serve(int fd) EXCLUDES(mu_);

  int listen_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<size_t> huge_sent_{0};
  Mutex mu_;
  std::condition_variable_any cv_;
  std::function<Reply(const Received&)> handler_ GUARDED_BY(mu_);
  std::vector<Received> requests_ GUARDED_BY(mu_);
  int open_ GUARDED_BY(mu_) = 0;
  std::vector<std::thread> workers_ GUARDED_BY(mu_);
  std::thread acceptor_;
};

// A loopback port nothing listens on (bound, then closed): connecting to it is refused.
uint16_t UnusedPort();

}  // namespace noj::callbacks::testing

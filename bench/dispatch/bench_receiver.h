#pragma once
// The callback receiver of phase 6: a plain blocking HTTP/1.1 server on 127.0.0.1:0, in this
// process, that answers every request `204 No Content` at once (keep-alive) and records, per
// `webhook-id`, when it first arrived. It does not verify signatures — that would be the bench's
// own CPU, not nojd's — it counts the POSTs that carry one.

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench_support.h"
#include "common/thread_annotations.h"

namespace noj::bench {

class BenchReceiver {
 public:
  // What arrived so far.
  struct Tally {
    int64_t posts = 0;         // requests answered 204
    int64_t signed_posts = 0;  // of those, with a webhook-signature "v1,…"
    int64_t duplicates = 0;    // posts of a webhook-id that had arrived before (retries)
    int64_t malformed = 0;     // unparsable requests (answered 400, connection closed)
    int64_t connections = 0;   // accepted in total
    Clock::time_point last_arrival{};
    std::unordered_map<std::string, Clock::time_point> first_arrival;  // webhook-id -> time
  };

  BenchReceiver() = default;
  ~BenchReceiver() { Stop(); }
  BenchReceiver(const BenchReceiver&) = delete;
  BenchReceiver& operator=(const BenchReceiver&) = delete;

  // Binds 127.0.0.1:0 and starts accepting; false (with *error) when the socket cannot be set up.
  bool Start(std::string* error);
  // Closes the listener and every connection and joins the threads (each polls every 100 ms).
  void Stop();
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  int64_t distinct() const EXCLUDES(mu_);
  Tally Take() const EXCLUDES(mu_);  // a copy

 private:
  void AcceptLoop();
  void Serve(int fd);
  // Counts one request that was answered 204; the first arrival of an id keeps its time.
  void Record(const std::string& webhook_id, bool has_signature, Clock::time_point at)
      EXCLUDES(mu_);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread acceptor_;
  mutable noj::Mutex mu_;
  std::vector<std::thread> connections_ GUARDED_BY(mu_);
  Tally tally_ GUARDED_BY(mu_);
};

}  // namespace noj::bench

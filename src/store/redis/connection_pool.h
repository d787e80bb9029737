#pragma once
// A small pool of blocking hiredis connections, shared by every thread of a RedisStore, that
// runs commands and the embedded Lua scripts.
//
// Failure handling (never hang, never crash):
//  * every connect and every command has a timeout (Endpoint);
//  * a connection that fails is dropped, and every idle connection opened before the failure is
//    dropped too (after a Redis restart they are all dead); an idle connection the server closed
//    is noticed before reuse (Connection::LooksAlive) and replaced;
//  * when a connect fails, the pool is "down": calls fail at once with kUnavailable until a
//    backoff delay (doubling from backoff_min_ms to backoff_max_ms) has passed; then one call
//    probes with a new connect, and success ends the down state.
//  * read-only calls (idempotent) are retried once on a fresh connection when a reused
//    connection fails; a transition is never retried (it may have run): kUnavailable.
//
// Scripts: each new connection checks with SCRIPT EXISTS that every script is loaded and
// SCRIPT LOADs the missing ones; EVALSHA that meets NOSCRIPT (SCRIPT FLUSH, failover) loads the
// script and runs it again.
//
// Thread safety: all methods are safe to call from many threads.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/redis/connection.h"
#include "store/redis/scripts.h"

namespace noj::store::redis {

struct PoolOptions {
  Endpoint endpoint;
  int size = 16;
  int backoff_min_ms = 50;
  int backoff_max_ms = 2000;
};

enum class Idempotent { kNo, kYes };

class ConnectionPool {
 public:
  ConnectionPool(PoolOptions options, Scripts scripts);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // One command. Error replies become a Status (ErrorReplyStatus).
  Result<ReplyPtr> Command(const Argv& argv, Idempotent idempotent);
  // EVALSHA of a script with one key (the key prefix) and `args`.
  Result<ReplyPtr> Eval(ScriptId id, std::string_view prefix, const Argv& args,
                        Idempotent idempotent);

  // Round trips made so far (each command or pipelined batch sent and answered: one).
  int64_t round_trips() const { return round_trips_.load(std::memory_order_relaxed); }
  int64_t commands() const { return commands_.load(std::memory_order_relaxed); }

  const Scripts& scripts() const { return scripts_; }
  const PoolOptions& options() const { return options_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Lease {
    std::unique_ptr<Connection> conn;
    bool fresh = false;  // opened by this call (so a failure is not a stale connection)
  };

  Result<Lease> Acquire();
  void Release(std::unique_ptr<Connection> conn);
  Result<std::unique_ptr<Connection>> Connect();
  Status EnsureScripts(Connection& conn);
  // Runs `fn(conn)` on a pooled connection with the retry rule above.
  template <typename Fn>
  Result<ReplyPtr> Run(Idempotent idempotent, Fn&& fn);
  Result<ReplyPtr> EvalOn(Connection& conn, ScriptId id, std::string_view prefix, const Argv& args);

  const PoolOptions options_;
  const Scripts scripts_;
  std::atomic<int64_t> round_trips_{0};
  std::atomic<int64_t> commands_{0};

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;  // GUARDED_BY(mu_)
  int open_ = 0;                                   // GUARDED_BY(mu_): idle + in use + connecting
  uint64_t generation_ = 0;                        // GUARDED_BY(mu_)
  bool down_ = false;                              // GUARDED_BY(mu_)
  bool probing_ = false;                           // GUARDED_BY(mu_)
  Clock::time_point retry_at_{};                   // GUARDED_BY(mu_)
  int backoff_ms_ = 0;                             // GUARDED_BY(mu_)
  std::string last_error_;                         // GUARDED_BY(mu_)
};

}  // namespace noj::store::redis

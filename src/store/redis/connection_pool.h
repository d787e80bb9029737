#pragma once
// A small pool of blocking hiredis connections, shared by every thread of a RedisStore, that
// runs commands and the embedded Lua scripts.
//
// Pipelining (what arrives together goes together): a call queues its command and waits. A
// waiting caller becomes a leader when fewer than `size` leaders are running: it takes the queue's
// oldest commands (at most kMaxBatch, about kMaxBatchBytes), sends them in one write on one
// connection, reads their replies in order and hands each caller its own. So with every
// connection busy, the calls that queue meanwhile share the next round trip; an idle pool sends
// a lone command at once. Each transition stays one EVALSHA of its own script (atomic alone).
//
// Failure handling (never hang, never crash):
//  * every connect and every command has a timeout (Endpoint); a command still queued when the
//    call's timeout passes is withdrawn (kUnavailable, it never ran); one taken by a leader is
//    answered when the leader's exchange ends (bounded by the same timeouts);
//  * a connection that fails is dropped, and every idle connection opened before the failure is
//    dropped too (after a Redis restart they are all dead); an idle connection the server closed
//    is noticed before reuse (Connection::LooksAlive) and replaced;
//  * when a connect fails, the pool is "down": calls fail at once with kUnavailable until a
//    backoff delay (doubling from backoff_min_ms to backoff_max_ms) has passed; then one call
//    probes with a new connect, and success ends the down state.
//  * when a batch's connection fails, the commands answered before the failure keep their replies;
//    of the others, read-only calls (idempotent) are retried once, together, on a connection
//    taken after the failure when the failed one was reused (not fresh); a transition is never
//    retried (it may have run): kUnavailable.
//
// Scripts: each new connection checks with SCRIPT EXISTS that every script is loaded and
// SCRIPT LOADs the missing ones; an EVALSHA that meets NOSCRIPT (SCRIPT FLUSH, failover) did not
// run: the leader loads the script and runs it again (one more round trip for the batch).
//
// Counting: round_trips() / commands() count every exchange on the pool's connections (script
// loading included), so round_trips() < commands() shows the pipelining at work.
//
// Thread safety: all methods are safe to call from many threads.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/thread_annotations.h"
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
  // A batch is cut at this many commands, or once it holds this many argument bytes (a batch of
  // large blobs does not delay the small commands queued behind it for long).
  static constexpr size_t kMaxBatch = 128;
  static constexpr size_t kMaxBatchBytes = size_t{1} << 20;

  ConnectionPool(PoolOptions options, Scripts scripts);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  // One command. Error replies become a Status (ErrorReplyStatus).
  Result<ReplyPtr> Command(const Argv& argv, Idempotent idempotent);
  // EVALSHA of a script with one key (the key prefix) and `args`.
  Result<ReplyPtr> Eval(ScriptId id, std::string_view prefix, const Argv& args,
                        Idempotent idempotent);

  // Round trips made so far (each exchange sent and answered: one, a pipelined batch included)
  // and the commands they carried.
  int64_t round_trips() const { return wire_.round_trips.load(std::memory_order_relaxed); }
  int64_t commands() const { return wire_.commands.load(std::memory_order_relaxed); }

  const Scripts& scripts() const { return scripts_; }
  const PoolOptions& options() const { return options_; }

 private:
  using Clock = std::chrono::steady_clock;
  struct Lease {
    std::unique_ptr<Connection> conn;
    bool fresh = false;  // opened by this call (so a failure is not a stale connection)
  };
  // One caller's command. Lives on the caller's stack: the caller waits until `done` (or
  // withdraws it from the queue), so `argv` (views of the caller's strings) stays valid while a
  // leader uses it. taken / done are read and written under mu_; `result` is written by the
  // leader before it sets done and read by the caller after.
  struct Call {
    const Argv& argv;
    const Script* script;  // EVALSHA of this script (NOSCRIPT is handled), or a plain command
    Idempotent idempotent;
    bool taken = false;
    bool done = false;
    Call* next = nullptr;  // the next call of the same batch
    std::optional<Result<ReplyPtr>> result;
  };

  // Queues `call`, leads batches while its command waits for a free connection, and returns its
  // answer.
  Result<ReplyPtr> Submit(Call& call) EXCLUDES(mu_);
  // The oldest queued calls, marked taken and linked through Call::next (no allocation under
  // the lock). REQUIRES: the queue is not empty.
  Call* TakeBatch() REQUIRES(mu_);
  // Answers every call of the batch (retries included); never throws.
  void Lead(Call* batch) EXCLUDES(mu_);
  // One exchange of `calls` on one connection; sets each call's result except the read-only ones
  // to retry (returned; only when `may_retry`).
  std::vector<Call*> RunBatch(const std::vector<Call*>& calls, bool may_retry) EXCLUDES(mu_);
  // The reply's result for `call`, or nullopt for NOSCRIPT (run it again once loaded).
  std::optional<Result<ReplyPtr>> Answer(const Call& call, ReplyPtr reply) const;
  // Loads the scripts of `calls` (each met NOSCRIPT) and runs them again, in one exchange.
  void Rerun(Connection& conn, const std::vector<Call*>& calls);

  Result<Lease> Acquire() EXCLUDES(mu_);
  void Release(std::unique_ptr<Connection> conn) EXCLUDES(mu_);
  Result<std::unique_ptr<Connection>> Connect();
  Status EnsureScripts(Connection& conn);

  const PoolOptions options_;
  const Scripts scripts_;
  WireCounters wire_;

  Mutex mu_;
  std::condition_variable_any cv_;  // a call answered, a leader finished, a connection returned
  std::deque<Call*> queue_ GUARDED_BY(mu_);  // calls not taken yet, oldest first
  int leaders_ GUARDED_BY(mu_) = 0;          // <= options_.size: each holds one connection
  std::vector<std::unique_ptr<Connection>> idle_ GUARDED_BY(mu_);
  int open_ GUARDED_BY(mu_) = 0;  // idle + in use + connecting
  uint64_t generation_ GUARDED_BY(mu_) = 0;
  bool down_ GUARDED_BY(mu_) = false;
  bool probing_ GUARDED_BY(mu_) = false;
  Clock::time_point retry_at_ GUARDED_BY(mu_){};
  int backoff_ms_ GUARDED_BY(mu_) = 0;
  std::string last_error_ GUARDED_BY(mu_);
};

}  // namespace noj::store::redis

#pragma once
// One hiredis connection (blocking, with timeouts) and the RAII types for hiredis handles.
// Not thread-safe: a Connection is used by one thread at a time (the pool hands it out).

#include <hiredis/hiredis.h>
#include <signal.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace noj::store::redis {

struct ReplyDeleter {
  void operator()(redisReply* r) const {
    if (r != nullptr) freeReplyObject(r);
  }
};
using ReplyPtr = std::unique_ptr<redisReply, ReplyDeleter>;

struct ContextDeleter {
  void operator()(redisContext* c) const {
    if (c != nullptr) redisFree(c);
  }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

struct Endpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;
  std::string password;  // AUTH when not empty
  int connect_timeout_ms = 500;
  int command_timeout_ms = 3000;

  std::string Name() const { return host + ":" + std::to_string(port); }
};

using Argv = std::vector<std::string_view>;

// What connections have sent, shared by the connections of one owner (a pool, a notifier): a
// round trip is one write of commands followed by the read of their replies (a pipelined batch
// is one), counted when the write is attempted (a failed exchange still cost one).
struct WireCounters {
  std::atomic<int64_t> round_trips{0};
  std::atomic<int64_t> commands{0};

  void Add(size_t n) {
    round_trips.fetch_add(1, std::memory_order_relaxed);
    commands.fetch_add(static_cast<int64_t>(n), std::memory_order_relaxed);
  }
};

class Connection {
 public:
  // Connects, sets the command timeout and TCP keepalive, AUTHs and SELECTs the db.
  // kUnavailable when Redis cannot be reached; kInvalidArgument if it refuses the password or
  // the db index. Every exchange (AUTH and SELECT included) is added to `counters` when set; they
  // must outlive the connection.
  static Result<std::unique_ptr<Connection>> Open(const Endpoint& endpoint,
                                                  WireCounters* counters = nullptr);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Sends one command and reads its reply (binary-safe arguments). kUnavailable when the
  // connection fails (it is then broken() and must be dropped). Error replies are returned as
  // replies (type REDIS_REPLY_ERROR): the caller decides.
  Result<ReplyPtr> Command(const Argv& argv);
  // Sends all commands in one write, then reads their replies in order.
  Result<std::vector<ReplyPtr>> Pipeline(const std::vector<Argv>& commands);
  // Pipeline that keeps what it got: appends to `replies` each reply read, in order, and on an
  // I/O error (the connection is then broken()) returns it with the replies read so far, so
  // commands [0, replies.size()) were answered and the rest may or may not have run.
  Status Exchange(const std::vector<const Argv*>& commands, std::vector<ReplyPtr>& replies);

  // False once an I/O error happened: the connection must not be reused.
  bool broken() const { return broken_; }
  // Cheap check before reuse: false if the server closed the connection (or sent something
  // unsolicited) while it sat idle. Never blocks.
  bool LooksAlive() const;

  // The hiredis context, for streaming use (pub/sub) by one thread. Wrap each exchange in a
  // ScopedSigpipeBlock.
  redisContext* context() { return ctx_.get(); }

  uint64_t generation = 0;  // the pool's generation when this connection was opened

 private:
  Connection(ContextPtr ctx, std::string name, WireCounters* counters)
      : ctx_(std::move(ctx)), name_(std::move(name)), counters_(counters) {}
  Status IoError(std::string_view during);
  void Count(size_t commands) {
    if (counters_ != nullptr) counters_->Add(commands);
  }

  ContextPtr ctx_;
  std::string name_;
  WireCounters* const counters_;
  bool broken_ = false;
};

// hiredis writes with write(2): a peer that closed the socket would raise SIGPIPE and kill the
// process. This blocks SIGPIPE for the calling thread during one exchange and swallows a SIGPIPE
// it caused, leaving the process's signal dispositions alone.
class ScopedSigpipeBlock {
 public:
  ScopedSigpipeBlock();
  ~ScopedSigpipeBlock();
  ScopedSigpipeBlock(const ScopedSigpipeBlock&) = delete;
  ScopedSigpipeBlock& operator=(const ScopedSigpipeBlock&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
  bool blocked_ = false;
};

// "ERR ...", "NOSCRIPT ...": the text of an error reply.
std::string_view ErrorText(const redisReply& reply);

// The Status for an error reply: kUnavailable for the states Redis leaves by itself (LOADING,
// BUSY, OOM, READONLY, MASTERDOWN, TRYAGAIN), kInternal otherwise.
Status ErrorReplyStatus(const redisReply& reply, std::string_view what);

}  // namespace noj::store::redis

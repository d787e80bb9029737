#include "store/redis/connection.h"

#include <poll.h>
#include <signal.h>
#include <time.h>

#include <cerrno>

namespace noj::store::redis {

namespace {

timeval ToTimeval(int ms) {
  timeval tv;
  tv.tv_sec = ms / 1000;
  tv.tv_usec = (ms % 1000) * 1000;
  return tv;
}

void SplitArgv(const Argv& argv, std::vector<const char*>& ptrs, std::vector<size_t>& lens) {
  ptrs.clear();
  lens.clear();
  for (std::string_view a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
}

// An error reply to AUTH / SELECT: transient states stay kUnavailable, a refusal is a
// configuration error.
Status SetupError(const redisReply& reply, const std::string& name, const std::string& what) {
  Status s = ErrorReplyStatus(reply, what);
  if (s.code() == ErrorCode::kUnavailable) return s;
  return InvalidArgumentError("redis " + name + ": " + what + ": " + std::string(ErrorText(reply)));
}

}  // namespace

ScopedSigpipeBlock::ScopedSigpipeBlock() {
  sigemptyset(&pipe_);
  sigaddset(&pipe_, SIGPIPE);
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  blocked_ = pthread_sigmask(SIG_BLOCK, &pipe_, &old_) == 0;
}

ScopedSigpipeBlock::~ScopedSigpipeBlock() {
  if (!blocked_) return;
  if (!was_pending_) {
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) == 1) {
      const timespec zero{0, 0};
      while (sigtimedwait(&pipe_, nullptr, &zero) == -1 && errno == EINTR) {
      }
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

Result<std::unique_ptr<Connection>> Connection::Open(const Endpoint& endpoint,
                                                     WireCounters* counters) {
  const std::string name = endpoint.Name();
  ContextPtr ctx(redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port,
                                         ToTimeval(endpoint.connect_timeout_ms)));
  if (!ctx) return UnavailableError("redis " + name + ": cannot allocate a connection");
  if (ctx->err != 0) return UnavailableError("redis " + name + ": " + ctx->errstr);
  if (redisSetTimeout(ctx.get(), ToTimeval(endpoint.command_timeout_ms)) != REDIS_OK ||
      redisEnableKeepAlive(ctx.get()) != REDIS_OK) {
    return UnavailableError("redis " + name + ": " + ctx->errstr);
  }
  std::unique_ptr<Connection> conn(new Connection(std::move(ctx), name, counters));
  if (!endpoint.password.empty()) {
    NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, conn->Command({"AUTH", endpoint.password}));
    if (reply->type == REDIS_REPLY_ERROR) {
      return SetupError(*reply, name, "AUTH");
    }
  }
  if (endpoint.db != 0) {
    const std::string db = std::to_string(endpoint.db);
    NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, conn->Command({"SELECT", db}));
    if (reply->type == REDIS_REPLY_ERROR) {
      return SetupError(*reply, name, "SELECT " + db);
    }
  }
  return conn;
}

Status Connection::IoError(std::string_view during) {
  broken_ = true;
  std::string what = ctx_->errstr[0] != '\0' ? ctx_->errstr : "connection failed";
  if (ctx_->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)) {
    what = "timed out";
  }
  return UnavailableError("redis " + name_ + ": " + std::string(during) + ": " + what);
}

Result<ReplyPtr> Connection::Command(const Argv& argv) {
  if (broken_) return UnavailableError("redis " + name_ + ": connection is broken");
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  SplitArgv(argv, ptrs, lens);
  ScopedSigpipeBlock no_sigpipe;
  Count(1);
  void* raw = redisCommandArgv(ctx_.get(), static_cast<int>(ptrs.size()), ptrs.data(), lens.data());
  if (raw == nullptr) return IoError(argv.empty() ? "command" : argv[0]);
  return ReplyPtr(static_cast<redisReply*>(raw));
}

Result<std::vector<ReplyPtr>> Connection::Pipeline(const std::vector<Argv>& commands) {
  std::vector<const Argv*> ptrs;
  ptrs.reserve(commands.size());
  for (const Argv& argv : commands) ptrs.push_back(&argv);
  std::vector<ReplyPtr> replies;
  NOJ_RETURN_IF_ERROR(Exchange(ptrs, replies));
  return replies;
}

Status Connection::Exchange(const std::vector<const Argv*>& commands,
                            std::vector<ReplyPtr>& replies) {
  if (broken_) return UnavailableError("redis " + name_ + ": connection is broken");
  if (commands.empty()) return Status::Ok();
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  ScopedSigpipeBlock no_sigpipe;
  for (const Argv* argv : commands) {
    SplitArgv(*argv, ptrs, lens);
    if (redisAppendCommandArgv(ctx_.get(), static_cast<int>(ptrs.size()), ptrs.data(),
                               lens.data()) != REDIS_OK) {
      return IoError("pipeline");
    }
  }
  Count(commands.size());
  // The first redisGetReply writes the whole buffer, then each call reads one reply.
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx_.get(), &raw) != REDIS_OK || raw == nullptr) return IoError("pipeline");
    replies.emplace_back(static_cast<redisReply*>(raw));
  }
  return Status::Ok();
}

bool Connection::LooksAlive() const {
  if (broken_) return false;
  pollfd pfd{ctx_->fd, POLLIN, 0};
  const int n = poll(&pfd, 1, 0);
  if (n == 0) return true;  // nothing to read: the normal idle state
  if (n < 0) return errno == EINTR;
  return false;  // readable while idle: EOF (server closed it) or an unsolicited message
}

std::string_view ErrorText(const redisReply& reply) {
  if (reply.str == nullptr) return "";
  return std::string_view(reply.str, reply.len);
}

Status ErrorReplyStatus(const redisReply& reply, std::string_view what) {
  const std::string_view text = ErrorText(reply);
  const std::string message = "redis: " + std::string(what) + ": " + std::string(text);
  for (std::string_view transient :
       {"LOADING", "BUSY", "OOM", "READONLY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN"}) {
    if (text.starts_with(transient)) return UnavailableError(message);
  }
  return InternalError(message);
}

}  // namespace noj::store::redis

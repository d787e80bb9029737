#include "store/redis/connection_pool.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "common/logging.h"

namespace noj::store::redis {

ConnectionPool::ConnectionPool(PoolOptions options, Scripts scripts)
    : options_(std::move(options)), scripts_(std::move(scripts)) {}

Result<std::unique_ptr<Connection>> ConnectionPool::Connect() {
  NOJ_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Connection::Open(options_.endpoint));
  NOJ_RETURN_IF_ERROR(EnsureScripts(*conn));
  return conn;
}

Status ConnectionPool::EnsureScripts(Connection& conn) {
  Argv exists = {"SCRIPT", "EXISTS"};
  for (const Script& s : scripts_) exists.push_back(s.sha1);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, conn.Command(exists));
  if (reply->type == REDIS_REPLY_ERROR) return ErrorReplyStatus(*reply, "SCRIPT EXISTS");
  if (reply->type != REDIS_REPLY_ARRAY || reply->elements != scripts_.size()) {
    return InternalError("redis: unexpected reply to SCRIPT EXISTS");
  }
  std::vector<Argv> loads;
  std::vector<const Script*> loading;
  for (size_t i = 0; i < scripts_.size(); ++i) {
    if (reply->element[i]->type == REDIS_REPLY_INTEGER && reply->element[i]->integer == 1) continue;
    loads.push_back({"SCRIPT", "LOAD", scripts_[i].source});
    loading.push_back(&scripts_[i]);
  }
  if (loads.empty()) return Status::Ok();
  NOJ_ASSIGN_OR_RETURN(std::vector<ReplyPtr> loaded, conn.Pipeline(loads));
  for (size_t i = 0; i < loaded.size(); ++i) {
    const redisReply& r = *loaded[i];
    const std::string what = "SCRIPT LOAD " + std::string(loading[i]->name);
    if (r.type == REDIS_REPLY_ERROR) return ErrorReplyStatus(r, what);
    if (r.type != REDIS_REPLY_STRING || std::string_view(r.str, r.len) != loading[i]->sha1) {
      return InternalError("redis: " + what + " answered an unexpected SHA-1");
    }
  }
  NOJ_LOG_INFO("event=redis_scripts_loaded count={} redis={}", loads.size(),
               options_.endpoint.Name());
  return Status::Ok();
}

Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  std::vector<std::unique_ptr<Connection>> dropped;  // closed outside the lock
  std::unique_lock<std::mutex> lock(mu_);
  const auto wait_until =
      Clock::now() + std::chrono::milliseconds(options_.endpoint.command_timeout_ms);
  while (true) {
    while (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->generation == generation_ && conn->LooksAlive()) {
        lock.unlock();
        return Lease{std::move(conn), false};
      }
      --open_;
      dropped.push_back(std::move(conn));
    }
    if (open_ < options_.size) break;
    if (cv_.wait_until(lock, wait_until) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.size) {
      return UnavailableError("redis " + options_.endpoint.Name() + ": all " +
                              std::to_string(options_.size) + " connections are busy");
    }
  }
  bool probe = false;
  if (down_) {
    if (probing_ || Clock::now() < retry_at_) {
      return UnavailableError(last_error_ + " (reconnecting)");
    }
    probing_ = probe = true;
  }
  ++open_;
  lock.unlock();
  Result<std::unique_ptr<Connection>> conn = Connect();
  lock.lock();
  if (probe) probing_ = false;
  if (!conn.ok()) {
    --open_;
    if (!down_) NOJ_LOG_WARN("event=redis_down error=\"{}\"", conn.status().message());
    down_ = true;
    backoff_ms_ = backoff_ms_ == 0 ? options_.backoff_min_ms
                                   : std::min(backoff_ms_ * 2, options_.backoff_max_ms);
    retry_at_ = Clock::now() + std::chrono::milliseconds(backoff_ms_);
    last_error_ = conn.status().message();
    cv_.notify_one();
    return conn.status();
  }
  if (down_) NOJ_LOG_INFO("event=redis_up redis={}", options_.endpoint.Name());
  down_ = false;
  backoff_ms_ = 0;
  (*conn)->generation = generation_;
  return Lease{std::move(conn).value(), true};
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (conn->broken()) {
    --open_;
    ++generation_;  // the others were probably cut by the same event: reconnect them
  } else if (conn->generation != generation_) {
    --open_;
  } else {
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
  // A dropped `conn` is closed here, under the lock: redisFree only closes a socket.
}

template <typename Fn>
Result<ReplyPtr> ConnectionPool::Run(Idempotent idempotent, Fn&& fn) {
  try {
    for (int attempt = 0;; ++attempt) {
      NOJ_ASSIGN_OR_RETURN(Lease lease, Acquire());
      Result<ReplyPtr> result = fn(*lease.conn);
      round_trips_.fetch_add(1, std::memory_order_relaxed);
      commands_.fetch_add(1, std::memory_order_relaxed);
      const bool retry =
          lease.conn->broken() && !lease.fresh && idempotent == Idempotent::kYes && attempt == 0;
      Release(std::move(lease.conn));
      if (!retry) return result;
    }
  } catch (const std::exception& e) {  // bad_alloc, system_error from the mutex
    return InternalError(std::string("redis store: ") + e.what());
  }
}

Result<ReplyPtr> ConnectionPool::Command(const Argv& argv, Idempotent idempotent) {
  return Run(idempotent, [&](Connection& conn) -> Result<ReplyPtr> {
    NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, conn.Command(argv));
    if (reply->type == REDIS_REPLY_ERROR) {
      return ErrorReplyStatus(*reply, argv.empty() ? "command" : argv[0]);
    }
    return reply;
  });
}

Result<ReplyPtr> ConnectionPool::EvalOn(Connection& conn, ScriptId id, std::string_view prefix,
                                        const Argv& args) {
  const Script& script = scripts_[static_cast<size_t>(id)];
  Argv argv = {"EVALSHA", script.sha1, "1", prefix};
  argv.insert(argv.end(), args.begin(), args.end());
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, conn.Command(argv));
  if (reply->type == REDIS_REPLY_ERROR && ErrorText(*reply).starts_with("NOSCRIPT")) {
    NOJ_LOG_INFO("event=redis_noscript script={}", script.name);
    NOJ_ASSIGN_OR_RETURN(ReplyPtr loaded, conn.Command({"SCRIPT", "LOAD", script.source}));
    if (loaded->type == REDIS_REPLY_ERROR) return ErrorReplyStatus(*loaded, "SCRIPT LOAD");
    NOJ_ASSIGN_OR_RETURN(reply, conn.Command(argv));
  }
  if (reply->type == REDIS_REPLY_ERROR) {
    return ErrorReplyStatus(*reply, "script " + std::string(script.name));
  }
  return reply;
}

Result<ReplyPtr> ConnectionPool::Eval(ScriptId id, std::string_view prefix, const Argv& args,
                                      Idempotent idempotent) {
  return Run(idempotent, [&](Connection& conn) { return EvalOn(conn, id, prefix, args); });
}

}  // namespace noj::store::redis

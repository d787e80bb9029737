#include "store/redis/connection_pool.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "common/logging.h"

namespace noj::store::redis {

namespace {

size_t ArgvBytes(const Argv& argv) {
  size_t n = 0;
  for (std::string_view a : argv) n += a.size();
  return n;
}

}  // namespace

ConnectionPool::ConnectionPool(PoolOptions options, Scripts scripts)
    : options_(std::move(options)), scripts_(std::move(scripts)) {}

Result<std::unique_ptr<Connection>> ConnectionPool::Connect() {
  NOJ_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                       Connection::Open(options_.endpoint, &wire_));
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

// Called by a leader only, and leaders_ <= size: a connection is idle or may be opened.
Result<ConnectionPool::Lease> ConnectionPool::Acquire() {
  std::vector<std::unique_ptr<Connection>> dropped;  // closed outside the lock
  bool probe = false;
  {
    MutexLock lock(&mu_);
    while (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->generation == generation_ && conn->LooksAlive())
        return Lease{std::move(conn), false};
      --open_;
      dropped.push_back(std::move(conn));
    }
    if (open_ >= options_.size) {  // not reached while each leader holds at most one connection
      return UnavailableError("redis " + options_.endpoint.Name() + ": all " +
                              std::to_string(options_.size) + " connections are busy");
    }
    if (down_) {
      if (probing_ || Clock::now() < retry_at_) {
        return UnavailableError(last_error_ + " (reconnecting)");
      }
      probing_ = probe = true;
    }
    ++open_;
  }
  Result<std::unique_ptr<Connection>> conn = Connect();
  MutexLock lock(&mu_);
  if (probe) probing_ = false;
  if (!conn.ok()) {
    --open_;
    if (!down_) NOJ_LOG_WARN("event=redis_down error=\"{}\"", conn.status().message());
    down_ = true;
    backoff_ms_ = backoff_ms_ == 0 ? options_.backoff_min_ms
                                   : std::min(backoff_ms_ * 2, options_.backoff_max_ms);
    retry_at_ = Clock::now() + std::chrono::milliseconds(backoff_ms_);
    last_error_ = conn.status().message();
    return conn.status();
  }
  if (down_) NOJ_LOG_INFO("event=redis_up redis={}", options_.endpoint.Name());
  down_ = false;
  backoff_ms_ = 0;
  (*conn)->generation = generation_;
  return Lease{std::move(conn).value(), true};
}

void ConnectionPool::Release(std::unique_ptr<Connection> conn) {
  MutexLock lock(&mu_);
  if (conn->broken()) {
    --open_;
    ++generation_;  // the others were probably cut by the same event: reconnect them
  } else if (conn->generation != generation_) {
    --open_;
  } else {
    idle_.push_back(std::move(conn));
  }
  // A dropped `conn` is closed here, under the lock: redisFree only closes a socket.
}

ConnectionPool::Call* ConnectionPool::TakeBatch() {
  Call* head = nullptr;
  Call** tail = &head;
  size_t n = 0;
  size_t bytes = 0;
  while (!queue_.empty() && n < kMaxBatch && (n == 0 || bytes < kMaxBatchBytes)) {
    Call* call = queue_.front();
    queue_.pop_front();
    call->taken = true;
    bytes += ArgvBytes(call->argv);
    ++n;
    *tail = call;
    tail = &call->next;
  }
  return head;
}

Result<ReplyPtr> ConnectionPool::Submit(Call& call) {
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(options_.endpoint.command_timeout_ms);
  mu_.lock();
  try {
    queue_.push_back(&call);
  } catch (const std::exception& e) {  // bad_alloc
    mu_.unlock();
    return InternalError(std::string("redis store: ") + e.what());
  }
  while (!call.done) {
    if (!call.taken && leaders_ < options_.size) {
      Call* batch = TakeBatch();
      ++leaders_;
      mu_.unlock();
      Lead(batch);
      mu_.lock();
      --leaders_;
      for (Call* c = batch; c != nullptr; c = c->next) c->done = true;
      cv_.notify_all();
    } else if (call.taken) {
      cv_.wait(mu_);  // a leader has it: answered within the leader's timeouts
    } else if (cv_.wait_until(mu_, deadline) == std::cv_status::timeout && !call.taken) {
      queue_.erase(std::find(queue_.begin(), queue_.end(), &call));
      mu_.unlock();
      return UnavailableError("redis " + options_.endpoint.Name() + ": all " +
                              std::to_string(options_.size) + " connections are busy");
    }
  }
  mu_.unlock();
  return std::move(*call.result);
}

void ConnectionPool::Lead(Call* batch) {
  try {
    std::vector<Call*> calls;
    for (Call* c = batch; c != nullptr; c = c->next) calls.push_back(c);
    const std::vector<Call*> retry = RunBatch(calls, /*may_retry=*/true);
    if (!retry.empty()) RunBatch(retry, /*may_retry=*/false);
  } catch (const std::exception& e) {  // bad_alloc
    for (Call* c = batch; c != nullptr; c = c->next) {
      if (!c->result) c->result = InternalError(std::string("redis store: ") + e.what());
    }
  }
}

std::vector<ConnectionPool::Call*> ConnectionPool::RunBatch(const std::vector<Call*>& calls,
                                                            bool may_retry) {
  Result<Lease> lease = Acquire();
  if (!lease.ok()) {
    for (Call* c : calls) c->result = lease.status();
    return {};
  }
  Connection& conn = *lease->conn;
  std::vector<const Argv*> argvs;
  argvs.reserve(calls.size());
  for (const Call* c : calls) argvs.push_back(&c->argv);
  std::vector<ReplyPtr> replies;
  replies.reserve(calls.size());
  const Status io = conn.Exchange(argvs, replies);
  std::vector<Call*> noscript;
  std::vector<Call*> retry;
  for (size_t i = 0; i < calls.size(); ++i) {
    Call& c = *calls[i];
    if (i < replies.size()) {
      std::optional<Result<ReplyPtr>> answer = Answer(c, std::move(replies[i]));
      if (answer) {
        c.result = std::move(*answer);
      } else {
        noscript.push_back(&c);
      }
    } else if (may_retry && !lease->fresh && c.idempotent == Idempotent::kYes) {
      retry.push_back(&c);  // a reused connection may have died idle: once more on another
    } else {
      c.result = io;  // never answered: a transition may have run, so it is not sent again
    }
  }
  if (!noscript.empty()) Rerun(conn, noscript);
  Release(std::move(lease->conn));
  return retry;
}

std::optional<Result<ReplyPtr>> ConnectionPool::Answer(const Call& call, ReplyPtr reply) const {
  if (reply->type != REDIS_REPLY_ERROR) return Result<ReplyPtr>(std::move(reply));
  if (call.script == nullptr) {
    return ErrorReplyStatus(*reply, call.argv.empty() ? "command" : call.argv[0]);
  }
  if (ErrorText(*reply).starts_with("NOSCRIPT")) return std::nullopt;  // it did not run
  return ErrorReplyStatus(*reply, "script " + std::string(call.script->name));
}

void ConnectionPool::Rerun(Connection& conn, const std::vector<Call*>& calls) {
  std::vector<const Script*> scripts;  // each missing script once
  std::vector<Argv> loads;
  for (const Call* c : calls) {
    if (std::find(scripts.begin(), scripts.end(), c->script) != scripts.end()) continue;
    NOJ_LOG_INFO("event=redis_noscript script={}", c->script->name);
    scripts.push_back(c->script);
    loads.push_back({"SCRIPT", "LOAD", c->script->source});
  }
  std::vector<const Argv*> argvs;
  for (const Argv& load : loads) argvs.push_back(&load);
  for (const Call* c : calls) argvs.push_back(&c->argv);
  std::vector<ReplyPtr> replies;
  const Status io = conn.Exchange(argvs, replies);
  for (size_t i = 0; i < calls.size(); ++i) {
    Call& c = *calls[i];
    const size_t load_at =
        static_cast<size_t>(std::find(scripts.begin(), scripts.end(), c.script) - scripts.begin());
    const size_t at = loads.size() + i;
    if (load_at < replies.size() && replies[load_at]->type == REDIS_REPLY_ERROR) {
      c.result = ErrorReplyStatus(*replies[load_at], "SCRIPT LOAD");
    } else if (at >= replies.size()) {
      c.result = io;
    } else if (std::optional<Result<ReplyPtr>> answer = Answer(c, std::move(replies[at]))) {
      c.result = std::move(*answer);
    } else {
      c.result = InternalError("redis: script " + std::string(c.script->name) +
                               " is still missing after SCRIPT LOAD");
    }
  }
}

Result<ReplyPtr> ConnectionPool::Command(const Argv& argv, Idempotent idempotent) {
  Call call{argv, nullptr, idempotent};
  return Submit(call);
}

Result<ReplyPtr> ConnectionPool::Eval(ScriptId id, std::string_view prefix, const Argv& args,
                                      Idempotent idempotent) {
  const Script& script = scripts_[static_cast<size_t>(id)];
  Argv argv = {"EVALSHA", script.sha1, "1", prefix};
  argv.insert(argv.end(), args.begin(), args.end());
  Call call{argv, &script, idempotent};
  return Submit(call);
}

}  // namespace noj::store::redis

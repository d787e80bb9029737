// RedisStore: construction, Ping, problems and runners.

#include "store/redis/redis_store.h"

#include <exception>

#include "common/logging.h"
#include "judge/aggregate.h"
#include "store/redis/codec.h"
#include "store/redis/redis_store_impl.h"

namespace noj::store::redis {

namespace {

std::string Mib(size_t bytes) {
  return std::to_string((bytes + (size_t{1} << 20) - 1) >> 20) + " MiB";
}

}  // namespace

RedisStore::RedisStore(RedisOptions options, std::unique_ptr<ConnectionPool> pool)
    : options_(std::move(options)),
      pool_(std::move(pool)),
      je_json_(ResultToText(judge::JudgeErrorResult())) {}

Result<ReplyPtr> RedisStore::Call(ScriptId id, const Argv& args, Idempotent idempotent) {
  if (idempotent == Idempotent::kNo) transitions_.fetch_add(1, std::memory_order_relaxed);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, pool_->Eval(id, options_.key_prefix, args, idempotent));
  NOJ_RETURN_IF_ERROR(ScriptStatus(*reply, pool_->scripts()[static_cast<size_t>(id)].name));
  return reply;
}

Status RedisStore::Ping() {
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Read({"PING"}));
  if (Text(reply.get()) != "PONG") return InternalError("redis: unexpected reply to PING");
  return Status::Ok();
}

// ---- problems ----

Result<int64_t> RedisStore::CreateProblem(const NewProblem& problem, int64_t now) {
  const std::string tasks = TaskSpecsToText(problem.tasks);
  const std::string at = Int(now);
  const std::string meta = api::ProblemMetaToText(problem.meta);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply,
                       Call(ScriptId::kCreateProblem, {problem.title, tasks, at, meta}));
  int64_t id = 0;
  if (!ParseInt(Element(*reply, 1), id)) return InternalError("redis: create_problem reply");
  return id;
}

Result<ProblemRecord> RedisStore::GetProblem(int64_t problem_id) {
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Read({"HGETALL", Key("problem:" + Int(problem_id))}));
  const Fields fields = ToFields(reply.get());
  if (fields.empty()) return NotFoundError("no such problem: " + Int(problem_id));
  return DecodeProblem(problem_id, fields);
}

Result<ProblemRecord> RedisStore::GetProblemVersion(int64_t problem_id, int64_t version) {
  // Two reads: a version is immutable, and one that moved to problem-ver between them is found
  // there (or was dropped: kNotFound, as the contract allows).
  NOJ_ASSIGN_OR_RETURN(ProblemRecord current, GetProblem(problem_id));
  if (current.version == version) return current;
  NOJ_ASSIGN_OR_RETURN(
      ReplyPtr reply,
      Read({"HGETALL", Key("problem-ver:" + Int(problem_id) + ":" + Int(version))}));
  const Fields fields = ToFields(reply.get());
  if (fields.empty()) {
    return NotFoundError("problem " + Int(problem_id) + " has no version " + Int(version) +
                         " (any more)");
  }
  return DecodeProblem(problem_id, fields);
}

Result<VersionOutcome> RedisStore::ReadVersionOutcome(const redisReply& reply) {
  VersionOutcome out;
  if (!ParseInt(Element(reply, 1), out.version) || !ParseInt(Element(reply, 2), out.reclassed))
    return InternalError("redis: version write reply");
  return out;
}

Result<VersionOutcome> RedisStore::UpdateProblem(int64_t problem_id, const ProblemUpdate& u,
                                                 int64_t /*now*/) {
  const std::string pid = Int(problem_id);
  const std::string tasks = TaskSpecsToText(u.tasks);
  const std::string meta = api::ProblemMetaToText(u.meta);
  const std::string features = Int(u.features);
  const std::string expected = Int(u.expected_version);
  NOJ_ASSIGN_OR_RETURN(
      ReplyPtr reply,
      Call(ScriptId::kUpdateProblem, {pid, u.title, tasks, meta, u.checksum, features, expected}));
  return ReadVersionOutcome(*reply);
}

Result<VersionOutcome> RedisStore::WriteTestdata(int64_t problem_id, const TestdataWrite& w,
                                                 int64_t now) {
  if (w.zip.size() > options_.max_testdata_bytes) {
    return ResourceExhaustedError("testdata of " + std::to_string(w.zip.size()) +
                                  " bytes is larger than the limit of " +
                                  Mib(options_.max_testdata_bytes));
  }
  const std::string pid = Int(problem_id);
  const std::string at = Int(now);
  const std::string features = w.features ? Int(*w.features) : std::string();
  const std::string expected = w.expected_version ? Int(*w.expected_version) : std::string();
  NOJ_ASSIGN_OR_RETURN(
      ReplyPtr reply, Call(ScriptId::kPutTestdata, {pid, w.zip, w.checksum, at,
                                                    w.context_io ? "1" : "0", features, expected}));
  return ReadVersionOutcome(*reply);
}

Result<std::string> RedisStore::GetTestdata(int64_t problem_id) {
  const std::string pid = Int(problem_id);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kGetTestdata, {pid, ""}, Idempotent::kYes));
  return Text(Element(*reply, 1));
}

Result<std::string> RedisStore::GetTestdataVersion(int64_t problem_id, int64_t version) {
  const std::string pid = Int(problem_id);
  const std::string v = Int(version);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kGetTestdata, {pid, v}, Idempotent::kYes));
  return Text(Element(*reply, 1));
}

// ---- runners ----

Status RedisStore::RegisterRunner(const RunnerRecord& r) {
  const std::string registered = Int(r.registered_at);
  const std::string seen = Int(r.last_seen);
  const std::string expires = Int(r.expires_at);
  const std::string capabilities = api::RunnerCapabilitiesToText(r.capabilities);
  const std::string speed = r.speed_score ? SpeedScoreToText(*r.speed_score) : "";
  return Call(ScriptId::kRegisterRunner, {r.runner_id, r.name, r.token_sha256, registered, seen,
                                          expires, r.sandbox, capabilities, speed})
      .status();
}

Result<RunnerRecord> RedisStore::GetRunner(const std::string& runner_id, int64_t now) {
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply,
                       Read({"HMGET", Key("runner:" + runner_id), "name", "token", "registered_at",
                             "last_seen", "expires_at", "sandbox", "capabilities", "speed_score"}));
  if (Element(*reply, 4) == nullptr || Element(*reply, 4)->type == REDIS_REPLY_NIL) {
    return NotFoundError("no such runner: " + runner_id);
  }
  NOJ_ASSIGN_OR_RETURN(RunnerRecord r, DecodeRunner(runner_id, *reply, 0));
  if (r.expires_at <= now) return NotFoundError("runner expired: " + runner_id);
  return r;
}

Result<RunnerRecord> RedisStore::GetRunnerByTokenHash(const std::string& token_sha256,
                                                      int64_t now) {
  const std::string at = Int(now);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply,
                       Call(ScriptId::kRunnerByToken, {token_sha256, at}, Idempotent::kYes));
  const redisReply* r = Element(*reply, 1);
  if (r == nullptr) return InternalError("redis: runner_by_token reply");
  return DecodeRunner(Text(Element(*r, 0)), *r, 1);
}

Result<HeartbeatOutcome> RedisStore::Heartbeat(const std::string& runner_id,
                                               const std::vector<std::string>& job_ids, int64_t now,
                                               int64_t lease_ttl_ms, int64_t identity_ttl_ms) {
  const std::string at = Int(now);
  const std::string lease = Int(lease_ttl_ms);
  const std::string identity = Int(identity_ttl_ms);
  Argv args = {runner_id, at, lease, identity};
  args.insert(args.end(), job_ids.begin(), job_ids.end());
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kHeartbeat, args));
  HeartbeatOutcome out;
  NOJ_ASSIGN_OR_RETURN(out.renewed, Strings(Element(*reply, 1)));
  NOJ_ASSIGN_OR_RETURN(out.cancel, Strings(Element(*reply, 2)));
  return out;
}

Status RedisStore::RevokeRunner(const std::string& runner_id) {
  return Call(ScriptId::kRevokeRunner, {runner_id}).status();
}

Result<std::vector<RunnerInfo>> RedisStore::ListRunners(int64_t now) {
  const std::string at = Int(now);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kListRunners, {at}, Idempotent::kYes));
  const redisReply* list = Element(*reply, 1);
  if (list == nullptr) return InternalError("redis: list_runners reply");
  std::vector<RunnerInfo> runners;
  for (size_t i = 0; i < list->elements; ++i) {
    const redisReply& item = *list->element[i];
    auto runner = DecodeRunner(Text(Element(item, 0)), item, 1);
    if (!runner.ok()) {
      NOJ_LOG_WARN("event=skipped_corrupted_runner error=\"{}\"", runner.status().message());
      continue;
    }
    NOJ_ASSIGN_OR_RETURN(std::vector<std::string> jobs, Strings(Element(item, 9)));
    runners.push_back(RunnerInfo{std::move(runner).value(), std::move(jobs)});
  }
  return runners;
}

Result<int> RedisStore::ForgetExpiredRunners(int64_t now) {
  const std::string at = Int(now);
  NOJ_ASSIGN_OR_RETURN(ReplyPtr reply, Call(ScriptId::kForgetRunners, {at}));
  int64_t forgotten = 0;
  if (!ParseInt(Element(*reply, 1), forgotten)) return InternalError("redis: forget reply");
  return static_cast<int>(forgotten);
}

// ---- factory ----

Result<std::unique_ptr<Store>> OpenRedisStore(const RedisOptions& options) {
  try {
    NOJ_ASSIGN_OR_RETURN(Scripts scripts, LoadScripts());
    PoolOptions pool;
    pool.endpoint.host = options.host;
    pool.endpoint.port = options.port;
    pool.endpoint.db = options.db;
    pool.endpoint.password = options.password;
    pool.endpoint.connect_timeout_ms = options.connect_timeout_ms;
    pool.endpoint.command_timeout_ms = options.command_timeout_ms;
    pool.size = options.pool_size;
    pool.backoff_min_ms = options.backoff_min_ms;
    pool.backoff_max_ms = options.backoff_max_ms;
    auto store = std::make_unique<RedisStore>(
        options, std::make_unique<ConnectionPool>(std::move(pool), std::move(scripts)));
    NOJ_RETURN_IF_ERROR(store->Ping());
    NOJ_RETURN_IF_ERROR(store->UpgradeLayout());
    return std::unique_ptr<Store>(std::move(store));
  } catch (const std::exception& e) {
    return InternalError(std::string("redis store: open: ") + e.what());
  }
}

Result<std::unique_ptr<Store>> OpenRedisStore(const std::string& url) {
  NOJ_ASSIGN_OR_RETURN(RedisOptions options, ParseRedisUrl(url));
  return OpenRedisStore(options);
}

}  // namespace noj::store::redis

#include "redis_harness.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "store/redis/redis_store.h"

namespace noj::store::contract {

Result<std::unique_ptr<StoreHarness>> RedisHarness::Make() {
  std::unique_ptr<RedisHarness> h(new RedisHarness());
  h->redis_ = &testing::LocalRedis::Shared();
  h->url_ = h->redis_->FreshStoreUrl(&h->prefix_);
  NOJ_ASSIGN_OR_RETURN(h->store_, redis::OpenRedisStore(h->url_));
  return std::unique_ptr<StoreHarness>(std::move(h));
}

RedisHarness::~RedisHarness() {
  store_.reset();
  redis_->DeleteKeys(prefix_).IgnoreError();  // best effort: the prefix is never reused
}

bool RedisHarness::Reopen() {
  store_.reset();
  auto reopened = redis::OpenRedisStore(url_);
  if (!reopened.ok()) {
    std::fprintf(stderr, "reopen failed: %s\n", reopened.status().ToString().c_str());
    return false;
  }
  store_ = std::move(reopened).value();
  return true;
}

bool RedisHarness::Raw(const std::vector<std::string>& argv) {
  auto r = redis_->Command(argv);
  if (!r.ok())
    std::fprintf(stderr, "raw redis command failed: %s\n", r.status().ToString().c_str());
  return r.ok();
}

bool RedisHarness::CorruptResult(const std::string& submission_id) {
  return Raw({"HSET", prefix_ + "sub:" + submission_id, "result", "{\"status\": \"nonsense"});
}

bool RedisHarness::DropSubmissionRecord(const std::string& submission_id) {
  return Raw({"DEL", prefix_ + "sub:" + submission_id, prefix_ + "sub-code:" + submission_id});
}

std::optional<int64_t> RedisHarness::CommandsRun() {
  if (!redis_->owned()) return std::nullopt;  // NOJ_TEST_REDIS_URL: others may use it meanwhile
  auto info = redis_->Command({"INFO", "commandstats"});
  if (!info.ok()) return std::nullopt;
  // Lines "cmdstat_<name>:calls=<n>,usec=…"; commands run by scripts are counted too.
  int64_t calls = 0;
  for (size_t at = info->find("calls="); at != std::string::npos;
       at = info->find("calls=", at + 1)) {
    calls += std::strtoll(info->c_str() + at + 6, nullptr, 10);
  }
  return calls;
}

bool RedisHarness::DropProblemRecord(int64_t problem_id) {
  const std::string pid = std::to_string(problem_id);
  return Raw({"DEL", prefix_ + "problem:" + pid, prefix_ + "testdata:" + pid});
}

}  // namespace noj::store::contract
